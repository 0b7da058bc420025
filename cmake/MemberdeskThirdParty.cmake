# Third-party libraries.  Header-only ones come from Debian packages in
# /usr/include; under em++ they are reached through a build-tree directory of
# symlinks (host-include/) that holds ONLY those headers -- never add
# /usr/include itself to an em++ build, or glibc headers shadow the
# emscripten sysroot.

set(MEMBERDESK_HOST_INCLUDE_ROOT "/usr/include" CACHE PATH
    "Where the host's header-only libraries live (nlohmann, date, doctest)")
mark_as_advanced(MEMBERDESK_HOST_INCLUDE_ROOT)
set(MEMBERDESK_HOST_INCLUDE_DIR "${CMAKE_BINARY_DIR}/host-include")

# memberdesk_import_host_headers(<target> <subdir>...): give an INTERFACE target
# the host headers <root>/<subdir>, without exposing the rest of /usr/include.
function(memberdesk_import_host_headers target)
  foreach(sub IN LISTS ARGN)
    set(src "${MEMBERDESK_HOST_INCLUDE_ROOT}/${sub}")
    if(NOT EXISTS "${src}")
      message(FATAL_ERROR "${src} not found: run scripts/setup (Debian packages)")
    endif()
    set(dst "${MEMBERDESK_HOST_INCLUDE_DIR}/${sub}")
    if(NOT EXISTS "${dst}" AND NOT IS_SYMLINK "${dst}")
      get_filename_component(parent "${dst}" DIRECTORY)
      file(MAKE_DIRECTORY "${parent}")
      file(CREATE_LINK "${src}" "${dst}" SYMBOLIC COPY_ON_ERROR)
    endif()
  endforeach()
  target_include_directories(${target} SYSTEM INTERFACE "${MEMBERDESK_HOST_INCLUDE_DIR}")
endfunction()

# --- nlohmann/json (header-only) -> memberdesk_json ---------------------------
add_library(memberdesk_json INTERFACE)
if(NOT EMSCRIPTEN)
  find_package(nlohmann_json 3.10 QUIET)
endif()
if(TARGET nlohmann_json::nlohmann_json)
  target_link_libraries(memberdesk_json INTERFACE nlohmann_json::nlohmann_json)
else()
  memberdesk_import_host_headers(memberdesk_json nlohmann)
endif()

# --- Howard Hinnant date, header-only date/date.h (not the tz library) -------
add_library(memberdesk_date INTERFACE)
if(EMSCRIPTEN)
  memberdesk_import_host_headers(memberdesk_date date)
elseif(NOT EXISTS "${MEMBERDESK_HOST_INCLUDE_ROOT}/date/date.h")
  message(FATAL_ERROR "date/date.h not found: install libhowardhinnant-date-dev (scripts/setup)")
endif()

# --- doctest (header-only) -> memberdesk_doctest ------------------------------
if(MEMBERDESK_BUILD_TESTS)
  add_library(memberdesk_doctest INTERFACE)
  if(EMSCRIPTEN)
    memberdesk_import_host_headers(memberdesk_doctest doctest)
  elseif(NOT EXISTS "${MEMBERDESK_HOST_INCLUDE_ROOT}/doctest/doctest.h")
    message(FATAL_ERROR "doctest/doctest.h not found: install doctest-dev (scripts/setup)")
  endif()
endif()

# --- Sources fetched by scripts/setup into third_party/ -----------------------
set(MEMBERDESK_IMGUI_DIR "${MEMBERDESK_THIRD_PARTY_DIR}/imgui")
set(MEMBERDESK_HTTPLIB_DIR "${MEMBERDESK_THIRD_PARTY_DIR}/cpp-httplib")
