# Registering doctest executables with ctest.
#
#   memberdesk_add_doctest(<target>
#       [PER_CASE]            # one ctest test per doctest TEST_CASE (discovered
#                             # after each build with --list-test-cases)
#       [PREFIX <text>]       # ctest name prefix, e.g. "core: "
#       [TIMEOUT <seconds>]   # per ctest test
#       [LABELS <label>...])
#
# Without PER_CASE the whole executable is one ctest test named <target>.
# Either way a run that executes no test case at all counts as a failure
# (doctest itself exits 0 then), and doctest's summary line
# "[doctest] test cases: N | N passed | 0 failed" is in the test output.
#
# Under em++ the test runs as "node [--no-experimental-fetch] <target>.js";
# MEMBERDESK_TEST_RUNNER holds that prefix (empty natively).

if(EMSCRIPTEN)
  find_program(MEMBERDESK_NODE NAMES node nodejs REQUIRED)
  set(MEMBERDESK_TEST_RUNNER "${MEMBERDESK_NODE}")
  execute_process(COMMAND "${MEMBERDESK_NODE}" --version
                  OUTPUT_VARIABLE _md_node_version OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(_md_node_version MATCHES "^v([0-9]+)" AND CMAKE_MATCH_1 GREATER_EQUAL 18)
    # Node 18+ has fetch(); emscripten 3.1.6 then tries to fetch() the .wasm
    # from a file path and fails.
    list(APPEND MEMBERDESK_TEST_RUNNER --no-experimental-fetch)
  endif()
else()
  set(MEMBERDESK_TEST_RUNNER "")
endif()

# doctest's summary when no test case ran ("test cases: 0 | 0 passed | 0 failed |
# N skipped": cases filtered out by --test-case count as skipped).  Only
# unskipped cases are listed, so in PER_CASE mode each test must run one.
set(MEMBERDESK_DOCTEST_NOTHING_RAN "test cases: +0 +\\|")

# Test sources need no optimisation: the code under test lives in libraries built with the
# project's flags. At -O2 -g a server test file (cpp-httplib + nlohmann + doctest) takes ~40 s of
# g++; at -O0 -g about a third of that, which is most of a fresh native build.
option(MEMBERDESK_FAST_TEST_BUILD "Compile the test sources themselves at -O0 (native builds)" ON)

# Test files compiled in batches (CMake unity build): most of a test file's compile time is the
# shared headers (doctest, nlohmann, cpp-httplib, the service), parsed once per batch instead of
# once per file. 0 or 1: one file at a time (quicker when editing a single test file).
set(MEMBERDESK_TEST_BATCH_SIZE 8 CACHE STRING "Test source files compiled together (0: one at a time)")

# memberdesk_add_doctest(target [PER_CASE] [PREFIX p] [TIMEOUT s] [LABELS ...] [SHARD_SIZE k])
#   PER_CASE: one ctest test per TEST_CASE. Otherwise one test for the whole binary, or with
#   SHARD_SIZE two: "<target> (1 of 2)" runs the first k cases and "<target> (2 of 2)" the rest, both
#   in one fixed shuffled order (doctest --order-by=rand with a fixed seed, so both see the same
#   order), which puts slow files in both halves; the halves run side by side. Sets
#   <target>_TESTS in the caller to the names of the tests added.
function(memberdesk_add_doctest target)
  cmake_parse_arguments(A "PER_CASE" "PREFIX;TIMEOUT;SHARD_SIZE" "LABELS" ${ARGN})
  if(MEMBERDESK_FAST_TEST_BUILD AND NOT EMSCRIPTEN AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -O0)
  endif()
  if(MEMBERDESK_TEST_BATCH_SIZE GREATER 1)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${MEMBERDESK_TEST_BATCH_SIZE})
    # doctest's main must be the first doctest include of its file: keep it out of the batches.
    get_target_property(sources ${target} SOURCES)
    foreach(source IN LISTS sources)
      if(source MATCHES "(^|/)(main|[a-z_]+_main)\\.cpp$")
        set_source_files_properties("${source}" TARGET_DIRECTORY ${target} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
      endif()
    endforeach()
  endif()
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  set(args --no-colors=true --no-version=true)
  if(NOT A_PER_CASE)
    if(A_SHARD_SIZE)
      math(EXPR after "${A_SHARD_SIZE} + 1")
      set(names "${A_PREFIX}${target} (1 of 2)" "${A_PREFIX}${target} (2 of 2)")
      set(ranges "--first=1;--last=${A_SHARD_SIZE}" "--first=${after}")
    else()
      set(names "${A_PREFIX}${target}")
      set(ranges "")
    endif()
    set(i 0)
    foreach(name IN LISTS names)
      if(A_SHARD_SIZE)
        list(GET ranges ${i} range)
        set(shard --order-by=rand --rand-seed=11 ${range})
      else()
        set(shard "")
      endif()
      math(EXPR i "${i} + 1")
      add_test(NAME "${name}" COMMAND ${MEMBERDESK_TEST_RUNNER} "$<TARGET_FILE:${target}>" ${args} ${shard})
      set_tests_properties("${name}" PROPERTIES
        TIMEOUT ${A_TIMEOUT}
        LABELS "${A_LABELS}"
        FAIL_REGULAR_EXPRESSION "${MEMBERDESK_DOCTEST_NOTHING_RAN}")
    endforeach()
    set(${target}_TESTS "${names}" PARENT_SCOPE)
    return()
  endif()

  # PER_CASE: after each link, list the cases and write a ctest script that
  # ctest includes (TEST_INCLUDE_FILES).
  set(config "${CMAKE_CURRENT_BINARY_DIR}/${target}_discover_config.cmake")
  set(ctest_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_tests.cmake")
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_include.cmake")
  file(GENERATE OUTPUT "${config}" CONTENT
"set(EXE [==[$<TARGET_FILE:${target}>]==])
set(RUNNER [==[${MEMBERDESK_TEST_RUNNER}]==])
set(PREFIX [==[${A_PREFIX}]==])
set(TARGET [==[${target}]==])
set(OUT [==[${ctest_file}]==])
set(TIMEOUT [==[${A_TIMEOUT}]==])
set(LABELS [==[${A_LABELS}]==])
set(ARGS [==[${args}]==])
set(WORKDIR [==[${CMAKE_CURRENT_BINARY_DIR}]==])
set(NOTHING_RAN [==[${MEMBERDESK_DOCTEST_NOTHING_RAN}]==])
")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND "${CMAKE_COMMAND}" "-DCONFIG=${config}" -P "${MEMBERDESK_CMAKE_DIR}/doctest_discover.cmake"
    COMMENT "Listing doctest cases of ${target}"
    VERBATIM)
  file(WRITE "${include_file}"
"if(EXISTS [==[${ctest_file}]==])
  include([==[${ctest_file}]==])
else()
  add_test([==[${A_PREFIX}${target} (not built)]==] [==[${target}_NOT_BUILT]==])
endif()
")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
