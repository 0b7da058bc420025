# Compiler settings shared by every memberdesk target.

# memberdesk_target_defaults(<target>): warnings (never -Werror) for our own code.
function(memberdesk_target_defaults target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra)
  endif()
endfunction()

if(EMSCRIPTEN)
  # C++ exceptions: emscripten disables catching by default (a throw aborts).
  # nlohmann::json and doctest's CHECK_THROWS rely on them, so keep them on;
  # turning this OFF shrinks the client a little.
  option(MEMBERDESK_WASM_EXCEPTIONS "Enable C++ exception catching under em++" ON)
endif()
