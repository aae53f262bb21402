"""The figures of one report (issue 5, item 5 a-d). Each function draws one figure and returns
the paths written, or None and a note when its data is missing (it never fails on a missing
metric: a scenario without consumer groups has no consumer lag to draw)."""
import re

import numpy as np
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from . import figures
from .report import faults, first_seed_only, load_changes, modes


# Fault bands are red; load changes are dark ochre dash-dot lines: neither reads as a mode (grey,
# red, blue, green) or as the other.
FAULT_COLOR = "#a02020"
LOAD_COLOR = "#8a6200"
# Behind a band's or a line's label, under the data lines (zorder 1.5): the label stays legible
# over the grid and the bands, and a data line crossing it still shows.
LABEL_BOX = {"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 0.6}


def _top_axes(axes):
    return {id(ax) for ax in axes if ax.get_subplotspec() is not None
            and ax.get_subplotspec().rowspan.start == 0}


def _shade_faults(axes, fault_list):
    """Each fault's interval shaded on every axis and labelled, on the top axes, with the fault
    and the node it hit (so a projected figure says which broker crashed)."""
    top = _top_axes(axes)
    for ax in axes:
        for start, end, label in fault_list:
            ax.axvspan(start, end, color="#ff9896", alpha=0.18, linewidth=0)
            if id(ax) in top:
                # Written up the band's left edge, inside the axes: neighbouring bands' labels
                # and the titles above stay clear of it.
                short = label if len(label) <= 26 else label[:25] + "\u2026"
                ax.text(start, 0.97, short + " ", transform=ax.get_xaxis_transform(),
                        fontsize=7.5, color=FAULT_COLOR, va="top", ha="right", rotation=90,
                        bbox=LABEL_BOX, zorder=1.5)


def _mark_load_changes(axes, changes):
    """Each load change (a producer starting, changing its rate, stopping) as a vertical line on
    every axis, labelled on the top axes just right of the line (a fault's label is left of its
    band's edge, so a change at a fault's start does not write over it)."""
    top = _top_axes(axes)
    for ax in axes:
        for at, label in changes:
            ax.axvline(at, color=LOAD_COLOR, linestyle="-.", linewidth=1.3, zorder=2.5)
            if id(ax) in top:
                ax.text(at, 0.97, " " + label, transform=ax.get_xaxis_transform(), fontsize=7.5,
                        color=LOAD_COLOR, va="top", ha="left", rotation=90, bbox=LABEL_BOX,
                        zorder=1.5)


def _mark_events(fig, axes, report):
    """The report's faults (shaded bands) and load changes (dash-dot lines) on every time axis,
    and both listed once under the figure."""
    fault_list = faults(report)
    changes = load_changes(report)
    _shade_faults(axes, fault_list)
    _mark_load_changes(axes, changes)
    lines = []
    if fault_list:
        lines.append("shaded: " + "; ".join(f"{label} ({start:g}-{end:g} s)"
                                            for start, end, label in fault_list))
    if changes:
        lines.append("dash-dot: load changes: " + "; ".join(f"{label} at {at:g} s"
                                                            for at, label in changes))
    for k, text in enumerate(lines):
        # One line under the other whatever the figure's height: 14 points apart.
        below = fig.transFigure + ScaledTranslation(0, -14 * k / 72, fig.dpi_scale_trans)
        fig.text(0.01, -0.01, text, fontsize=8, va="top", transform=below,
                 color=FAULT_COLOR if text.startswith("shaded") else LOAD_COLOR)


def latency_cdf(report, latency, out_dir):
    """(a) The latency CDF per mode (pooled over the report's seeds), and its complement on a log
    scale to show the tail. From the histogram of --latency-csv when given, else from the six
    percentiles of the JSON report (a coarse CDF, said in the title)."""
    fig, axes = figures.new_figure(1, 2, col_width=4.6, row_height=3.4)
    cdf_ax, tail_ax = axes[0]
    coarse = latency is None
    for mode in modes(report):
        if coarse:
            runs = [r for r in report["runs"] if r["acks"] == mode]
            lat = runs[0]["latency_ms"]
            x = [lat[k] for k in ("p50", "p90", "p99", "p999", "max")]
            y = np.array([0.5, 0.9, 0.99, 0.999, 1.0])
            style = {"marker": "o", "drawstyle": "steps-post"}
        else:
            rows = latency[latency["acks"] == mode].sort_values("upper_ms", kind="stable")
            if rows.empty:
                continue
            x = rows["upper_ms"].to_numpy()
            y = np.cumsum(rows["count"].to_numpy()) / rows["count"].sum()
            style = {"drawstyle": "steps-post"}
        color = figures.mode_color(mode)
        cdf_ax.plot(x, y, label=mode, color=color, **style)
        # 1 - F reaches 0 at the maximum; the log scale cannot show it, so it stops before.
        tail = 1.0 - y
        keep = tail > 0
        tail_ax.plot(np.asarray(x)[keep], tail[keep], label=mode, color=color, **style)
    for ax in (cdf_ax, tail_ax):
        ax.set_xscale("log")
        ax.set_xlabel("send() to acknowledgement")
    # One legend, outside the tail's axes: inside, it would cover a mode's curve.
    tail_ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    cdf_ax.set_ylabel("fraction of acknowledged messages")
    cdf_ax.set_ylim(0, 1.01)
    tail_ax.set_yscale("log")
    tail_ax.set_ylabel("fraction slower (1 - CDF)")
    # 1 ms, 10 ms, 100 ms, 1 s and 10%, 1%, 0.1%: what a projected figure can be read by.
    for axis in (cdf_ax.xaxis, tail_ax.xaxis):
        figures.readable_log_axis(axis, figures.ms_label)
    figures.readable_log_axis(tail_ax.yaxis, figures.percent_label)
    source = "report percentiles only (coarse)" if coarse else "latency histogram"
    fig.suptitle(f"{report['scenario']['name']}: latency per mode ({source})")
    return figures.save(fig, out_dir, "latency-cdf"), None


def _per_mode(series, report, metric):
    rows = first_seed_only(series[series["metric"] == metric], report["seed"])
    return rows if not rows.empty else None


def over_time(report, series, out_dir):
    """(b) Acknowledgements per second and the p99 latency over time, per mode, faults shaded."""
    acked = _per_mode(series, report, "acked")
    p99 = _per_mode(series, report, "latency_p99_ms")
    if acked is None and p99 is None:
        return None, "the series has neither acked nor latency_p99_ms"
    fig, axes = figures.new_figure(2, 1, row_height=2.6)
    ack_ax, lat_ax = axes[0][0], axes[1][0]
    for mode in modes(report):
        color = figures.mode_color(mode)
        if acked is not None:
            m = acked[acked["acks"] == mode].groupby("time_s", sort=True)["value"].sum()
            if len(m) > 1:
                step_s = float(np.median(np.diff(m.index.to_numpy())))
                ack_ax.plot(m.index, m.to_numpy() / step_s, label=mode, color=color,
                            drawstyle="steps-post")
        if p99 is not None:
            m = p99[p99["acks"] == mode].groupby("time_s", sort=True)["value"].max()
            m = m.where(m > 0)
            if acked is not None:
                # An interval without acknowledgements has no latency row: put it back as NaN on
                # the sampling grid (the acked metric has a row for every interval), so the
                # line breaks there instead of joining the points either side.
                grid = np.sort(acked["time_s"].unique())
                m = m.reindex(grid)
            lat_ax.plot(m.index, m.to_numpy(), label=mode, color=color, marker=".",
                        markersize=3, linewidth=1.3)
    ack_ax.set_ylabel("acknowledged / s")
    lat_ax.set_ylabel("p99 latency")
    lat_ax.set_yscale("log")
    # 1 ms, 10 ms, 100 ms, 1 s on the log axis, not powers of ten.
    if p99 is not None:
        figures.readable_log_axis(lat_ax.yaxis, figures.ms_label)
    lat_ax.set_xlabel("simulated time (s)")
    # Outside the axes, to the right: a legend never covers the data.
    ack_ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    _mark_events(fig, [ack_ax, lat_ax], report)
    fig.suptitle(f"{report['scenario']['name']}: acknowledgements and latency "
                 f"(seed {report['seed']})")
    return figures.save(fig, out_dir, "acks-latency"), None


def replication(report, series, out_dir, max_partitions):
    """(c) Per partition, per mode: the ISR size, each replica's log end offset with the high
    watermark, and each replica's distance to the high watermark (where truncation shows)."""
    isr = _per_mode(series, report, "isr_size")
    hw = _per_mode(series, report, "high_watermark")
    leo = _per_mode(series, report, "log_end_offset")
    if isr is None and hw is None and leo is None:
        return [], "the series has no isr_size, high_watermark or log_end_offset"
    names = []
    for frame in (isr, hw):
        if frame is not None:
            names += [s for s in frame["subject"].unique() if s not in names]
    if leo is not None:
        names += [s for s in leo["subject"].str.rsplit("/", n=1).str[0].unique() if s not in names]
    note = None
    if len(names) > max_partitions:
        note = f"{len(names)} partitions: drew the first {max_partitions} (--partitions)"
    paths = []
    mode_list = modes(report)
    for partition in names[:max_partitions]:
        fig, axes = figures.new_figure(3, len(mode_list), col_width=4.2, row_height=2.2)
        for col, mode in enumerate(mode_list):
            isr_ax, leo_ax, gap_ax = axes[0][col], axes[1][col], axes[2][col]
            hw_line = None
            if hw is not None:
                h = hw[(hw["acks"] == mode) & (hw["subject"] == partition)].sort_values("time_s")
                if not h.empty:
                    hw_line = h.set_index("time_s")["value"]
                    leo_ax.plot(hw_line.index, hw_line.to_numpy(), color="black", linewidth=2.2,
                                linestyle="--", label="high watermark", zorder=3)
            if isr is not None:
                i = isr[(isr["acks"] == mode) & (isr["subject"] == partition)].sort_values("time_s")
                isr_ax.plot(i["time_s"], i["value"], drawstyle="steps-post",
                            color=figures.mode_color(mode))
            if leo is not None:
                mine = leo[(leo["acks"] == mode) & leo["subject"].str.startswith(partition + "/")]
                for subject in sorted(mine["subject"].unique()):
                    r = mine[mine["subject"] == subject].sort_values("time_s")
                    broker = subject.rsplit("/", 1)[1]
                    leo_ax.plot(r["time_s"], r["value"], label=broker, linewidth=1)
                    if hw_line is not None:
                        gap = r.set_index("time_s")["value"] - hw_line
                        gap_ax.plot(gap.index, gap.to_numpy(), label=broker, linewidth=1)
            isr_ax.set_title(f"acks={mode}")
            gap_ax.set_xlabel("simulated time (s)")
            if col == len(mode_list) - 1:
                # Every mode has the same replicas: one legend, outside the last column, so it
                # never covers a line.
                leo_ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                              borderaxespad=0)
            isr_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            if col == 0:
                isr_ax.set_ylabel("ISR size")
                leo_ax.set_ylabel("offset")
                gap_ax.set_ylabel("LEO - HW (messages)")
        _mark_events(fig, axes.flatten(), report)
        fig.suptitle(f"{report['scenario']['name']}: {partition}, ISR and log end offsets "
                     f"against the high watermark (seed {report['seed']})")
        paths += figures.save(fig, out_dir, f"replication-{partition}")
    return paths, note


