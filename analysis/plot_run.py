#!/usr/bin/python3
"""All figures of one kafkasim report, as PNG and SVG (issue 5, item 5 a-d):

    kafkasim run S.json --json run.json --series series.csv --latency-csv latency.csv
    /usr/bin/python3 analysis/plot_run.py --json run.json --series series.csv \\
        --latency-csv latency.csv --out figures/

writes latency-cdf, acks-latency, replication-<partition> (one per partition, the first
--partitions), consumer-lag and lag-detail-<group> (each partition's and each member's lag).
Every figure over time marks the faults (shaded bands) and the load changes (dash-dot lines).
Only --json is required: without --latency-csv the CDF is drawn from the report's percentiles;
without --series (or a metric in it) the figures that need it are skipped with a note on stderr.
Prints each file written. Exit 2 on unreadable input.
"""
import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from kafkasim_analysis import figures, run_figures  # noqa: E402
from kafkasim_analysis.report import (InputError, load_latency, load_report,  # noqa: E402
                                      load_series)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", required=True, help="the report of kafkasim run --json")
    parser.add_argument("--series", help="the CSV of kafkasim run --series")
    parser.add_argument("--latency-csv", help="the CSV of kafkasim run --latency-csv")
    parser.add_argument("--out", required=True, help="directory for the figures (created)")
    parser.add_argument("--partitions", type=int, default=4,
                        help="replication figures for at most this many partitions (default 4)")
    parser.add_argument("--lag-lines", type=int, default=run_figures.LAG_LINES,
                        help="lag-detail figures: a line each for at most this many partitions "
                             "and members, the rest summed into one (default "
                             f"{run_figures.LAG_LINES})")
    args = parser.parse_args(argv)
    try:
        report = load_report(args.json)
        series = load_series(args.series) if args.series else None
        latency = load_latency(args.latency_csv) if args.latency_csv else None
    except InputError as e:
        print(f"plot_run: {e}", file=sys.stderr)
        return 2
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    figures.setup()

    written, notes = [], []

    def record(name, result):
        paths, note = result
        written.extend(paths or [])
        if note:
            notes.append(f"{name}: {note}")

    record("latency CDF", run_figures.latency_cdf(report, latency, out))
    if series is None:
        notes.append("over time, replication, consumer lag: skipped (no --series)")
    else:
        record("acknowledgements and latency", run_figures.over_time(report, series, out))
        record("replication", run_figures.replication(report, series, out, args.partitions))
        record("consumer lag", run_figures.consumer_lag(report, series, out))
        record("lag per partition and member",
               run_figures.lag_detail(report, series, out, args.lag_lines))
    for path in written:
        print(path)
    for note in notes:
        print(f"plot_run: {note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
