#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with assertions on, runs CTest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" test
ctest --test-dir "$root/build/test" --output-on-failure -j "$(nproc)" "$@"