def _lag_row_height(mode_list):
    """Rows of 2 inches stack to a readable figure; a single one (one mode) would be a strip too
    low for the faults' and load changes' labels, so it gets 3."""
    return 2.0 if len(mode_list) > 1 else 3.0


def consumer_lag(report, series, out_dir):
    """(d) Each consumer group's lag over time, one row per mode (small multiples: one mode's
    spike would flatten the others on a shared axis), the faults shaded and labelled."""
    lag = _per_mode(series, report, "consumer_lag")
    if lag is None:
        return None, "the series has no consumer_lag metric (no consumer groups)"
    mode_list = modes(report)
    fig, axes = figures.new_figure(len(mode_list), 1, row_height=_lag_row_height(mode_list))
    for row, mode in enumerate(mode_list):
        ax = axes[row][0]
        mine = lag[lag["acks"] == mode]
        for group in sorted(mine["subject"].unique()):
            g = mine[mine["subject"] == group].sort_values("time_s")
            ax.plot(g["time_s"], g["value"], label=group, color=figures.mode_color(mode),
                    linewidth=1.5)
        ax.set_title(f"acks={mode}", fontsize=9, loc="right")
        ax.set_ylabel("lag (messages)")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        if row == 0:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    axes[len(mode_list) - 1][0].set_xlabel("simulated time (s)")
    _mark_events(fig, [axes[r][0] for r in range(len(mode_list))], report)
    fig.suptitle(f"{report['scenario']['name']}: consumer lag, messages below the high watermark "
                 f"not yet processed (seed {report['seed']})")
    return figures.save(fig, out_dir, "consumer-lag"), None


