"""The 95% confidence interval of a mean over a few seeds, by Student's t.

The same rule as the simulator's include/kafkasim/stats/confidence_interval.h (so a sweep's bars
agree with `kafkasim run --seeds`'s aggregate): the quantile t(0.975; df) is scipy's
(Debian's python3-scipy), as the simulator's is Boost.Math's.
"""
import math

from scipy.stats import t as _student_t


def student_t_975(df):
    """The two-sided 95% quantile of Student's t with df >= 1 degrees of freedom."""
    if df < 1:
        raise ValueError("student_t_975: df must be >= 1")
    return float(_student_t.ppf(0.975, df))


def mean_half_width(values):
    """(mean, half-width of the 95% interval, n); the half-width is 0 for fewer than 2 values."""
    xs = [float(x) for x in values]
    n = len(xs)
    if n == 0:
        return math.nan, math.nan, 0
    mean = sum(xs) / n
    if n < 2:
        return mean, 0.0, n
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
    return mean, student_t_975(n - 1) * sd / math.sqrt(n), n
