#!/usr/bin/env bash
# Installs what is missing (Debian 12, as root), then configures and builds kafkasim.
#   scripts/setup.sh release   optimised build in build/release (what `scripts/main.sh` runs)
#   scripts/setup.sh test      optimised build with assertions on, in build/test (the tests)
#   scripts/setup.sh asan      the tests under AddressSanitizer + UBSan, in build/asan
#                              (CMakePresets.json "asan"; scripts/sanitize.sh runs them)
#   scripts/setup.sh fuzz      the libFuzzer target with clang 14, in build/fuzz
#                              (CMakePresets.json "fuzz"; scripts/fuzz.sh runs it)
set -euo pipefail

kind=${1:-release}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Everything comes from Debian's packages: nothing vendored, nothing downloaded by the build.
# Boost.Math (Student's t quantile) is header-only: libboost-math-dev names the dependency.
packages=(g++ cmake make libboost-graph-dev libboost-math-dev nlohmann-json3-dev libcli11-dev
  doctest-dev libvalijson-dev libgoogle-perftools-dev)
# The tests also run the plots of analysis/ (Python 3, Debian's pandas, matplotlib, and scipy
# for the t quantile); so does the sanitizer suite, which is the same suite.
if [[ $kind == test || $kind == asan ]]; then
  packages+=(python3-pandas python3-matplotlib python3-scipy)
fi
# The test build also builds the browser page (web/build.sh: Emscripten, with Debian's node
# and acorn) and tests it in headless Chromium (docs/browser.md).
if [[ $kind == test ]]; then
  packages+=(emscripten nodejs node-acorn chromium chromium-driver python3-selenium)
fi
# libFuzzer and clang's sanitizer runtimes come with clang 14's compiler-rt.
if [[ $kind == fuzz ]]; then packages+=(clang-14 libclang-rt-14-dev); fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

case "$kind" in
  release) build_type=Release; asserts=OFF; tests=OFF ;;  # the executable is all main.sh needs
  test) build_type=RelWithDebInfo; asserts=ON; tests=ON ;;
  asan | fuzz)
    cd "$root"
    cmake --preset "$kind" >/dev/null
    cmake --build --preset "$kind" -j "$(nproc)"
    exit 0
    ;;
  *) echo "setup: unknown build kind '$kind' (release, test, asan or fuzz)" >&2; exit 2 ;;
esac

build_dir="$root/build/$kind"
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" \
  -DKAFKASIM_ASSERTIONS="$asserts" -DKAFKASIM_BUILD_TESTS="$tests" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
