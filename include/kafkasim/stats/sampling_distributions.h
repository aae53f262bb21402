// The sampling distributions the queueing tests take their tolerances from: Student's t (the
// mean of a few batch means), the normal (a mean whose variance is known), chi-square (a
// sample variance). CDFs by exact series, quantiles by bisection on them, to 1e-12: the
// levels needed (e.g. the two-sided 99.9% of a batch-means interval) are beyond the 95% table
// of confidence_interval.h. Deterministic: only std::atan, sin, cos, erfc, exp, log, lgamma and
// arithmetic.
#pragma once

#include <cstdint>

namespace kafkasim {

/// P(T <= t) for T ~ Student's t with `degrees_of_freedom` >= 1, by the finite series of
/// Abramowitz and Stegun 26.7.3/26.7.4.
double student_t_cdf(double t, std::int64_t degrees_of_freedom);

/// The p-quantile of Student's t (0 < p < 1). Throws std::invalid_argument for p outside
/// (0, 1) or df < 1.
double student_t_quantile(double p, std::int64_t degrees_of_freedom);

/// The p-quantile of the standard normal (0 < p < 1), from P(Z <= z) = erfc(-z/sqrt 2) / 2.
double normal_quantile(double p);

/// P(X <= x) for X ~ chi-square with `degrees_of_freedom` >= 1: the regularised lower
/// incomplete gamma P(k/2, x/2) by its power series (Abramowitz and Stegun 6.5.29).
double chi_square_cdf(double x, std::int64_t degrees_of_freedom);

/// The p-quantile of chi-square (0 < p < 1).
double chi_square_quantile(double p, std::int64_t degrees_of_freedom);

}  // namespace kafkasim
