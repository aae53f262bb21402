#!/usr/bin/env bash
# Regenerates the figures the README shows (docs/figures/): the flagship scenario's report, drawn
# by analysis/plot_run.py. With a kafkasim that has --series (issue 5), the time-series figures
# are drawn too; without, only the latency CDF.
#   scripts/readme-figures.sh [path/to/kafkasim]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kafkasim=${1:-$root/build/release/kafkasim}
out=$root/docs/figures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
series=()
if "$kafkasim" run --help | grep -q -- "--series"; then
  series=(--series "$tmp/series.csv")
fi
"$kafkasim" run "$root/scenarios/leader-crash.json" --json "$tmp/run.json" \
  --latency-csv "$tmp/latency.csv" "${series[@]}" >/dev/null
/usr/bin/python3 "$root/analysis/plot_run.py" --json "$tmp/run.json" \
  --latency-csv "$tmp/latency.csv" "${series[@]}" --out "$tmp/figures" >/dev/null
mkdir -p "$out"
for png in "$tmp"/figures/*.png; do
  cp "$png" "$out/leader-crash-$(basename "$png")"
done
ls "$out"