# The lag-detail figure draws at most this many partitions (and members) one by one, those whose
# lag peaks highest, and sums the rest into one "others" line.
LAG_LINES = 6


def _top_and_others(frame, top):
    """(named, others): the `top` subjects of `frame` (rows of one metric, every mode) whose
    value peaks highest, by peak then name, and the rest, sorted. Chosen over every mode at once,
    so a subject has the same colour in every row of the figure."""
    peaks = frame.groupby("subject")["value"].max()
    order = sorted(peaks.index, key=lambda s: (-peaks[s], _natural(s)))
    return sorted(order[:top], key=_natural), sorted(order[top:], key=_natural)


def _natural(name):
    """orders-2 before orders-10: names compared with their trailing number as a number."""
    head, _, tail = name.rpartition("-")
    return (head, int(tail), "") if tail.isdigit() else (name, -1, name)


def _member_group(member, groups):
    """The group of member "<group>-<index>": the longest group name it extends."""
    fits = [g for g in groups if member.startswith(g + "-") and member[len(g) + 1:].isdigit()]
    return max(fits, key=len) if fits else None


def _draw_lag_lines(ax, rows, named, others, colors, short, others_label):
    for subject in named:
        r = rows[rows["subject"] == subject].sort_values("time_s")
        ax.plot(r["time_s"], r["value"], label=short(subject), color=colors[subject],
                linewidth=1.5, drawstyle="steps-post")
    if others:
        rest = rows[rows["subject"].isin(others)].groupby("time_s", sort=True)["value"].sum()
        ax.plot(rest.index, rest.to_numpy(), label=others_label, color="#7f7f7f",
                linewidth=1.5, linestyle="--", drawstyle="steps-post")


