#!/usr/bin/env python3
"""kafkasim's benchmarks beside their peers (bench/peers/), in one run.

1. The hold model (`kafkasim bench hold --queue all`): the engine and its event queue, then the
   peers: the radix heap the engine used before, a calendar queue on integer ticks, and
   std::priority_queue. Events per second.
2. The cluster benchmark, bench/cluster.json, at 30 s and at 60 s of simulated time: simulated
   messages per wall second and per CPU second, peak memory, and the peak memory per extra
   message (60 s against 30 s, as docs/benchmarks.md measures it).
3. The same work in SimPy (bench/peers/simpy_cluster.py under /usr/bin/python3, Debian's
   python3-simpy3; skipped with a note when SimPy is missing): simulated messages per wall and
   per CPU second.

With --repeat N every figure is the median of N runs. With --before BIN, BIN (an older build of
kafkasim) runs the hold model and the cluster benchmark too, in the same run, for before-and-after
figures measured under the same conditions. Figures are printed, never asserted.
  python3 bench/compare.py [--kafkasim build/release/kafkasim] [--repeat 3] [--before BIN]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MESSAGES_PER_S = 60000  # bench/cluster.json: 3 producers of 20,000 messages/s


def hold(kafkasim, events):
    out = subprocess.run([kafkasim, "bench", "hold", "--queue", "all", "--events", str(events)],
                         check=True, capture_output=True, text=True).stdout
    rates = {}
    for line in out.splitlines():
        m = re.match(r"\| (\S+) \((.*)\) \| ([\d.]+) M \| ([\d.]+) M \|", line)
        if m:
            rates[(m.group(1), m.group(2))] = (float(m.group(3)), float(m.group(4)))
    return rates


def cluster(kafkasim, duration_ms):
    timed = subprocess.run(
        ["/usr/bin/time", "-f", "TIME %e %U %M %R", kafkasim, "run",
         os.path.join(ROOT, "bench", "cluster.json"), "--jobs", "1", "--set",
         f"/duration_ms={duration_ms}", "--csv", os.devnull],
        check=True, capture_output=True, text=True)
    line = [x for x in timed.stderr.splitlines() if x.startswith("TIME ")][-1]
    _, wall, user, kib, faults = line.split()
    return float(wall), float(user), int(kib), int(faults)


def simpy(duration_s):
    try:
        out = subprocess.run(
            ["/usr/bin/python3", os.path.join(ROOT, "bench", "peers", "simpy_cluster.py"),
             "--duration-s", str(duration_s)], check=True, capture_output=True, text=True).stdout
    except subprocess.CalledProcessError as e:
        return None, e.stderr.strip()
    fields = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return fields, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kafkasim", default=os.path.join(ROOT, "build", "release", "kafkasim"))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--before", help="an older kafkasim build to measure beside this one")
    parser.add_argument("--hold-events", type=int, default=10_000_000)
    parser.add_argument("--simpy-duration-s", type=float, default=5.0)
    args = parser.parse_args()
    med = statistics.median
    n = args.repeat
    print(f"kafkasim={args.kafkasim} repeat={n} (each figure the median of {n} runs)\n")

    builds = [("kafkasim", args.kafkasim)]
    if args.before:
        builds.append(("kafkasim before", args.before))

    print("Hold model, 10,000 pending events, Exp(1 s) increments:\n")
    print("| build | queue | events per wall s | events per CPU s |\n|---|---|---|---|")
    for label, binary in builds:
        runs = [hold(binary, args.hold_events) for _ in range(n)]
        for key in runs[0]:
            if label != "kafkasim" and key[0] != "engine":
                continue  # the peers' code is the same in both builds
            wall = med(r[key][0] for r in runs)
            cpu = med(r[key][1] for r in runs)
            print(f"| {label} | {key[0]} ({key[1]}) | {wall:.2f} M | {cpu:.2f} M |")
        sys.stdout.flush()

    print("\nCluster benchmark, bench/cluster.json (--jobs 1):\n")
    print("| simulator | simulated s | messages | wall s | CPU s | messages per wall s "
          "| messages per CPU s | peak memory | page faults |")
    print("|---|---|---|---|---|---|---|---|---|")
    peaks = {}
    for label, binary in builds:
        for duration_s in (30, 60):
            results = [cluster(binary, duration_s * 1000) for _ in range(n)]
            wall = med(r[0] for r in results)
            user = med(r[1] for r in results)
            kib = med(r[2] for r in results)
            faults = med(r[3] for r in results)
            peaks[(label, duration_s)] = kib
            messages = MESSAGES_PER_S * duration_s
            print(f"| {label} | {duration_s} | {messages / 1e6:.2f} M | {wall:.2f} | {user:.2f} "
                  f"| {messages / wall / 1e6:.2f} M | {messages / user / 1e6:.2f} M "
                  f"| {kib / 1024:.1f} MiB | {faults:,} |")
            sys.stdout.flush()
    results = []
    for _ in range(n):
        fields, error = simpy(args.simpy_duration_s)
        if fields is None:
            print(f"| SimPy | skipped: {error} |")
            break
        results.append(fields)
    if results:
        sent = int(results[0]["messages"])
        wall = med(float(r["wall_s"]) for r in results)
        cpu = med(float(r["cpu_s"]) for r in results)
        kib = med(int(r["peak_rss_kib"]) for r in results)
        print(f"| SimPy {results[0]['simpy_version']} (bench/peers/simpy_cluster.py) "
              f"| {args.simpy_duration_s:g} | {sent / 1e6:.2f} M | {wall:.2f} | {cpu:.2f} "
              f"| {sent / wall / 1e6:.3f} M | {sent / cpu / 1e6:.3f} M | {kib / 1024:.1f} MiB |")
    extra = MESSAGES_PER_S * 30
    print()
    for label, _ in builds:
        per_message = (peaks[(label, 60)] - peaks[(label, 30)]) * 1024 / extra
        print(f"{label} peak memory per extra message (60 s against 30 s): {per_message:.1f} bytes")


if __name__ == "__main__":
    main()
