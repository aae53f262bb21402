"""CTest analysis/python: the analysis package's statistics and readers (unittest)."""
import math
import pathlib
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "analysis"))

import pandas as pd  # noqa: E402

from kafkasim_analysis import figures, report, run_figures, stats, sweep_figures  # noqa: E402


class StudentT(unittest.TestCase):
    def test_table_values(self):
        # Printed tables: t(0.975; 1) = 12.706, t(0.975; 9) = 2.262, t(0.975; 30) = 2.042.
        self.assertAlmostEqual(stats.student_t_975(1), 12.706, places=3)
        self.assertAlmostEqual(stats.student_t_975(9), 2.262, places=3)
        self.assertAlmostEqual(stats.student_t_975(30), 2.042, places=3)

    def test_beyond_the_table(self):
        # t(0.975; 40) = 2.021, t(0.975; 120) = 1.980, and the normal's 1.960 in the limit.
        self.assertAlmostEqual(stats.student_t_975(40), 2.021, places=3)
        self.assertAlmostEqual(stats.student_t_975(120), 1.980, places=3)
        self.assertAlmostEqual(stats.student_t_975(10**9), 1.960, places=3)
        with self.assertRaises(ValueError):
            stats.student_t_975(0)

    def test_mean_half_width(self):
        mean, half, n = stats.mean_half_width([10, 14])
        self.assertEqual((mean, n), (12, 2))
        self.assertAlmostEqual(half, 12.706204736 * 2)  # s = 2 sqrt 2, / sqrt 2
        self.assertEqual(stats.mean_half_width([5]), (5.0, 0.0, 1))
        self.assertTrue(math.isnan(stats.mean_half_width([])[0]))


class Sweep(unittest.TestCase):
    def frame(self):
        rows = []
        for point, (mis, rate) in enumerate([(1, 500), (1, 1000), (2, 500), (2, 1000)]):
            for seed, lost in ((1, mis * 10), (2, mis * 10 + 4)):
                rows.append({"point": str(point), "/mis": str(mis), "/rate": str(rate),
                             "scenario": "s", "acks": "async", "seed": str(seed),
                             "lost_acknowledged": str(lost)})
        return pd.DataFrame(rows)

    def test_varied_columns(self):
        self.assertEqual(sweep_figures.varied_columns(self.frame()), ["/mis", "/rate"])
        with self.assertRaises(report.InputError):
            sweep_figures.varied_columns(pd.DataFrame({"a": [1]}))

    def test_intervals_over_seeds(self):
        table, others = sweep_figures.intervals(self.frame(), "/mis", "lost_acknowledged")
        self.assertEqual(others, ["/rate"])
        self.assertEqual(len(table), 4)  # 2 rates x 1 mode x 2 values of /mis
        row = table[(table["/mis"] == "2") & (table["/rate"] == "500")].iloc[0]
        self.assertEqual((row["mean"], row["n"]), (22, 2))
        self.assertAlmostEqual(row["half_width"], 12.706204736 * 2)