def lag_detail(report, series, out_dir, top=LAG_LINES):
    """(f) Per consumer group, one figure: each partition's lag (left) and each member's (right),
    one row per mode. With many partitions the `top` whose lag peaks highest get a line each and
    the others one summed line (dashed grey), so the partition lines still add up to the group's
    lag; members likewise. A member's lag is that of the partitions it owns at the instant: it
    drops to 0 when a rebalance takes them away and another member's rises."""
    part = _per_mode(series, report, "partition_lag")
    member = _per_mode(series, report, "member_lag")
    if part is None and member is None:
        return [], "the series has no partition_lag or member_lag metric (no consumer groups)"
    # The groups in scenario order: consumer_lag's subjects, or what the other metrics name.
    lag = _per_mode(series, report, "consumer_lag")
    if lag is not None:
        groups = list(dict.fromkeys(lag["subject"]))
    elif part is not None:
        groups = list(dict.fromkeys(part["subject"].str.rsplit("/", n=1).str[0]))
    else:
        groups = list(dict.fromkeys(member["subject"].str.rsplit("-", n=1).str[0]))
    mode_list = modes(report)
    palette = [c for c in matplotlib_tab10() if c != "#7f7f7f"]
    paths = []
    for group in groups:
        fig, axes = figures.new_figure(len(mode_list), 2, col_width=5.0,
                                       row_height=_lag_row_height(mode_list))
        columns = []
        if part is not None:
            mine = part[part["subject"].str.startswith(group + "/")]
            named, others = _top_and_others(mine, top)
            columns.append((mine, named, others, lambda s: s.rsplit("/", 1)[1],
                            f"others ({len(others)} partitions, summed)", "per partition"))
        else:
            columns.append(None)
        if member is not None:
            mine = member[[_member_group(m, groups) == group for m in member["subject"]]]
            named, others = _top_and_others(mine, top)
            columns.append((mine, named, others, lambda s: s,
                            f"others ({len(others)} members, summed)",
                            "per member (the partitions it owns)"))
        else:
            columns.append(None)
        for col, spec in enumerate(columns):
            if spec is None:
                for row in range(len(mode_list)):
                    axes[row][col].set_visible(False)
                continue
            rows_all, named, others, short, others_label, title = spec
            colors = {s: palette[k % len(palette)] for k, s in enumerate(named)}
            for row, mode in enumerate(mode_list):
                ax = axes[row][col]
                _draw_lag_lines(ax, rows_all[rows_all["acks"] == mode], named, others, colors,
                                short, others_label)
                ax.yaxis.set_major_locator(MaxNLocator(integer=True))
                ax.set_ylim(bottom=0)
                ax.set_title(f"{title}, acks={mode}", fontsize=9, loc="left")
                if col == 0:
                    ax.set_ylabel("lag (messages)")
            # One legend per column, under its last row: outside the axes, never on a line.
            last = axes[len(mode_list) - 1][col]
            last.set_xlabel("simulated time (s)")
            if named or others:
                last.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), borderaxespad=0,
                            ncol=min(4, len(named) + (1 if others else 0)))
        _mark_events(fig, [ax for ax in axes.flatten() if ax.get_visible()], report)
        fig.suptitle(f"{report['scenario']['name']}: group {group}'s lag per partition and per "
                     f"member (seed {report['seed']})")
        file_name = re.sub(r"[^A-Za-z0-9._-]", "_", group)
        paths += figures.save(fig, out_dir, f"lag-detail-{file_name}")
    return paths, None


def matplotlib_tab10():
    """matplotlib's ten default colours, the same in every figure."""
    return ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf"]
