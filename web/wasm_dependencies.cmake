# The model's header-only dependencies for the em++ build (web/build.sh). Emscripten's
# toolchain looks for packages in its own sysroot only, and /usr/include as a whole must not be
# seen (its glibc headers would shadow Emscripten's libc): so a directory holding just Debian's
# Boost and nlohmann_json headers (links to them) stands in for find_package.
set(KAFKASIM_WASM_INCLUDE ${CMAKE_BINARY_DIR}/debian-headers)
foreach(library boost nlohmann)
  if(NOT EXISTS /usr/include/${library})
    message(FATAL_ERROR "/usr/include/${library} is missing: bash scripts/setup.sh test installs it")
  endif()
  file(MAKE_DIRECTORY ${KAFKASIM_WASM_INCLUDE})
  file(CREATE_LINK /usr/include/${library} ${KAFKASIM_WASM_INCLUDE}/${library} SYMBOLIC)
endforeach()
add_library(Boost::graph INTERFACE IMPORTED)
target_include_directories(Boost::graph SYSTEM INTERFACE ${KAFKASIM_WASM_INCLUDE})
add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
target_include_directories(nlohmann_json::nlohmann_json SYSTEM INTERFACE ${KAFKASIM_WASM_INCLUDE})
# Exceptions are part of the model's contract (a run over its event budget throws); WebAssembly's
# own exception handling (Chromium 95+, Firefox 100+, node 17+) costs nothing until one is thrown,
# where Emscripten's JavaScript-based handling slows every call that may throw.
add_compile_options(-fwasm-exceptions)
add_link_options(-fwasm-exceptions)
