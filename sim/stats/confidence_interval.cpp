#include "kafkasim/stats/confidence_interval.h"

#include <cmath>

#include "kafkasim/stats/sampling_distributions.h"

namespace kafkasim {

double student_t_975(std::int64_t degrees_of_freedom) {
  return student_t_quantile(0.975, degrees_of_freedom);
}

ConfidenceInterval confidence_interval_95(std::span<const double> samples) {
  ConfidenceInterval ci;
  ci.samples = samples.size();
  if (samples.empty()) return ci;
  double sum = 0;
  for (const double x : samples)
    sum += x;
  const double n = static_cast<double>(samples.size());
  ci.mean = sum / n;
  if (samples.size() < 2) return ci;
  double squares = 0;
  for (const double x : samples)
    squares += (x - ci.mean) * (x - ci.mean);
  const double stddev = std::sqrt(squares / (n - 1));
  ci.half_width =
      student_t_975(static_cast<std::int64_t>(samples.size()) - 1) * stddev / std::sqrt(n);
  return ci;
}

}  // namespace kafkasim
