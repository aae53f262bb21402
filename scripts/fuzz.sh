#!/usr/bin/env bash
# Builds the libFuzzer target (CMakePresets.json "fuzz", clang 14, ASan + UBSan) and fuzzes
# scenario loading, validation and small simulations for SECONDS (default 60, CI's smoke run).
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer options]
# The corpus (build/fuzz/corpus) is seeded from scenarios/ and tests/data/fuzz/ and grows across
# runs. A crash leaves its input in build/fuzz/artifacts/ and fails the script: copy the input
# to tests/data/fuzz/ (tests/fuzz replays every file there), then fix it.
set -euo pipefail
seconds=${1:-60}
shift || true
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" fuzz
build=$root/build/fuzz
mkdir -p "$build/corpus" "$build/artifacts"
shopt -s nullglob
for seed in "$root"/scenarios/*.json "$root"/tests/data/fuzz/*; do
  [[ $(basename "$seed") == README.md ]] && continue
  cp "$seed" "$build/corpus/seed-$(basename "$seed")"
done
# One job per core; -max_len bounds an input (the loader's own limit is 16 MiB, tested apart).
exec "$build/fuzz_scenario" "$build/corpus" -dict="$root/fuzz/scenario.dict" \
  -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
  -artifact_prefix="$build/artifacts/" -print_final_stats=1 "$@"
