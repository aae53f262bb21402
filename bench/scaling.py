#!/usr/bin/env python3
"""The scaling table of docs/benchmarks.md: what a scenario of your own will cost.

Starts from bench/cluster.json (3 brokers, 6 partitions with replication factor 3, 3 producers,
acks=all) and grows one dimension at a time, keeping the others as in the benchmark and the
offered load fixed at 60,000 messages/s in all (each producer sends 60,000 / producers per second):
  brokers     3, 10, 30, 100
  partitions  1, 10, 100, 1,000, 10,000
  producers   1, 10, 100, 1,000
Each row is one `kafkasim run` of --duration-s simulated seconds (default 1) plus 1 s of
settle, timed by /usr/bin/time: events (delivered to the model's actors) and simulated
messages per CPU second (user time: on a shared machine the wall time also counts other
processes' turns; both are printed), and peak memory (maximum resident set). The times include
loading and the cluster's 2 s boot; figures are printed, not asserted.

  python3 bench/scaling.py [--kafkasim build/release/kafkasim] [--duration-s 1] [--repeat 1]
With --repeat N each row is run N times and the median of each figure is printed.
"""

import argparse
import csv
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOTAL_RATE = 60000

AXES = [
    ("brokers", [3, 10, 30, 100]),
    ("partitions", [1, 10, 100, 1000, 10000]),
    ("producers", [1, 10, 100, 1000]),
]


def scenario(brokers, partitions, producers, duration_s):
    with open(os.path.join(ROOT, "bench", "cluster.json")) as f:
        s = json.load(f)
    s["name"] = f"scaling-b{brokers}-p{partitions}-n{producers}"
    s["duration_ms"] = int(duration_s * 1000)
    s["settle_ms"] = 1000
    s["cluster"]["brokers"] = brokers
    s["topics"][0]["partitions"] = partitions
    s["producers"] = [
        {
            "name": f"p{i + 1}",
            "topic": "events",
            "rate_per_s": TOTAL_RATE / producers,
            "arrivals": "poisson",
            "message_bytes": 100,
        }
        for i in range(producers)
    ]
    return s


def run_once(kafkasim, path):
    timed = subprocess.run(
        ["/usr/bin/time", "-f", "TIME %e %U %M", kafkasim, "run", path, "--jobs", "1", "--csv", "-"],
        capture_output=True,
        text=True,
    )
    if timed.returncode != 0:
        sys.exit(f"scaling.py: kafkasim failed on {path}:\n{timed.stderr}")
    time_line = [line for line in timed.stderr.splitlines() if line.startswith("TIME ")][-1]
    _, wall, user, max_kib = time_line.split()
    row = next(csv.DictReader(io.StringIO(timed.stdout)))
    return {
        "wall": float(wall),
        "user": float(user),
        "rss_mib": int(max_kib) / 1024,
        "events": int(row["events"]),
        "messages": int(row["produced"]) if "produced" in row else int(row["sent"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kafkasim", default=os.path.join(ROOT, "build", "release", "kafkasim"))
    parser.add_argument("--duration-s", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    base = {"brokers": 3, "partitions": 6, "producers": 3}
    print(f"kafkasim={args.kafkasim} duration_s={args.duration_s:g} repeat={args.repeat} "
          f"offered load {TOTAL_RATE} messages/s in all")
    print()
    print("| brokers | partitions | producers | events | messages | wall s | CPU s "
          "| events per CPU s | messages per CPU s | peak memory |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="kafkasim-scaling-") as tmp:
        for axis, values in AXES:
            for value in values:
                point = dict(base, **{axis: value})
                s = scenario(point["brokers"], point["partitions"], point["producers"],
                             args.duration_s)
                path = os.path.join(tmp, s["name"] + ".json")
                with open(path, "w") as f:
                    json.dump(s, f)
                runs = [run_once(args.kafkasim, path) for _ in range(args.repeat)]
                wall = statistics.median(r["wall"] for r in runs)
                user = max(statistics.median(r["user"] for r in runs), 0.01)
                rss = statistics.median(r["rss_mib"] for r in runs)
                events, messages = runs[0]["events"], runs[0]["messages"]
                print(f"| {point['brokers']} | {point['partitions']} | {point['producers']} "
                      f"| {events / 1e6:.2f} M | {messages / 1e3:.0f} k | {wall:.2f} | {user:.2f} "
                      f"| {events / user / 1e6:.2f} M | {messages / user / 1e6:.2f} M "
                      f"| {rss:.0f} MiB |", flush=True)


if __name__ == "__main__":
    main()
