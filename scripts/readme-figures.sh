#!/usr/bin/env bash
# Regenerates the figures the documentation shows (docs/figures/): the flagship scenario's
# report, drawn by analysis/plot_run.py (latency CDF, acknowledgements and latency over time,
# replication of orders-0, consumer lag), lesson 2's burst
# (consumer-burst.json's lag), lesson 8's rebalance (consumer-rebalance.json's lag per partition
# and per member), and lesson 14's sweep of unclean-election.json over min.insync.replicas, drawn
# by analysis/plot_sweep.py.
#   scripts/readme-figures.sh [path/to/kafkasim]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kafkasim=${1:-$root/build/release/kafkasim}
out=$root/docs/figures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
series=(--series "$tmp/series.csv")
"$kafkasim" run "$root/scenarios/leader-crash.json" --json "$tmp/run.json" \
  --latency-csv "$tmp/latency.csv" "${series[@]}" >/dev/null
/usr/bin/python3 "$root/analysis/plot_run.py" --json "$tmp/run.json" \
  --latency-csv "$tmp/latency.csv" "${series[@]}" --out "$tmp/figures" >/dev/null
mkdir -p "$out"
for png in "$tmp"/figures/*.png; do
  # The flagship's one partition and one member: its lag detail is its consumer-lag again.
  case $(basename "$png") in lag-detail-*) continue ;; esac
  cp "$png" "$out/leader-crash-$(basename "$png")"
done
"$kafkasim" run "$root/scenarios/consumer-burst.json" --acks isr --json "$tmp/burst.json" \
  --series "$tmp/burst.csv" >/dev/null
/usr/bin/python3 "$root/analysis/plot_run.py" --json "$tmp/burst.json" --series "$tmp/burst.csv" \
  --out "$tmp/burst" >/dev/null 2>&1
cp "$tmp/burst/consumer-lag.png" "$out/consumer-burst-consumer-lag.png"
"$kafkasim" run "$root/scenarios/consumer-rebalance.json" --json "$tmp/rebalance.json" \
  --series "$tmp/rebalance.csv" >/dev/null
/usr/bin/python3 "$root/analysis/plot_run.py" --json "$tmp/rebalance.json" \
  --series "$tmp/rebalance.csv" --out "$tmp/rebalance" >/dev/null 2>&1
cp "$tmp/rebalance/lag-detail-billing.png" "$out/consumer-rebalance-lag-detail-billing.png"
"$kafkasim" sweep "$root/scenarios/unclean-election.json" --acks isr,sync --seeds 3 \
  --vary /cluster/broker_config/min.insync.replicas=1,2 --csv "$tmp/sweep.csv"
/usr/bin/python3 "$root/analysis/plot_sweep.py" --csv "$tmp/sweep.csv" \
  --metric lost_acknowledged --out "$tmp/sweep" >/dev/null
cp "$tmp/sweep/sweep-lost_acknowledged.png" "$out/unclean-election-sweep-lost.png"
ls "$out"
