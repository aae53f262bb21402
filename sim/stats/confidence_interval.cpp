#include "kafkasim/stats/confidence_interval.h"

#include <array>
#include <cmath>
#include <stdexcept>

namespace kafkasim {

namespace {

// t(0.975; df) for df = 1..30, to nine digits (any statistics table, e.g. NIST/SEMATECH
// e-Handbook 1.3.6.7.2).
constexpr std::array<double, 30> kT975 = {
    12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
    2.364624252,  2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
    2.160368656,  2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
    2.093024054,  2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
    2.059538553,  2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456};

// The standard normal's 0.975 quantile.
constexpr double kZ975 = 1.959963984540054;

}  // namespace

double student_t_975(std::int64_t degrees_of_freedom) {
  if (degrees_of_freedom < 1) throw std::invalid_argument("student_t_975: df must be >= 1");
  if (degrees_of_freedom <= 30) return kT975[static_cast<std::size_t>(degrees_of_freedom - 1)];
  // Cornish-Fisher expansion of t in powers of 1/df (Abramowitz and Stegun 26.7.5).
  const double z = kZ975;
  const double z3 = z * z * z;
  const double z5 = z3 * z * z;
  const double z7 = z5 * z * z;
  const double v = static_cast<double>(degrees_of_freedom);
  return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
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
