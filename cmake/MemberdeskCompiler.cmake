# Compiler settings shared by every memberdesk target.

option(MEMBERDESK_WERROR "Treat warnings in our own code as errors (preset 'ci', used by scripts/test)" OFF)

# memberdesk_target_defaults(<target>): warnings for our own code. Third-party headers are included
# as SYSTEM, so their warnings never count.
function(memberdesk_target_defaults target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wconversion)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
      # clang's -Wconversion also implies -Wsign-conversion, g++'s does not (for C++): one warning
      # set whichever compiler builds (g++ for native and the product, clang for native-asan).
      target_compile_options(${target} PRIVATE -Wno-sign-conversion)
    endif()
    if(MEMBERDESK_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

# Library sources compiled in batches (a CMake unity build): most of a file's compile time is the
# shared headers (nlohmann, Dear ImGui, the core's), parsed once per batch instead of once per file.
# 0 or 1: one file at a time (quicker while editing one file).
set(MEMBERDESK_LIB_BATCH_SIZE 8 CACHE STRING "Core and client source files compiled together (0: one at a time)")
function(memberdesk_compile_in_batches target)
  if(MEMBERDESK_LIB_BATCH_SIZE GREATER 1)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${MEMBERDESK_LIB_BATCH_SIZE})
    # A batch #includes the .cpp files, so g++ takes a file's private types for a header's.
    target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-Wno-subobject-linkage>)
  endif()
endfunction()

if(EMSCRIPTEN)
  # C++ exceptions: emscripten disables catching by default (a throw aborts).
  # nlohmann::json and doctest's CHECK_THROWS rely on them, so keep them on;
  # turning this OFF shrinks the client a little.
  option(MEMBERDESK_WASM_EXCEPTIONS "Enable C++ exception catching under em++" ON)
  # WebAssembly's own exception handling instead of emscripten's JavaScript emulation, which wraps
  # every call that may throw in a JS trampoline: a smaller and faster client. Needs a browser from
  # 2022 on (Chrome 95, Firefox 100, Safari 15.2) and node 17 for the wasm tests.
  option(MEMBERDESK_WASM_NATIVE_EH "Use -fwasm-exceptions rather than -fexceptions under em++" ON)
  set(MEMBERDESK_WASM_EH_FLAG "")
  if(MEMBERDESK_WASM_EXCEPTIONS)
    if(MEMBERDESK_WASM_NATIVE_EH)
      set(MEMBERDESK_WASM_EH_FLAG -fwasm-exceptions)
    else()
      set(MEMBERDESK_WASM_EH_FLAG -fexceptions)
    endif()
  endif()
  # Link-time optimisation of the client: the core, ImGui, the QR library and the client are compiled
  # to bitcode and optimised together at the link. OFF: with it the kiosk's "Spent" history filter
  # shows the wrong first row (tests/browser/run kiosk; docs/performance.md, issue #20).
  option(MEMBERDESK_WASM_LTO "Compile the wasm client and what it links with -flto" ON)
  set(MEMBERDESK_WASM_LTO_FLAG "")
  if(MEMBERDESK_WASM_LTO)
    set(MEMBERDESK_WASM_LTO_FLAG -flto)
  endif()
endif()

# Sanitizers for every native target (preset 'native-asan'): e.g. "address,undefined".
set(MEMBERDESK_SANITIZE "" CACHE STRING "Comma-separated -fsanitize= list for native builds (empty: none)")
if(MEMBERDESK_SANITIZE AND NOT EMSCRIPTEN)
  add_compile_options(-fsanitize=${MEMBERDESK_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${MEMBERDESK_SANITIZE})
endif()

# libFuzzer targets of tests/fuzz (preset 'native-asan'): clang only. Coverage instrumentation goes
# into every target so the fuzzers see the core and server library they exercise.
option(MEMBERDESK_FUZZ "Build the libFuzzer targets of tests/fuzz (clang)" OFF)
if(MEMBERDESK_FUZZ AND NOT EMSCRIPTEN)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MEMBERDESK_FUZZ needs clang++ (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
