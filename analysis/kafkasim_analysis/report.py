"""Reading kafkasim's outputs: the JSON report (`--json`), the series (`--series`, SPEC.md's tidy
CSV) and the latency histogram (`--latency-csv`). A file that does not have the expected form is
an InputError naming the file and what was expected."""
import json

import pandas as pd

SERIES_COLUMNS = ["acks", "seed", "time_ms", "metric", "subject", "value"]
LATENCY_COLUMNS = ["acks", "seed", "lower_ms", "upper_ms", "count"]


class InputError(Exception):
    pass


def _read_csv(path, columns):
    try:
        frame = pd.read_csv(path, dtype={"acks": str, "subject": str, "metric": str})
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(f"{path}: cannot read: {e}") from e
    if list(frame.columns) != columns:
        raise InputError(f"{path}: header {','.join(map(str, frame.columns))}, "
                         f"expected {','.join(columns)}")
    return frame


def load_report(path):
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: cannot read the JSON report: {e}") from e
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise InputError(f"{path}: expected a kafkasim report (an object with \"runs\")")
    return report


def modes(report):
    """The modes of the report's runs, in the order they were run."""
    seen = []
    for run in report["runs"]:
        if run["acks"] not in seen:
            seen.append(run["acks"])
    return seen


def _hit(report, index, written):
    """The node(s) fault `index` hit, from each run's fault_nodes: "broker-1", or per mode
    ("broker-1 in async, broker-2 in isr") when a role resolved differently; "" when that is
    just what the scenario wrote (a node's own name) or the report predates fault_nodes."""
    by_mode = []
    for run in report.get("runs", []):
        hit = run.get("fault_nodes")
        if hit is None or index >= len(hit):
            return ""
        names = ", ".join(hit[index]) or "no such node"
        if (run["acks"], names) not in by_mode:
            by_mode.append((run["acks"], names))
    names = {n for _, n in by_mode}
    if not names or names == {written}:
        return ""
    if len(names) == 1:
        return names.pop()
    return ", ".join(f"{n} in {mode}" for mode, n in by_mode)


def faults(report):
    """[(start_s, end_s, label)] from the report's scenario.faults (empty if absent). A fault
    aimed at a role (leader-of:T-P, controller) names the broker it hit, as the runs report."""
    out = []
    for index, f in enumerate(report.get("scenario", {}).get("faults", [])):
        if "target" in f:
            hit = _hit(report, index, f["target"])
            who = f["target"] + (f" = {hit}" if hit else "")
            who += " (power loss)" if f.get("power_loss") else ""
        elif "sides" in f:
            who = " | ".join(", ".join(side) for side in f["sides"])
        elif "between" in f:
            who = " - ".join(f["between"])
        else:
            who = ", ".join(f.get("targets", []))
        out.append((f["at_ms"] / 1000.0, f["until_ms"] / 1000.0, f"{f['type']} {who}"))
    return out


def _rate(per_s):
    return f"{per_s:,.0f}" if per_s == int(per_s) else f"{per_s:g}"


def load_changes(report):
    """[(at_s, label)] from the report's scenario.load_changes (empty if absent): "app 2,000 ->
    6,000/s" for a rate change, "app starts, 500/s" and "app stops" for start_ms and stop_ms."""
    out = []
    for c in report.get("scenario", {}).get("load_changes", []):
        if c.get("key") == "start_ms":
            label = f"{c['producer']} starts, {_rate(c['to_per_s'])}/s"
        elif c.get("key") == "stop_ms":
            label = f"{c['producer']} stops"
        else:
            label = f"{c['producer']} {_rate(c['from_per_s'])} \u2192 {_rate(c['to_per_s'])}/s"
        out.append((c["at_ms"] / 1000.0, label))
    return out


def load_series(path):
    frame = _read_csv(path, SERIES_COLUMNS)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame["time_s"] = frame["time_ms"] / 1000.0
    return frame


def load_latency(path):
    frame = _read_csv(path, LATENCY_COLUMNS)
    return frame


def first_seed_only(frame, seed):
    """A time series is drawn for one seed: the report's first."""
    return frame[frame["seed"] == seed]
