# memberdesk_embed_files(): turn data files into a generated C++ source, so the
# binaries (native and wasm alike) carry them without any file I/O.
#
#   memberdesk_embed_files(
#     OUTPUT    <generated .cpp>          # in the build tree
#     PREAMBLE  <C++ text put after the standard includes, e.g. an #include>
#     NAMESPACE <ns>                      # "" for the global namespace
#     LOOKUP    <function name>           # std::string_view f(std::string_view name)
#     NAMES     <function name>           # std::vector<std::string> f()   (optional)
#     STRIP_SUFFIX <suffix>               # also accept the name with it ("coffee.json")
#     FILES     <name>=<path> ...)        # key and file
#
# The .cpp is regenerated at build time whenever one of the files changes, by
# running cmake/embed_files.cmake with the host's cmake (works under em++: no
# host compiler needed).  Bytes are embedded as a hex array, so binary files
# (TZif) are safe; a NUL is appended after each file (not counted in size()).
function(memberdesk_embed_files)
  cmake_parse_arguments(E "" "OUTPUT;PREAMBLE;NAMESPACE;LOOKUP;NAMES;STRIP_SUFFIX" "FILES" ${ARGN})
  if(NOT E_OUTPUT OR NOT E_LOOKUP)
    message(FATAL_ERROR "memberdesk_embed_files: OUTPUT and LOOKUP are required")
  endif()
  set(manifest "")
  set(deps "")
  foreach(pair IN LISTS E_FILES)
    string(FIND "${pair}" "=" eq)
    string(SUBSTRING "${pair}" 0 ${eq} key)
    math(EXPR from "${eq} + 1")
    string(SUBSTRING "${pair}" ${from} -1 path)
    string(APPEND manifest "${key}\t${path}\n")
    list(APPEND deps "${path}")
  endforeach()
  set(manifest_file "${E_OUTPUT}.manifest")
  set(settings "NAMESPACE=${E_NAMESPACE}\nLOOKUP=${E_LOOKUP}\nNAMES=${E_NAMES}\nSTRIP_SUFFIX=${E_STRIP_SUFFIX}\nPREAMBLE=${E_PREAMBLE}\n")
  # Only rewrite when the content changes (keeps the build incremental).
  file(CONFIGURE OUTPUT "${manifest_file}" CONTENT "${settings}--\n${manifest}" @ONLY)
  add_custom_command(
    OUTPUT "${E_OUTPUT}"
    COMMAND "${CMAKE_COMMAND}" "-DMANIFEST=${manifest_file}" "-DOUTPUT=${E_OUTPUT}"
            -P "${MEMBERDESK_CMAKE_DIR}/embed_files.cmake"
    DEPENDS ${deps} "${manifest_file}" "${MEMBERDESK_CMAKE_DIR}/embed_files.cmake"
    COMMENT "Embedding ${E_LOOKUP}() data into ${E_OUTPUT}"
    VERBATIM)
endfunction()