class Readers(unittest.TestCase):
    def test_series_header_is_checked(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write("acks,seed,time_ms,metric,value\nisr,1,0,acked,3\n")
        with self.assertRaises(report.InputError) as caught:
            report.load_series(f.name)
        self.assertIn("expected acks,seed,time_ms,metric,subject,value", str(caught.exception))

    def test_fault_labels(self):
        r = {"runs": [], "scenario": {"faults": [
            {"type": "crash", "target": "broker-1", "power_loss": True, "at_ms": 1000,
             "until_ms": 2500},
            {"type": "partition", "sides": [["broker-2"], ["broker-1", "zookeeper"]],
             "at_ms": 0, "until_ms": 10},
            {"type": "delay", "between": ["broker-1", "broker-3"], "at_ms": 0, "until_ms": 1}]}}
        self.assertEqual(report.faults(r), [
            (1.0, 2.5, "crash broker-1 (power loss)"),
            (0.0, 0.01, "partition broker-2 | broker-1, zookeeper"),
            (0.0, 0.001, "delay broker-1 - broker-3")])

    def test_fault_labels_name_the_broker_a_role_hit(self):
        # leader-of:T-P and controller are resolved when the fault starts, per run: the label
        # names the broker each run reports in fault_nodes, per mode when they differ.
        scenario = {"faults": [
            {"type": "crash", "target": "leader-of:orders-0", "at_ms": 10000, "until_ms": 40000},
            {"type": "pause", "target": "controller", "at_ms": 0, "until_ms": 1000},
            {"type": "crash", "target": "broker-3", "at_ms": 0, "until_ms": 1000},
            {"type": "crash", "target": "leader-of:orders-1", "at_ms": 0, "until_ms": 1000}]}
        runs = [{"acks": "async", "fault_nodes": [["broker-1"], ["broker-2"], ["broker-3"], []]},
                {"acks": "isr", "fault_nodes": [["broker-1"], ["broker-3"], ["broker-3"], []]}]
        self.assertEqual([label for _, _, label in report.faults(
            {"scenario": scenario, "runs": runs})], [
            "crash leader-of:orders-0 = broker-1",
            "pause controller = broker-2 in async, broker-3 in isr",
            "crash broker-3",
            "crash leader-of:orders-1 = no such node"])
        # A report without fault_nodes (an older one) keeps the label as written.
        old = [{"acks": "async"}]
        self.assertEqual(report.faults({"scenario": scenario, "runs": old})[0][2],
                         "crash leader-of:orders-0")


class Legends(unittest.TestCase):
    def test_replication_legend_outside_the_axes(self):
        # A legend inside the axes covers the lines of a projected figure: the replication
        # figure puts its one legend to the right of the last mode's column.
        rows = []
        for acks in ("async", "isr"):
            for t in range(0, 1000, 100):
                rows.append((acks, 1, t, "isr_size", "orders-0", 3))
                rows.append((acks, 1, t, "high_watermark", "orders-0", t))
                for b in ("broker-1", "broker-2"):
                    rows.append((acks, 1, t, "log_end_offset", f"orders-0/{b}", t + 5))
        series = pd.DataFrame(rows, columns=report.SERIES_COLUMNS)
        series["time_s"] = series["time_ms"] / 1000.0
        r = {"seed": 1, "runs": [{"acks": "async"}, {"acks": "isr"}],
             "scenario": {"name": "t", "faults": []}}
        drawn = []
        saved = figures.save
        figures.save = lambda fig, out_dir, name: drawn.append(fig) or []
        try:
            figures.setup()
            run_figures.replication(r, series, pathlib.Path(tempfile.mkdtemp()), 4)
        finally:
            figures.save = saved
        self.assertEqual(len(drawn), 1)
        legends = [ax.get_legend() for ax in drawn[0].axes if ax.get_legend() is not None]
        self.assertEqual(len(legends), 1)
        drawn[0].canvas.draw()
        box = legends[0].get_window_extent()
        axes_box = legends[0].axes.get_window_extent()
        self.assertGreaterEqual(box.x0, axes_box.x1)


def _drawn(draw):
    """The figures `draw()` makes, captured instead of saved, drawn once (ticks and legends are
    placed at draw time)."""
    drawn = []
    saved = figures.save
    figures.save = lambda fig, out_dir, name: drawn.append(fig) or [name]
    try:
        figures.setup()
        draw()
    finally:
        figures.save = saved
    for fig in drawn:
        fig.canvas.draw()
    return drawn


def _series(rows):
    series = pd.DataFrame(rows, columns=report.SERIES_COLUMNS)
    series["time_s"] = series["time_ms"] / 1000.0
    return series


def _tick_labels(axis, minor=False):
    low, high = sorted(axis.get_view_interval())
    ticks = axis.get_minor_ticks() if minor else axis.get_major_ticks()
    return [t.label1.get_text() for t in ticks if low <= t.get_loc() <= high]


class LogTicks(unittest.TestCase):
    def test_labels(self):
        self.assertEqual([figures.ms_label(v) for v in (0.1, 1, 10, 100, 1000, 10000, 2, 5000)],
                         ["100 \u00b5s", "1 ms", "10 ms", "100 ms", "1 s", "10 s", "2 ms", "5 s"])
        self.assertEqual([figures.percent_label(v) for v in (1, 0.1, 0.01, 0.001, 1e-5)],
                         ["100%", "10%", "1%", "0.1%", "0.001%"])

    def test_latency_axes_say_ms_and_s_and_minor_ticks_are_unlabelled(self):
        # A histogram from 0.5 ms to 20 s: the CDF's x axes and the tail's y axis.
        # Each bucket a tenth of the one before, so 1 - CDF spans 10% to 0.01%.
        latency = pd.DataFrame(
            [("isr", 1, lo, lo * 1.01, n) for lo, n in
             ((0.5, 9000), (2, 900), (30, 90), (400, 9), (5000, 1), (20000, 1))],
            columns=report.LATENCY_COLUMNS)
        r = {"seed": 1, "runs": [{"acks": "isr"}], "scenario": {"name": "t", "faults": []}}
        fig, = _drawn(lambda: run_figures.latency_cdf(r, latency, None))
        cdf_ax, tail_ax = fig.axes[:2]
        for axis in (cdf_ax.xaxis, tail_ax.xaxis):
            labels = _tick_labels(axis)
            self.assertTrue({"1 ms", "10 ms", "100 ms", "1 s", "10 s"} <= set(labels), labels)
            self.assertTrue(set(labels) <= {"100 \u00b5s", "1 ms", "10 ms", "100 ms", "1 s",
                                            "10 s", "100 s"}, labels)
            self.assertTrue(_tick_labels(axis, minor=True))
            self.assertEqual(set(_tick_labels(axis, minor=True)), {""})
        self.assertIn("10%", _tick_labels(tail_ax.yaxis))
        self.assertFalse(any("$" in t or "^" in t for t in _tick_labels(tail_ax.yaxis)))

    def test_a_narrow_latency_axis_still_has_labels(self):
        # p99 between 3 and 30 ms: one decade, so 5 ms, 10 ms and 20 ms are labelled too.
        rows = []
        for t in range(0, 2000, 100):
            rows.append(("isr", 1, t, "acked", "app", 10))
            rows.append(("isr", 1, t, "latency_p99_ms", "app", 3 + 27 * t / 1900))
        r = {"seed": 1, "runs": [{"acks": "isr"}], "scenario": {"name": "t", "faults": []}}
        fig, = _drawn(lambda: run_figures.over_time(r, _series(rows), None))
        labels = _tick_labels(fig.axes[1].yaxis)
        self.assertTrue({"5 ms", "10 ms", "20 ms"} <= set(labels), labels)
        self.assertEqual(set(_tick_labels(fig.axes[1].yaxis, minor=True)), {""})


def _lag_series():
    """10 partitions of billing (partition k peaks at 10 (k + 1)) and 3 members, over 1 s."""
    rows = []
    for acks in ("async", "isr"):
        for t in range(0, 1000, 100):
            rise = t / 900
            rows.append((acks, 1, t, "consumer_lag", "billing", sum(
                round(10 * (k + 1) * rise) for k in range(10))))
            for k in range(10):
                rows.append((acks, 1, t, "partition_lag", f"billing/orders-{k}",
                             round(10 * (k + 1) * rise)))
            for m, value in enumerate((round(300 * rise), round(250 * rise), 0)):
                rows.append((acks, 1, t, "member_lag", f"billing-{m}", value))
    return _series(rows)


class LagDetail(unittest.TestCase):
    REPORT = {"seed": 1, "runs": [{"acks": "async"}, {"acks": "isr"}],
              "scenario": {"name": "t", "faults": [], "load_changes": [
                  {"at_ms": 500, "producer": "app", "from_per_s": 2000, "to_per_s": 6000,
                   "key": "rate_changes"}]}}

    def test_top_partitions_one_line_each_the_others_summed(self):
        fig, = _drawn(lambda: run_figures.lag_detail(self.REPORT, _lag_series(), None, top=6))
        for row in range(2):
            left, right = fig.axes[2 * row], fig.axes[2 * row + 1]
            labels = [line.get_label() for line in left.get_lines() if len(line.get_xdata()) > 2]
            # The six that peak highest (orders-4 to orders-9), in their order, then the rest.
            self.assertEqual(labels, [f"orders-{k}" for k in range(4, 10)]
                             + ["others (4 partitions, summed)"])
            others = [line for line in left.get_lines()
                      if line.get_label().startswith("others")][0]
            self.assertEqual(others.get_ydata()[-1], 10 + 20 + 30 + 40)
            self.assertEqual(others.get_linestyle(), "--")
            members = [line.get_label() for line in right.get_lines()
                       if len(line.get_xdata()) > 2]
            self.assertEqual(members, ["billing-0", "billing-1", "billing-2"])
            # A partition has the same colour in every mode's row.
            self.assertEqual(left.get_lines()[0].get_color(),
                             fig.axes[0].get_lines()[0].get_color())
        # The legends sit under the last row, outside every axes.
        legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
        self.assertEqual(len(legends), 2)
        for legend in legends:
            self.assertLessEqual(legend.get_window_extent().y1,
                                 legend.axes.get_window_extent().y0)

    def test_missing_metrics_are_a_note(self):
        series = _lag_series()
        paths, note = run_figures.lag_detail(
            self.REPORT, series[~series["metric"].isin(["partition_lag", "member_lag"])], None)
        self.assertEqual(paths, [])
        self.assertIn("no partition_lag or member_lag", note)


def _load_change_lines(ax):
    return [line for line in ax.get_lines() if line.get_linestyle() == "-."
            and line.get_color() == run_figures.LOAD_COLOR]


class LoadChanges(unittest.TestCase):
    def test_labels(self):
        r = {"scenario": {"load_changes": [
            {"at_ms": 2000, "producer": "app", "from_per_s": 0, "to_per_s": 500,
             "key": "start_ms"},
            {"at_ms": 20000, "producer": "app", "from_per_s": 2000, "to_per_s": 6000,
             "key": "rate_changes"},
            {"at_ms": 30000, "producer": "app", "from_per_s": 6000, "to_per_s": 2.5,
             "key": "rate_changes"},
            {"at_ms": 40000, "producer": "app", "from_per_s": 2.5, "to_per_s": 0,
             "key": "stop_ms"}]}}
        self.assertEqual(report.load_changes(r), [
            (2.0, "app starts, 500/s"), (20.0, "app 2,000 \u2192 6,000/s"),
            (30.0, "app 6,000 \u2192 2.5/s"), (40.0, "app stops")])
        self.assertEqual(report.load_changes({"scenario": {}}), [])

    def test_marked_on_every_time_axis_distinct_from_faults(self):
        r = dict(LagDetail.REPORT)
        r["scenario"] = dict(r["scenario"], faults=[
            {"type": "crash", "target": "broker-1", "at_ms": 100, "until_ms": 300}])
        rows = []
        for acks in ("async", "isr"):
            for t in range(0, 1000, 100):
                rows += [(acks, 1, t, "acked", "app", 10), (acks, 1, t, "latency_p99_ms", "app", 2),
                         (acks, 1, t, "isr_size", "orders-0", 3),
                         (acks, 1, t, "high_watermark", "orders-0", t),
                         (acks, 1, t, "log_end_offset", "orders-0/broker-1", t)]
        series = pd.concat([_series(rows), _lag_series()])
        drawn = _drawn(lambda: (run_figures.over_time(r, series, None),
                                run_figures.replication(r, series, None, 4),
                                run_figures.consumer_lag(r, series, None),
                                run_figures.lag_detail(r, series, None)))
        self.assertEqual(len(drawn), 4)
        for fig in drawn:
            axes = [ax for ax in fig.axes if ax.get_visible()]
            for ax in axes:
                lines = _load_change_lines(ax)
                self.assertEqual(len(lines), 1, fig.texts)
                self.assertEqual(list(lines[0].get_xdata()), [0.5, 0.5])
                # The fault is a band (a patch), not a line.
                self.assertTrue(ax.patches)
            # Labelled on the top row, and listed under the figure.
            labels = [t.get_text() for ax in axes for t in ax.texts]
            self.assertIn(" app 2,000 \u2192 6,000/s", labels)
            self.assertTrue(any("load changes: app 2,000 \u2192 6,000/s at 0.5 s" in t.get_text()
                                for t in fig.texts))


if __name__ == "__main__":
    unittest.main()
