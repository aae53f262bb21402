#!/usr/bin/env bash
# The WebAssembly build against the native command line (SPEC.md "Additions": for the same
# scenario, seed and options, the page's report is byte-identical to `kafkasim run --json`):
#   test_wasm_same.sh KAFKASIM KAFKASIM_JS SCENARIO [run options...]
# runs `KAFKASIM run SCENARIO OPTIONS` and the same through KAFKASIM_JS under node
# (tests/web/wasm_run.cjs), and fails unless stdout, stderr and the exit status are the same.
# Exit 77 (CTest: skipped) when KAFKASIM_JS was not built because Emscripten is not installed.
set -uo pipefail
native=$1 wasm_js=$2
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ ! -f $wasm_js ]]; then
  if ! command -v em++ >/dev/null; then
    echo "SKIPPED: emscripten is not installed, so the WebAssembly build was not made"
    echo "(bash scripts/setup.sh test installs it; CI does)"
    exit 77
  fi
  echo "FAIL: $wasm_js is missing although em++ is installed (web/build.sh failed?)"
  exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$native" run "$@" >"$out/native.out" 2>"$out/native.err"
echo $? >"$out/native.status"
node "$here/wasm_run.cjs" "$wasm_js" "$@" >"$out/wasm.out" 2>"$out/wasm.err"
echo $? >"$out/wasm.status"
status=0
for part in out err status; do
  if ! cmp -s "$out/native.$part" "$out/wasm.$part"; then
    echo "FAIL: the WebAssembly build's $part differs from the native one's for: run $*"
    diff "$out/native.$part" "$out/wasm.$part" | head -20
    status=1
  fi
done
[[ $status == 0 ]] && echo "same $(wc -c <"$out/native.out") bytes of output, exit status $(cat "$out/native.status"): run $*"
exit $status
