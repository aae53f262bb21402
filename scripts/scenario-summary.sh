#!/usr/bin/env bash
# Writes tests/data/scenario-summary.csv: the summary CSV (SPEC.md "--csv") of every scenario in
# scenarios/, each under its own "acks" and seed, one header. tests/run/test_scenarios.cpp
# compares the model's output with it; after a change to the model that moves the numbers on
# purpose, run this (with build/test built) and review the diff before committing it.
#   scripts/scenario-summary.sh [path/to/kafkasim]
set -euo pipefail
export LC_ALL=C  # the order of the files: byte order, as the test sorts them
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kafkasim=${1:-$root/build/test/kafkasim}
out=$root/tests/data/scenario-summary.csv
# The temporary directory sits next to the output, so the final mv is a rename within one
# file system: the CSV is replaced whole or not at all.
tmp=$(mktemp -d "$(dirname "$out")/.scenario-summary.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
first=1
for scenario in "$root"/scenarios/*.json; do
  [[ $(basename "$scenario") == schema.json ]] && continue
  "$kafkasim" run "$scenario" --csv "$tmp/one.csv" --jobs 1 >/dev/null
  if ((first)); then cat "$tmp/one.csv"; first=0; else tail -n +2 "$tmp/one.csv"; fi
done >"$tmp/all.csv"
mv "$tmp/all.csv" "$out"
echo "wrote $out"
