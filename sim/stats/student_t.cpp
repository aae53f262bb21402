#include "kafkasim/stats/student_t.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace kafkasim {

namespace {

// A(t | v) = P(|T| <= t) for t >= 0 (Abramowitz and Stegun 26.7.3 and 26.7.4), with
// theta = atan(t / sqrt(v)):
//   v odd:  (2/pi) [theta + sin(theta) (cos(theta) + 2/3 cos^3 + ... + (2*4...(v-3)) /
//           (1*3...(v-2)) cos^(v-2))], the bracket empty for v = 1;
//   v even: sin(theta) [1 + 1/2 cos^2 + (1*3)/(2*4) cos^4 + ... + (1*3...(v-3)) /
//           (2*4...(v-2)) cos^(v-2)].
double two_sided(double t, std::int64_t v) {
  const double theta = std::atan(t / std::sqrt(static_cast<double>(v)));
  const double s = std::sin(theta);
  const double c = std::cos(theta);
  const double c2 = c * c;
  if (v % 2 == 1) {
    double sum = 0;
    if (v > 1) {
      double term = c;  // k = 1
      sum = term;
      for (std::int64_t k = 3; k <= v - 2; k += 2) {
        term *= c2 * static_cast<double>(k - 1) / static_cast<double>(k);
        sum += term;
      }
    }
    return 2 / std::numbers::pi * (theta + s * sum);
  }
  double term = 1;
  double sum = 1;
  for (std::int64_t k = 2; k <= v - 2; k += 2) {
    term *= c2 * static_cast<double>(k - 1) / static_cast<double>(k);
    sum += term;
  }
  return s * sum;
}

}  // namespace

double student_t_cdf(double t, std::int64_t degrees_of_freedom) {
  if (degrees_of_freedom < 1) throw std::invalid_argument("student_t_cdf: df must be >= 1");
  const double a = two_sided(std::abs(t), degrees_of_freedom);
  return t >= 0 ? 0.5 * (1 + a) : 0.5 * (1 - a);
}

double student_t_quantile(double p, std::int64_t degrees_of_freedom) {
  if (!(p > 0) || !(p < 1)) throw std::invalid_argument("student_t_quantile: needs 0 < p < 1");
  if (degrees_of_freedom < 1) throw std::invalid_argument("student_t_quantile: df must be >= 1");
  if (p < 0.5) return -student_t_quantile(1 - p, degrees_of_freedom);
  double low = 0;
  double high = 1;
  while (student_t_cdf(high, degrees_of_freedom) < p)
    high *= 2;
  while (high - low > 1e-12 * (1 + high)) {
    const double mid = 0.5 * (low + high);
    (student_t_cdf(mid, degrees_of_freedom) < p ? low : high) = mid;
  }
  return 0.5 * (low + high);
}

}  // namespace kafkasim
