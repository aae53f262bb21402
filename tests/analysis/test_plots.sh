#!/usr/bin/env bash
# CTest analysis/plots: the plotting commands of analysis/ on a small report and a small sweep.
# Every figure must exist, be non-empty and come out byte-identical on a second run; a missing
# metric must be skipped with a note, and bad input must exit 2.
#   test_plots.sh KAFKASIM SOURCE_DIR WORK_DIR
set -euo pipefail
kafkasim=$1
source=$2
work=$3
python=/usr/bin/python3
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# A 20 s leader crash: the crash 8-16 s, broker-2 cut off 18-19 s.
"$kafkasim" run "$source/scenarios/leader-crash.json" --acks async,isr \
  --set /duration_ms=20000 --set /settle_ms=5000 --set /producers/0/rate_changes=[] \
  --set /faults/0/at_ms=8000 --set /faults/0/until_ms=16000 \
  --set /faults/1/at_ms=18000 --set /faults/1/until_ms=19000 \
  --json "$work/run.json" --latency-csv "$work/latency.csv" --series "$work/series.csv" >/dev/null
series="$work/series.csv"

run_figures="latency-cdf acks-latency replication-orders-0 consumer-lag lag-detail-billing"
for out in a b; do
  "$python" "$source/analysis/plot_run.py" --json "$work/run.json" --series "$series" \
    --latency-csv "$work/latency.csv" --out "$work/$out" >"$work/$out.list"
done
for name in $run_figures; do
  for ext in png svg; do
    file="$work/a/$name.$ext"
    [[ -s $file ]] || fail "$file missing or empty"
    grep -qx "$file" "$work/a.list" || fail "$file not listed on stdout"
    cmp -s "$file" "$work/b/$name.$ext" || fail "$name.$ext differs between two runs"
  done
done
grep -q "<svg" "$work/a/latency-cdf.svg" || fail "latency-cdf.svg is not SVG"

# No consumer groups: (d) and (f) are skipped with a note, the others are still drawn.
grep -v -E ",(consumer_lag|partition_lag|member_lag)," "$series" >"$work/no-lag.csv"
"$python" "$source/analysis/plot_run.py" --json "$work/run.json" --series "$work/no-lag.csv" \
  --out "$work/no-lag" 2>"$work/no-lag.err" >/dev/null || fail "plot_run failed without consumer_lag"
grep -q "consumer lag: the series has no consumer_lag metric" "$work/no-lag.err" ||
  fail "no note for the missing consumer_lag"
grep -q "lag per partition and member: the series has no partition_lag or member_lag" \
  "$work/no-lag.err" || fail "no note for the missing partition_lag and member_lag"
[[ ! -e $work/no-lag/consumer-lag.png ]] || fail "consumer-lag drawn without data"
[[ ! -e $work/no-lag/lag-detail-billing.png ]] || fail "lag-detail drawn without data"
[[ -s $work/no-lag/acks-latency.png && -s $work/no-lag/latency-cdf.png ]] ||
  fail "figures missing without consumer_lag"

# The report alone: the coarse CDF from its percentiles, a note for the rest.
"$python" "$source/analysis/plot_run.py" --json "$work/run.json" --out "$work/alone" \
  2>"$work/alone.err" >/dev/null || fail "plot_run failed on the report alone"
[[ -s $work/alone/latency-cdf.svg ]] || fail "no CDF from the report alone"
grep -q "no --series" "$work/alone.err" || fail "no note for the missing series"

# Bad input exits 2 with the file named.
printf 'time,value\n0,1\n' >"$work/bad.csv"
status=0
"$python" "$source/analysis/plot_run.py" --json "$work/run.json" --series "$work/bad.csv" \
  --out "$work/bad" 2>"$work/bad.err" || status=$?
[[ $status -eq 2 ]] || fail "a bad series exited $status, expected 2"
grep -q "bad.csv: header time,value, expected acks,seed,time_ms,metric,subject,value" \
  "$work/bad.err" || fail "the bad series is not explained: $(cat "$work/bad.err")"

# (e) A sweep: two values of min.insync.replicas, two seeds, two modes.
"$kafkasim" sweep "$source/scenarios/leader-crash.json" --acks async,isr --seeds 2 \
  --set /duration_ms=4000 --set /settle_ms=2000 --set /faults=[] \
  --set /producers/0/rate_changes=[] \
  --vary /cluster/broker_config/min.insync.replicas=1,2 --csv "$work/sweep.csv"
"$python" "$source/analysis/plot_sweep.py" --csv "$work/sweep.csv" --metric latency_p99_ms \
  --out "$work/sweep" >/dev/null
for ext in png svg; do
  [[ -s $work/sweep/sweep-latency_p99_ms.$ext ]] || fail "sweep-latency_p99_ms.$ext missing"
done
status=0
"$python" "$source/analysis/plot_sweep.py" --csv "$work/sweep.csv" --metric no_such_column \
  --out "$work/sweep" 2>/dev/null || status=$?
[[ $status -eq 2 ]] || fail "an unknown sweep metric exited $status, expected 2"
echo "analysis/plots: all figures written, deterministic, missing data handled"
