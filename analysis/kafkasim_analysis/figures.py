"""Figures written deterministically, as PNG and SVG: the Agg backend (no display), a fixed SVG
hash salt (element ids do not change between runs) and no date in the SVG metadata, so the same
data and the same matplotlib give the same bytes."""
import os
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after the backend is chosen)
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

FORMATS = ("png", "svg")

# One colour per acknowledgement mode, the same in every figure.
MODE_COLORS = {"none": "#7f7f7f", "async": "#d62728", "isr": "#1f77b4", "sync": "#2ca02c"}


def setup():
    matplotlib.rcParams.update({
        "svg.hashsalt": "kafkasim",
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "font.size": 9,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.fontsize": 8,
    })


def mode_color(mode):
    return MODE_COLORS.get(mode, "#9467bd")


def save(fig, out_dir, name):
    """Writes out_dir/name.png and out_dir/name.svg; returns their paths."""
    paths = []
    for fmt in FORMATS:
        path = out_dir / f"{name}.{fmt}"
        metadata = {"Date": None} if fmt == "svg" else None
        # Whole or not at all, as kafkasim's own outputs (README "Hardening"): a temporary file
        # in the same directory, then a rename.
        fd, temporary = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=f".{fmt}")
        try:
            with os.fdopen(fd, "wb") as out:
                fig.savefig(out, format=fmt, metadata=metadata, bbox_inches="tight")
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        paths.append(path)
    plt.close(fig)
    return paths


def new_figure(rows, cols, col_width=7.0, row_height=2.4):
    fig, axes = plt.subplots(rows, cols, figsize=(col_width * cols, row_height * rows),
                             sharex=True, squeeze=False, layout="constrained")
    return fig, axes


def ms_label(ms):
    """A duration in milliseconds as a projected axis should say it: 100 \u00b5s, 1 ms, 10 ms,
    100 ms, 1 s, 10 s (no powers of ten to decode)."""
    if ms >= 1000:
        return f"{ms / 1000:g} s"
    if ms >= 1:
        return f"{ms:g} ms"
    return f"{ms * 1000:g} \u00b5s"


def percent_label(fraction):
    """A fraction as a percentage: 100%, 10%, 1%, 0.1%, 0.01%."""
    return f"{fraction * 100:.10g}%"


def readable_log_axis(axis, label):
    """Labels a log-scale axis (ax.xaxis or ax.yaxis) with `label` (ms_label, percent_label) at
    its decades, or at 1, 2 and 5 times them when the data spans less than two decades (so a
    narrow axis still has labels); the minor ticks are drawn without labels. Call it after the
    data is drawn: the span comes from the axis' limits."""
    low, high = axis.get_view_interval()
    narrow = low > 0 and high / low < 100
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0) if narrow else (1.0,)))
    axis.set_major_formatter(FuncFormatter(lambda v, _: label(v)))
    axis.set_minor_locator(LogLocator(base=10, subs=[k for k in range(2, 10)
                                                      if not narrow or k not in (2, 5)]))
    axis.set_minor_formatter(NullFormatter())
