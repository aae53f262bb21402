#!/usr/bin/env bash
# Builds the browser page: the simulator compiled to WebAssembly by Emscripten (Debian's
# `emscripten` package), then one self-contained HTML file (docs/browser.md).
#   web/build.sh [BUILD_DIR]     default build/web; the page is BUILD_DIR/kafkasim.html
# Incremental: a second call recompiles only what changed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/web}
if ! command -v em++ >/dev/null; then
  echo "web/build.sh: em++ not found: apt-get install emscripten (scripts/setup.sh test does)" >&2
  exit 2
fi
# Debian's emscripten runs its JavaScript tools with the system's node, which finds Debian's
# acorn (node-acorn) only through NODE_PATH.
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
# ccache wraps the clang that em++ calls, when the machine has it.
if command -v ccache >/dev/null; then export EM_COMPILER_WRAPPER=${EM_COMPILER_WRAPPER:-ccache}; fi
if [[ ! -f $build/CMakeCache.txt ]]; then
  emcmake cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DKAFKASIM_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j "${KAFKASIM_WEB_JOBS:-$(nproc)}" --target kafkasim_wasm
# The page: one HTML file with everything inlined.
python3 "$root/web/page/assemble.py" "$build/web/kafkasim.js" "$build/kafkasim.html"
echo "web/build.sh: the page is $build/kafkasim.html" >&2
