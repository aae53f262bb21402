#!/usr/bin/env bash
# check_doc_figures.py --rewrite (an author's tool): a stale figure is replaced by the fresh one,
# written as the stale one was (thousands separator, decimals); a figure that matches, and the
# rest of the line, are left as they were; the check then passes on the rewritten file.
#   test_rewrite.sh KAFKASIM SOURCE_DIR WORK_DIR
set -euo pipefail
kafkasim=$1 source_dir=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
doc=$work/doc.md
checker=$source_dir/tests/docs/check_doc_figures.py
# What a fresh run gives, to write one matching quote of it beside two stale ones.
"$kafkasim" run "$source_dir/scenarios/leader-crash.json" --acks async --json "$work/run.json" \
  >/dev/null
produced=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["produced"])' "$work/run.json")
p50=$(/usr/bin/python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["runs"][0]; print("%.2f" % r["latency_ms"]["p50"])' "$work/run.json")
cat >"$doc" <<DOC
<!-- run R: run scenarios/leader-crash.json --acks async -->
It sent 1,000,000<!--=R async produced--> records at a median of $p50 ms<!--=R async latency_ms.p50-->, and 9.99<!--=R async latency_ms.p50--> again.
DOC
if /usr/bin/python3 "$checker" "$kafkasim" "$source_dir" "$work/check" "$doc" >/dev/null; then
  echo "FAIL: the stale figures were not reported" >&2; exit 1
fi
/usr/bin/python3 "$checker" --rewrite "$kafkasim" "$source_dir" "$work/check" "$doc" >"$work/out" ||
  true
grep -q "doc.md:2: rewritten:" "$work/out" || { echo "FAIL: the rewrite was not listed" >&2; exit 1; }
want=$(/usr/bin/python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$produced")
line=$(sed -n 2p "$doc")
case $line in
  "It sent $want<!--=R async produced--> records at a median of $p50 ms<!--=R async latency_ms.p50-->, and $p50<!--=R async latency_ms.p50--> again.") ;;
  *) echo "FAIL: rewritten line is: $line" >&2; exit 1 ;;
esac
/usr/bin/python3 "$checker" "$kafkasim" "$source_dir" "$work/check" "$doc" >/dev/null ||
  { echo "FAIL: the rewritten file does not pass the check" >&2; exit 1; }
echo "test_rewrite: ok"
