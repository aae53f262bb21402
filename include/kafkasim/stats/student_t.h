// Student's t distribution with an integer number of degrees of freedom: its CDF by the exact
// finite series of Abramowitz and Stegun 26.7.3/26.7.4, and its quantiles by bisection on it.
// The queueing tests take their tolerances from it at levels the 95% table of
// confidence_interval.h does not cover (e.g. the two-sided 99.9% of a batch-means interval).
// Deterministic: only std::atan, sin, cos and arithmetic.
#pragma once

#include <cstdint>

namespace kafkasim {

/// P(T <= t) for T ~ Student's t with `degrees_of_freedom` >= 1.
double student_t_cdf(double t, std::int64_t degrees_of_freedom);

/// The p-quantile of Student's t (0 < p < 1): the t with student_t_cdf(t) = p, to 1e-12.
/// Throws std::invalid_argument for p outside (0, 1) or df < 1.
double student_t_quantile(double p, std::int64_t degrees_of_freedom);

}  // namespace kafkasim
