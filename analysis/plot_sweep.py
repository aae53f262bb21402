#!/usr/bin/python3
"""A sweep's metrics against a varied parameter, as PNG and SVG (issue 5, item 5 e):

    kafkasim sweep S.json --vary /cluster/broker_config/min.insync.replicas=1,2,3 \\
        --seeds 5 --csv sweep.csv
    /usr/bin/python3 analysis/plot_sweep.py --csv sweep.csv --metric lost_acknowledged \\
        --metric latency_p99_ms --out figures/

writes sweep-<metric> for each --metric (default lost_acknowledged and latency_p99_ms): the
mean over seeds with 95% confidence bars (Student t), against --x (default: the first varied
pointer), one line per mode and per value of the other varied pointers. Exit 2 on bad input.
"""
import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from kafkasim_analysis import figures  # noqa: E402
from kafkasim_analysis.report import InputError  # noqa: E402
from kafkasim_analysis.sweep_figures import load_sweep, metric_against, varied_columns  # noqa


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", required=True, help="the CSV of kafkasim sweep")
    parser.add_argument("--metric", action="append",
                        help="a summary column to plot (repeatable)")
    parser.add_argument("--x", help="the varied pointer on the x axis (default: the first)")
    parser.add_argument("--out", required=True, help="directory for the figures (created)")
    args = parser.parse_args(argv)
    metrics = args.metric or ["lost_acknowledged", "latency_p99_ms"]
    try:
        frame = load_sweep(args.csv)
        varied = varied_columns(frame)
        if not varied:
            raise InputError(f"{args.csv}: no varied pointer column")
        x = args.x or varied[0]
        if x not in varied:
            raise InputError(f"--x {x}: not a varied pointer (expected one of {', '.join(varied)})")
        out = pathlib.Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        figures.setup()
        name = frame["scenario"].iloc[0] if len(frame) else "sweep"
        for metric in metrics:
            for path in metric_against(frame, x, metric, out, name):
                print(path)
    except InputError as e:
        print(f"plot_sweep: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
