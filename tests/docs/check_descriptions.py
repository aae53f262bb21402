#!/usr/bin/env python3
"""Every scenario's description agrees with its output.

Each scenario of scenarios/ says in its `description` what to observe, and its `lesson` names
the figures to predict (each must be a number its run reports). CLAIMS below lists, per
scenario, the claims the description makes: the words that make it (which must still be in the
description, so that a reworded description is reviewed here too) and a check of them on a fresh
run of the scenario under its own modes and seed. A scenario without an entry fails: a new
scenario's description must be checked too.

  check_descriptions.py KAFKASIM SOURCE_DIR WORK_DIR
"""
import csv
import glob
import io
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_doc_figures import Failure, Runs, timeline_of, walk  # noqa: E402


def modes(run):
    return {r["acks"]: r for r in run["json"]["runs"]}


def group(r, name="billing"):
    return next(g for g in r["consumer_groups"] if g["group"] == name)


def timeline(run, mode, text):
    return text in timeline_of(run, mode, "description")


def every(run, check):
    return all(check(r) for r in run["json"]["runs"])


CLAIMS = {
    "async-call-chain": [
        ("about a millisecond under async", lambda run: modes(run)["async"]["latency_ms"]["p50"] < 1.5),
        ("a few under isr", lambda run: modes(run)["isr"]["latency_ms"]["p50"] < 5),
        ("the 30 ms of work plus the replication and the fetch", lambda run: every(run, lambda r: 30 < group(r, "backend")["end_to_end_latency_ms"]["p50"] < 40)),
    ],
    "consumer-burst": [
        ("nothing is refused or lost", lambda run: every(run, lambda r: r["failed"] == 0 and r["lost_acknowledged"] == 0)),
        ("a peak of 2000 x 5 s = 10,000 messages at 15 s", lambda run: every(run, lambda r: abs(group(r)["max_lag"] - 10000) <= 100 and abs(group(r)["max_lag_at_ms"] - 15000) <= 50)),
        ("grows to the peak lag / consume rate = 10 s", lambda run: every(run, lambda r: abs(group(r)["end_to_end_latency_ms"]["max"] - 10000) <= 100)),
        ("while the producers' latency does not move", lambda run: every(run, lambda r: r["latency_ms"]["max"] < 15)),
    ],
    "consumer-crash": [
        ("every message is acknowledged, none fails", lambda run: every(run, lambda r: r["acknowledged"] == r["produced"] and r["failed"] == 0)),
        ("its latency stays at a dozen milliseconds at most", lambda run: every(run, lambda r: r["latency_ms"]["max"] < 15)),
        ("to about 13,000", lambda run: every(run, lambda r: 12500 <= group(r)["max_lag"] <= 14000)),
        ("the restarted billing-0 joins an empty group", lambda run: timeline(run, "isr", "group is empty at generation 2")),
        ("is processed again after the restart: redelivered", lambda run: every(run, lambda r: group(r)["redelivered"] > 0)),
    ],
    "consumer-leader-failover": [
        ("but the end-to-end latency (send() to processed) much less", lambda run: modes(run)["isr"]["consumer_groups"][0]["end_to_end_latency_ms"]["p50"] - modes(run)["async"]["consumer_groups"][0]["end_to_end_latency_ms"]["p50"] < modes(run)["isr"]["latency_ms"]["p50"] - modes(run)["async"]["latency_ms"]["p50"]),
        ("async's end-to-end latency pays the replication its producer did not wait for", lambda run: modes(run)["async"]["consumer_groups"][0]["end_to_end_latency_ms"]["p50"] > 2 * modes(run)["async"]["latency_ms"]["p50"]),
        ("the producers' latency differs by mode", lambda run: modes(run)["async"]["latency_ms"]["p50"] < modes(run)["isr"]["latency_ms"]["p50"]),
        ("both latencies' tails reach about 6 s", lambda run: every(run, lambda r: 5000 < r["latency_ms"]["max"] < 8000 and 5000 < group(r)["end_to_end_latency_ms"]["max"] < 8000)),
    ],
    "consumer-crash-coordinator": [
        ("the leader of __consumer_offsets-39", lambda run: timeline(run, "isr", "stores it in __consumer_offsets-39")),
        ("the group's first join completes at 6 s", lambda run: timeline(run, "isr", "6.003 s  broker-3, coordinator of group \"billing\": group completes the join of generation 1")),
        ("the coordinator expires billing-1", lambda run: timeline(run, "isr", "expires member billing-1-")),
        ("takes all four partitions", lambda run: timeline(run, "isr", "billing-0 joined generation 2 (SyncGroup): owns orders-0, orders-1, orders-2, orders-3")),
        ("is redelivered", lambda run: every(run, lambda r: group(r)["redelivered"] > 0)),
    ],
    "consumer-max-poll": [
        ("its heartbeat thread leaves the group (LeaveGroup)", lambda run: timeline(run, "isr", "leaves the group (LeaveGroup): max.poll.interval.ms (2000 ms) exceeded")),
        ("the storm repeats", lambda run: every(run, lambda r: group(r)["rebalances"] >= 4)),
        ("redelivers more than it processes for the first time", lambda run: every(run, lambda r: group(r)["redelivered"] > group(r)["consumed"])),
        ("its lag grows for the whole run", lambda run: every(run, lambda r: group(r)["lag_at_end"] == group(r)["max_lag"])),
    ],
    "consumer-coordinator-crash": [
        ("look for it again (FindCoordinator)", lambda run: timeline(run, "isr", "marks its group coordinator broker-3 unknown")),
        ("the new leader loads the group", lambda run: timeline(run, "isr", "loaded from __consumer_offsets-39: generation 1, 2 member(s)")),
        ("without a rebalance", lambda run: not timeline(run, "isr", "completes the join of generation 2")),
    ],
    "consumers-beyond-partitions-coordinator": [
        ("gives one member nothing", lambda run: timeline(run, "isr", "(SyncGroup): owns nothing")),
        ("the idle member takes a partition", lambda run: timeline(run, "isr", "billing-2 joined generation 2 (SyncGroup): owns orders-")),
    ],
    "consumer-rebalance": [
        ("about 1,250", lambda run: every(run, lambda r: abs(group(r)["redelivered"] - 1250) <= 50)),
        ("billing-0 rebalances, takes all four partitions", lambda run: timeline(run, "isr", "billing-0 rebalanced (1 member(s)): owns orders-0, orders-1, orders-2, orders-3")),
    ],
    "consumer-slow": [
        ("the group starts reading at 3 s", lambda run: timeline(run, "isr", "3.005 s  billing-0 joined generation 1")),
        ("to 3000 + 500 x 27 s = 16,500 when the producers stop at 30 s", lambda run: every(run, lambda r: abs(group(r)["max_lag"] - 16500) <= 50)),
        ("(11,500 still waiting when the run ends 10 s later)", lambda run: every(run, lambda r: abs(group(r)["lag_at_end"] - 11500) <= 50)),
        ("(21.5 s for the last ones processed)", lambda run: every(run, lambda r: abs(group(r)["end_to_end_latency_ms"]["max"] - 21500) <= 100)),
        ("the producers' own latency stays at a dozen milliseconds at most", lambda run: every(run, lambda r: r["latency_ms"]["max"] < 15)),
    ],
    "consumers-beyond-partitions": [
        ("one member owns nothing and sits idle", lambda run: timeline(run, "isr", "rebalanced (3 member(s)): owns nothing")),
        ("the idle member takes its partition", lambda run: "billing-2 rebalanced (2 member(s)): owns orders-" in timeline_of(run, "isr", "")),
    ],
    "controlled-shutdown": [
        ("so the partition is never offline", lambda run: every(run, lambda r: r["offline_ms"] == 0)),
        ("isr and sync lose nothing", lambda run: modes(run)["isr"]["lost_acknowledged"] == 0 and modes(run)["sync"]["lost_acknowledged"] == 0),
        ("can still lose the odd record", lambda run: modes(run)["async"]["lost_acknowledged"] <= 5),
        ("sync waits for the stopped replica until it returns", lambda run: modes(run)["sync"]["latency_ms"]["max"] > 9000),
    ],
    "controller-failover": [
        ("so async is unaffected and no partition goes offline", lambda run: modes(run)["async"]["latency_ms"]["max"] < 10 and every(run, lambda r: r["offline_ms"] == 0)),
        ("(controller epoch 2)", lambda run: timeline(run, "isr", "became controller (controller epoch 2)")),
        ("acks=all (isr) waits about 6 s", lambda run: 5500 < modes(run)["isr"]["latency_ms"]["max"] < 6500),
        ("nothing is lost", lambda run: every(run, lambda r: r["lost_acknowledged"] == 0)),
    ],
    "follower-freeze": [
        ("the leader shrinks the ISR at 23 s", lambda run: timeline(run, "isr", "23.001 s  broker-1 shrank the ISR")),
        ("sync stays blocked until the follower returns at 25 s", lambda run: 14500 < modes(run)["sync"]["latency_ms"]["max"] < 15500),
        ("async is unaffected; nothing is lost", lambda run: modes(run)["async"]["latency_ms"]["max"] < 10 and every(run, lambda r: r["lost_acknowledged"] == 0)),
    ],
    "follower-partition": [
        ("the controller takes it out of the ISR", lambda run: timeline(run, "isr", "dead replicas leave the ISR")),
        ("so isr latency rises for about 6 s and recovers", lambda run: 5000 < modes(run)["isr"]["latency_ms"]["max"] < 8000),
        ("sync waits until the partition heals", lambda run: modes(run)["sync"]["latency_ms"]["max"] > 19000),
        ("broker-3 rejoins the ISR after the heal", lambda run: every(run, lambda r: r["isr_expands"] >= 1)),
    ],
    "kip101-divergence": [
        ("the two replicas disagree below the high watermark for good", lambda run: modes(run)["isr"]["diverged_offsets"] > 0),
        ("The acknowledged messages lost to the power loss", lambda run: modes(run)["isr"]["lost_acknowledged"] > 0),
    ],
    "kip101-high-watermark": [
        ("isr loses acknowledged messages", lambda run: modes(run)["isr"]["lost_acknowledged"] > 0),
        ("so the controller elects it cleanly", lambda run: modes(run)["isr"]["unclean_leader_elections"] == 0 and modes(run)["isr"]["leader_elections"] == 1),
        ("truncates its log to its own high watermark", lambda run: timeline(run, "isr", "broker-1 truncated")),
    ],
    "kip101-leader-epoch": [
        ("nothing acknowledged is lost", lambda run: modes(run)["isr"]["lost_acknowledged"] == 0),
    ],
    "kip279-quick-failovers": [
        ("it keeps its epoch-1 records", lambda run: modes(run)["isr"]["diverged_offsets"] > 0),
        ("are lost under both rules (an unclean election)", lambda run: modes(run)["isr"]["lost_acknowledged"] > 0 and modes(run)["isr"]["unclean_leader_elections"] == 1),
    ],
    "leader-crash": [
        ("and they are lost when a follower takes over", lambda run: modes(run)["async"]["lost_acknowledged"] > 0),
        ("acks=all (isr) loses nothing", lambda run: modes(run)["isr"]["lost_acknowledged"] == 0),
        ("Every mode is offline for the same 6 s", lambda run: len({r["offline_ms"] for r in run["json"]["runs"]}) == 1 and 6000 <= modes(run)["isr"]["offline_ms"] < 6100),
        ("the ISR never shrinks", lambda run: every(run, lambda r: r["isr_shrinks"] == 0)),
        ("it ends with a backlog", lambda run: modes(run)["sync"]["pending"] > 0),
        ("So does isr once broker-1 is back in the ISR (41 s)", lambda run: modes(run)["isr"]["pending"] > 0 and timeline(run, "isr", "41.494 s  broker-3 expanded the ISR")),
        ("the high watermark stalls in every mode", lambda run: lag_jumps_at_50s()),
        ("then its lag jumps by what was written meanwhile", lambda run: lag_jumps_at_50s()),
    ],
    "order-per-key": [
        ("nothing acknowledged is lost", lambda run: modes(run)["isr"]["lost_acknowledged"] == 0),
        ("`reordered` counts messages", lambda run: modes(run)["isr"]["reordered"] > 0),
    ],
    "partitioners": [
        ("`explicit` sends everything to partition 2", lambda run: [p["high_watermark"] for p in modes(run)["async"]["partitions"] if p["partition"].startswith("explicit-")] == [0, 0, 10000, 0]),
        ("`round-robin` deals messages to the partitions in turn", lambda run: [p["high_watermark"] for p in modes(run)["async"]["partitions"] if p["partition"].startswith("round-robin-")] == [2500] * 4),
        ("every message acknowledged and none lost", lambda run: modes(run)["async"]["acknowledged"] == modes(run)["async"]["produced"] and modes(run)["async"]["lost_acknowledged"] == 0),
        ("the partitions are spread over the brokers", lambda run: len({p["leader"] for p in modes(run)["async"]["partitions"]}) == 3),
    ],
    "power-loss-flush-every-message": [
        ("async, isr and sync lose nothing", lambda run: all(modes(run)[m]["lost_acknowledged"] == 0 for m in ("async", "isr", "sync"))),
        ("acks=0 (none) still loses", lambda run: modes(run)["none"]["lost_acknowledged"] > 0),
    ],
    "power-loss": [
        ("is lost in every mode, including isr and sync", lambda run: every(run, lambda r: r["lost_acknowledged"] > 14000)),
        ("acks=0 (none) also loses what it sent while the brokers were down", lambda run: modes(run)["none"]["lost_acknowledged"] > modes(run)["async"]["lost_acknowledged"]),
    ],
    "producer-crash": [
        ("so they abandon more than async", lambda run: modes(run)["isr"]["abandoned"] > modes(run)["async"]["abandoned"] and modes(run)["sync"]["abandoned"] > modes(run)["async"]["abandoned"]),
        ("nothing acknowledged is lost and nothing is duplicated", lambda run: every(run, lambda r: r["lost_acknowledged"] == 0 and r["duplicates"] == 0)),
        ("(about 50,000 fewer records)", lambda run: every(run, lambda r: abs(300000 - r["produced"] - 50000) < 2000)),
    ],
    "slow-follower": [
        ("stays in the ISR (no shrink)", lambda run: every(run, lambda r: r["isr_shrinks"] == 0)),
        ("the producer gets one batch committed per slow round trip, falls behind the load, and their latency rises to seconds while async is unaffected", lambda run: 1000 < modes(run)["isr"]["latency_ms"]["p99"] < 20000 and modes(run)["async"]["latency_ms"]["p99"] < 10),
        ("nothing is lost", lambda run: every(run, lambda r: r["lost_acknowledged"] == 0)),
    ],
    "unclean-election-min-isr-2": [
        ("refuses acks=all writes with NOT_ENOUGH_REPLICAS", lambda run: timeline(run, "isr", "NOT_ENOUGH_REPLICAS")),
        ("the unclean election loses nothing", lambda run: modes(run)["isr"]["lost_acknowledged"] == 0 and modes(run)["isr"]["unclean_leader_elections"] == 1),
    ],
    "unclean-election": [
        ("at 18 s (replica.lag.time.max.ms plus the check period) it shrinks the ISR to itself", lambda run: timeline(run, "isr", "18.001 s  broker-1 shrank the ISR")),
        ("async and isr lose everything acknowledged between the partition and the crash", lambda run: modes(run)["async"]["lost_acknowledged"] > 10000 and modes(run)["isr"]["lost_acknowledged"] > 10000),
        ("sync loses nothing", lambda run: modes(run)["sync"]["lost_acknowledged"] == 0),
    ],
    "zombie-leader": [
        ("broker-1 cannot shrink its ISR", lambda run: every(run, lambda r: r["isr_shrinks"] == 0)),
        ("async loses every acknowledged message of the zombie period", lambda run: modes(run)["async"]["lost_acknowledged"] > 10000 and modes(run)["isr"]["lost_acknowledged"] == 0 and modes(run)["sync"]["lost_acknowledged"] == 0),
        ("after its session expires (about 16 s) the controller makes broker-2 leader", lambda run: timeline(run, "async", "orders-0 -> broker-2")),
        ("so from then on every produce to broker-1 waits", lambda run: timeline(run, "async", "to [broker-1], written to ZooKeeper at 23.000 s, is unanswered")),
        ("until it learns after the heal that its session expired (async's max latency about 3.6 s)", lambda run: timeline(run, "async", "failed (SESSIONEXPIRED") and 3000 < modes(run)["async"]["latency_ms"]["max"] < 4000),
    ],
}


