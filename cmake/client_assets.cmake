# Web client assets and QR library (included from wasm/CMakeLists.txt and tests/client/).
#
# memberdesk_qrcodegen            Nayuki's QR Code generator (C++): third_party/qrcodegen/cpp from
#                                 Debian's qr-code-generator source package (scripts/setup); natively,
#                                 Debian's libqrcodegencpp-dev when the sources are not there.
# memberdesk_client_fonts(OUT_DIR TARGET)
#                                 builds OUT_DIR/fonts/ui-latin.ttf, ui-lang.ttf and ui-cjk.ttf (+ .gz) with
#                                 wasm/tools/make_fonts.py (python3-fonttools) from Debian's font
#                                 packages; re-run when the UI strings, presets or demo data change.
# memberdesk_gzip_outputs(TARGET FILE...)
#                                 writes FILE.gz beside each output after TARGET links.

include_guard(GLOBAL)

set(MEMBERDESK_QRCODEGEN_DIR "${MEMBERDESK_THIRD_PARTY_DIR}/qrcodegen" CACHE PATH
    "Nayuki QR Code generator sources (Debian qr-code-generator, fetched by scripts/setup)")

# The library writes its one "data too long" message with std::ostringstream, and that links all of
# iostreams and the locales into the client (~75 KB of wasm, 26 KB gzip, for an error the client
# never shows). The client compiles a copy in the build tree that builds the same text with
# std::string; if the source no longer has those lines, the original is compiled as it is.
function(_memberdesk_swap var ok_var from to)
  string(FIND "${${var}}" "${from}" _at)
  if(_at EQUAL -1)
    message(STATUS "qrcodegen: '${from}' not found")
    set(${ok_var} FALSE PARENT_SCOPE)
  endif()
  string(REPLACE "${from}" "${to}" _r "${${var}}")
  set(${var} "${_r}" PARENT_SCOPE)
endfunction()

function(memberdesk_qrcodegen_without_streams src out_var)
  file(READ "${src}" _patched)
  set(_ok TRUE)
  _memberdesk_swap(_patched _ok "std::ostringstream sb;" "std::string sb;")
  _memberdesk_swap(_patched _ok "sb << \"Segment too long\";" "sb = \"Segment too long\";")
  _memberdesk_swap(_patched _ok "sb << \"Data length = \" << dataUsedBits << \" bits, \";"
                                "sb = \"Data length = \" + std::to_string(dataUsedBits) + \" bits, \";")
  _memberdesk_swap(_patched _ok "sb << \"Max capacity = \" << dataCapacityBits << \" bits\";"
                                "sb += \"Max capacity = \" + std::to_string(dataCapacityBits) + \" bits\";")
  _memberdesk_swap(_patched _ok "throw data_too_long(sb.str());" "throw data_too_long(sb);")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${src}")
  if(NOT _ok)
    message(STATUS "qrcodegen: compiling ${src} unchanged (with iostreams)")
    set(${out_var} "${src}" PARENT_SCOPE)
    return()
  endif()
  set(_out "${CMAKE_BINARY_DIR}/qrcodegen/qrcodegen.cpp")
  set(_old "")
  if(EXISTS "${_out}")
    file(READ "${_out}" _old)
  endif()
  if(NOT _old STREQUAL _patched)
    file(WRITE "${_out}" "${_patched}")
  endif()
  set(${out_var} "${_out}" PARENT_SCOPE)
endfunction()

if(NOT TARGET memberdesk_qrcodegen)
  if(EXISTS "${MEMBERDESK_QRCODEGEN_DIR}/cpp/qrcodegen.cpp")
    set(_qr_src "${MEMBERDESK_QRCODEGEN_DIR}/cpp/qrcodegen.cpp")
    if(EMSCRIPTEN)
      memberdesk_qrcodegen_without_streams("${_qr_src}" _qr_src)
    endif()
    add_library(memberdesk_qrcodegen STATIC "${_qr_src}")
    target_include_directories(memberdesk_qrcodegen SYSTEM PUBLIC "${MEMBERDESK_QRCODEGEN_DIR}/cpp")
    target_compile_features(memberdesk_qrcodegen PUBLIC cxx_std_17)
    if(EMSCRIPTEN AND MEMBERDESK_WASM_EXCEPTIONS)
      target_compile_options(memberdesk_qrcodegen PRIVATE ${MEMBERDESK_WASM_EH_FLAG})
    endif()
    if(EMSCRIPTEN)
      target_compile_options(memberdesk_qrcodegen PRIVATE ${MEMBERDESK_WASM_LTO_FLAG})
    endif()
  elseif(NOT EMSCRIPTEN AND EXISTS "/usr/include/qrcodegen/qrcodegen.hpp")
    find_library(MEMBERDESK_QRCODEGEN_LIB NAMES libqrcodegencpp.a qrcodegencpp)
    add_library(memberdesk_qrcodegen INTERFACE)
    target_include_directories(memberdesk_qrcodegen SYSTEM INTERFACE "/usr/include/qrcodegen")
    target_link_libraries(memberdesk_qrcodegen INTERFACE "${MEMBERDESK_QRCODEGEN_LIB}")
  else()
    message(FATAL_ERROR "QR code generator sources not found in ${MEMBERDESK_QRCODEGEN_DIR}: run scripts/setup")
  endif()
endif()

find_program(MEMBERDESK_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT MEMBERDESK_PYTHON3)
  find_program(MEMBERDESK_PYTHON3 NAMES python3)
endif()
set(MEMBERDESK_LATIN_FONTS
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf,/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    CACHE STRING "Latin UI font candidates (first that exists)")
set(MEMBERDESK_CJK_FONTS
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0,/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2"
    CACHE STRING "CJK font candidates, FILE#index for collections (first that exists)")

function(memberdesk_client_fonts out_dir target)
  set(_tool "${CMAKE_SOURCE_DIR}/wasm/tools/make_fonts.py")
  file(GLOB _texts CONFIGURE_DEPENDS
       "${CMAKE_SOURCE_DIR}/wasm/src/app/i18n.cpp"
       "${CMAKE_SOURCE_DIR}/wasm/src/screens/*.cpp"
       "${CMAKE_SOURCE_DIR}/wasm/src/kiosk/*.cpp"
       "${CMAKE_SOURCE_DIR}/wasm/src/staff/*.cpp"
       "${CMAKE_SOURCE_DIR}/core/programs/*.json"
       "${CMAKE_SOURCE_DIR}/core/src/*.cpp"
       "${CMAKE_SOURCE_DIR}/native_server/src/service/*demo*.cpp")
  set(_outs "${out_dir}/fonts/ui-latin.ttf" "${out_dir}/fonts/ui-latin.ttf.gz"
            "${out_dir}/fonts/ui-lang.ttf" "${out_dir}/fonts/ui-lang.ttf.gz"
            "${out_dir}/fonts/ui-cjk.ttf" "${out_dir}/fonts/ui-cjk.ttf.gz")
  add_custom_command(OUTPUT ${_outs}
    COMMAND "${MEMBERDESK_PYTHON3}" "${_tool}" --out "${out_dir}/fonts"
            --latin "${MEMBERDESK_LATIN_FONTS}" --cjk "${MEMBERDESK_CJK_FONTS}" --text ${_texts}
    DEPENDS "${_tool}" ${_texts}
    COMMENT "Subsetting the UI fonts (Latin + CJK) into ${out_dir}/fonts"
    VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${_outs})
endfunction()

function(memberdesk_gzip_outputs target)
  foreach(f IN LISTS ARGN)
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND gzip -9 -n -k -f "${f}"
      VERBATIM)
  endforeach()
endfunction()
