"""(e) A sweep's metric against a varied parameter (issue 5, item 5 e): for each value, the mean
over seeds with its 95% confidence interval (Student t) as a bar, one line per mode and per
combination of the other varied parameters."""
import pandas as pd

from . import figures
from .report import InputError
from .stats import mean_half_width


def varied_columns(frame):
    """The columns `kafkasim sweep` puts between "point" and "scenario": one per --vary."""
    columns = list(frame.columns)
    if not columns or columns[0] != "point" or "scenario" not in columns:
        raise InputError("expected the CSV of kafkasim sweep (columns point, the varied "
                         "pointers, scenario, acks, seed, ...)")
    return columns[1:columns.index("scenario")]


def load_sweep(path):
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(f"{path}: cannot read: {e}") from e
    try:
        varied_columns(frame)
    except InputError as e:
        raise InputError(f"{path}: {e}") from e
    return frame


def _ordered_values(values):
    """The values of a parameter: by number when they all are numbers, else as first seen."""
    unique = list(dict.fromkeys(values))
    numbers = pd.to_numeric(pd.Series(unique), errors="coerce")
    if numbers.notna().all():
        return [v for _, v in sorted(zip(numbers, unique))], True
    return unique, False


def intervals(frame, x, metric):
    """Per (other varied values, acks, x): mean, half-width and n of `metric` over seeds."""
    others = [c for c in varied_columns(frame) if c != x]
    rows = []
    keys = others + ["acks", x]
    for key, group in frame.groupby(keys, sort=False):  # keys has at least acks and x
        key = key if isinstance(key, tuple) else (key,)
        mean, half, n = mean_half_width(pd.to_numeric(group[metric]))
        rows.append(dict(zip(keys, key), mean=mean, half_width=half, n=n))
    return pd.DataFrame(rows), others


def metric_against(frame, x, metric, out_dir, scenario_name):
    if metric not in frame.columns:
        raise InputError(f"no column {metric} in the sweep CSV")
    table, others = intervals(frame, x, metric)
    order, numeric = _ordered_values(frame[x])
    position = {v: (float(v) if numeric else i) for i, v in enumerate(order)}
    fig, axes = figures.new_figure(1, 1, row_height=3.6)
    ax = axes[0][0]
    line_keys = others + ["acks"]
    by = line_keys[0] if len(line_keys) == 1 else line_keys  # a 1-list groups by tuples
    for key, line in table.groupby(by, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        line = line.assign(pos=line[x].map(position)).sort_values("pos")
        mode = key[-1]
        label = ", ".join([f"acks={mode}"] + [f"{c}={v}" for c, v in zip(others, key[:-1])])
        ax.errorbar(line["pos"], line["mean"], yerr=line["half_width"], label=label,
                    marker="o", markersize=4, capsize=3, linewidth=1,
                    color=figures.mode_color(mode) if not others else None)
    if not numeric or len(order) <= 12:  # few values: a tick on each, as written
        ax.set_xticks(list(position.values()), order)
    ax.set_xlabel(x)
    ax.set_ylabel(metric)
    ax.legend()
    seeds = int(table["n"].max()) if not table.empty else 0
    fig.suptitle(f"{scenario_name}: {metric} against {x}\n"
                 f"mean over {seeds} seed(s), bars: 95% confidence interval (Student t)")
    safe = metric.replace("/", "_")
    return figures.save(fig, out_dir, f"sweep-{safe}")
