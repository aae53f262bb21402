#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (CMakePresets.json
# "asan", build/asan): installs what is missing, builds, runs CTest. Any sanitizer report aborts
# its test (-fno-sanitize-recover, halt_on_error), so it fails the suite. Extra arguments go to
# ctest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" asan
cd "$root"
ctest --preset asan -j "$(nproc)" "$@"
