"""The figures of one report (issue 5, item 5 a-d). Each function draws one figure and returns
the paths written, or None and a note when its data is missing (it never fails on a missing
metric: a scenario without consumer groups has no consumer lag to draw)."""
import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import figures
from .report import faults, first_seed_only, modes


def _shade_faults(fig, axes, fault_list):
    """Each fault's interval shaded on every axis and labelled, on the top axes, with the fault
    and the node it hit (so a projected figure says which broker crashed); the faults are also
    listed once under the figure."""
    top = {id(ax) for ax in axes if ax.get_subplotspec() is not None
           and ax.get_subplotspec().rowspan.start == 0}
    for ax in axes:
        for start, end, label in fault_list:
            ax.axvspan(start, end, color="#ff9896", alpha=0.18, linewidth=0)
            if id(ax) in top:
                # Written up the band's left edge, inside the axes: neighbouring bands' labels
                # and the titles above stay clear of it.
                short = label if len(label) <= 26 else label[:25] + "\u2026"
                ax.text(start, 0.97, short + " ", transform=ax.get_xaxis_transform(),
                        fontsize=6.5, color="#a02020", va="top", ha="right", rotation=90)
    if fault_list:
        text = "shaded: " + "; ".join(f"{label} ({start:g}-{end:g} s)"
                                      for start, end, label in fault_list)
        fig.text(0.01, -0.01, text, fontsize=7, color="#a02020", va="top", wrap=True)


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
        ax.set_xlabel("send() to acknowledgement (ms)")
        ax.legend()
    cdf_ax.set_ylabel("fraction of acknowledged messages")
    cdf_ax.set_ylim(0, 1.01)
    tail_ax.set_yscale("log")
    tail_ax.set_ylabel("fraction slower (1 - CDF)")
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
                        markersize=3, linewidth=1)
    ack_ax.set_ylabel("acknowledged / s")
    lat_ax.set_ylabel("p99 latency (ms)")
    lat_ax.set_yscale("log")
    # Plain numbers on the log axis (1, 10, 100, 1000 ms), not powers of ten.
    lat_ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    lat_ax.set_xlabel("simulated time (s)")
    # Outside the axes, to the right: a legend never covers the data.
    ack_ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    _shade_faults(fig, [ack_ax, lat_ax], faults(report))
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
        _shade_faults(fig, axes.flatten(), faults(report))
        fig.suptitle(f"{report['scenario']['name']}: {partition}, ISR and log end offsets "
                     f"against the high watermark (seed {report['seed']})")
        paths += figures.save(fig, out_dir, f"replication-{partition}")
    return paths, note


def consumer_lag(report, series, out_dir):
    """(d) Each consumer group's lag over time, one row per mode (small multiples: one mode's
    spike would flatten the others on a shared axis), the faults shaded and labelled."""
    lag = _per_mode(series, report, "consumer_lag")
    if lag is None:
        return None, "the series has no consumer_lag metric (no consumer groups)"
    mode_list = modes(report)
    fig, axes = figures.new_figure(len(mode_list), 1, row_height=2.0)
    for row, mode in enumerate(mode_list):
        ax = axes[row][0]
        mine = lag[lag["acks"] == mode]
        for group in sorted(mine["subject"].unique()):
            g = mine[mine["subject"] == group].sort_values("time_s")
            ax.plot(g["time_s"], g["value"], label=group, color=figures.mode_color(mode),
                    linewidth=1)
        ax.set_title(f"acks={mode}", fontsize=8, loc="right")
        ax.set_ylabel("lag (messages)")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        if row == 0:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    axes[len(mode_list) - 1][0].set_xlabel("simulated time (s)")
    _shade_faults(fig, [axes[r][0] for r in range(len(mode_list))], faults(report))
    fig.suptitle(f"{report['scenario']['name']}: consumer lag, messages below the high watermark "
                 f"not yet processed (seed {report['seed']})")
    return figures.save(fig, out_dir, "consumer-lag"), None