RUNS = None  # set by main: the claims that need another output of a run ask it for one


def lag_jumps_at_50s():
    """leader-crash under async: while broker-2 is cut off (50 s to 53 s) the high watermark
    stands still, and when it moves again billing's lag jumps by thousands of messages."""
    run = RUNS.get("run scenarios/leader-crash.json --acks async --series -")
    lag = {}
    hw = {}
    for row in csv.DictReader(io.StringIO(run["stdout"])):
        t = int(row["time_ms"])
        if row["metric"] == "consumer_lag":
            lag[t] = int(row["value"])
        elif row["metric"] == "high_watermark":
            hw[t] = int(row["value"])
    stalled = hw[53000] == hw[50500]
    return stalled and lag[53100] > lag[53000] + 5000


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    kafkasim, source_dir, work_dir = (os.path.abspath(a) for a in argv[1:4])
    os.makedirs(work_dir, exist_ok=True)
    global RUNS
    runs = RUNS = Runs(kafkasim, source_dir, work_dir)
    failures = []
    checked = 0
    names = sorted(os.path.basename(p)[:-5] for p in glob.glob(os.path.join(source_dir, "scenarios", "*.json"))
                   if not p.endswith("schema.json"))
    for name in names:
        with open(os.path.join(source_dir, "scenarios", name + ".json")) as f:
            scenario = json.load(f)
        description = scenario.get("description", "")
        if name not in CLAIMS:
            failures.append(f"scenarios/{name}.json: no claims of its description are checked "
                            "(add them to tests/docs/check_descriptions.py)")
            continue
        try:
            run = runs.get(f"run scenarios/{name}.json")
        except Failure as e:
            failures.append(str(e))
            continue
        # The lesson's predictions must name a field the run reports, for a mode the scenario runs:
        # the class is asked for a number the run then shows.
        for i, prediction in enumerate(scenario.get("lesson", {}).get("predictions", [])):
            checked += 1
            where = f"scenarios/{name}.json: /lesson/predictions/{i}"
            try:
                value = walk(modes(run)[prediction["mode"]], prediction["field"], where)
                if not isinstance(value, (int, float)):
                    raise Failure(f"{where}: {prediction['field']} is not a number")
            except KeyError:
                failures.append(f"{where}: the scenario does not run mode {prediction['mode']}")
            except Failure as e:
                failures.append(str(e))
        for words, check in CLAIMS[name]:
            checked += 1
            if words not in description:
                failures.append(f"scenarios/{name}.json: the description no longer says {words!r}: "
                                "review the claim")
            elif not check(run):
                failures.append(f"scenarios/{name}.json: the description says {words!r}, a fresh "
                                "run does not agree")
    for failure in failures:
        print(failure)
    print(f"check_descriptions: {checked} claim(s) of {len(names)} scenario(s); "
          f"{len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
