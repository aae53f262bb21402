// The 95% confidence interval of a mean over a few runs (seeds), by Student's t: the runs of a
// mode are independent samples, too few for the normal approximation (SPEC.md "aggregate").
#pragma once

#include <cstdint>
#include <span>

namespace kafkasim {

/// The two-sided 95% quantile of Student's t, t(0.975; df), for df >= 1
/// (sampling_distributions.h: Boost.Math's). Throws std::invalid_argument for df < 1.
double student_t_975(std::int64_t degrees_of_freedom);

struct ConfidenceInterval {
  double mean = 0;
  /// The interval is mean +- half_width. Zero for fewer than two samples, where it is undefined.
  double half_width = 0;
  std::size_t samples = 0;
};

/// mean +- t(0.975; n-1) * s / sqrt(n), s the sample standard deviation (n-1 denominator).
ConfidenceInterval confidence_interval_95(std::span<const double> samples);

}  // namespace kafkasim
