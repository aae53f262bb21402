"""The 95% confidence interval of a mean over a few seeds, by Student's t.

The same rule and numbers as the simulator's include/kafkasim/stats/confidence_interval.h (so a
sweep's bars agree with `kafkasim run --seeds`'s aggregate): exact t(0.975; df) for df <= 30,
a Cornish-Fisher expansion beyond. Written out here because Debian's pandas does not bring
scipy.
"""
import math

# t(0.975; df) for df = 1..30 (NIST/SEMATECH e-Handbook 1.3.6.7.2).
_T975 = (12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
         2.364624252, 2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
         2.160368656, 2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
         2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
         2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456)
_Z975 = 1.959963984540054


def student_t_975(df):
    """The two-sided 95% quantile of Student's t with df >= 1 degrees of freedom."""
    if df < 1:
        raise ValueError("student_t_975: df must be >= 1")
    if df <= 30:
        return _T975[df - 1]
    # Abramowitz and Stegun 26.7.5.
    z, v = _Z975, float(df)
    return (z + (z**3 + z) / (4 * v) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v * v)
            + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3))


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
