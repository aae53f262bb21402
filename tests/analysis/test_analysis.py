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


if __name__ == "__main__":
    unittest.main()
