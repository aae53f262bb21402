#include "kafkasim/stats/sampling_distributions.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

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

void check_probability(double p, const char* what) {
  if (!(p > 0) || !(p < 1)) throw std::invalid_argument(std::string(what) + ": needs 0 < p < 1");
}

void check_degrees_of_freedom(std::int64_t df, const char* what) {
  if (df < 1) throw std::invalid_argument(std::string(what) + ": df must be >= 1");
}

// The x in [low, ...) with cdf(x) = p, for an increasing continuous cdf: double `high` until it
// passes p, then bisect to a relative 1e-12.
template <typename Cdf>
double invert(Cdf cdf, double p, double low, double high) {
  while (cdf(high) < p)
    high *= 2;
  while (high - low > 1e-12 * (1 + std::abs(high))) {
    const double mid = 0.5 * (low + high);
    (cdf(mid) < p ? low : high) = mid;
  }
  return 0.5 * (low + high);
}

}  // namespace

double student_t_cdf(double t, std::int64_t degrees_of_freedom) {
  check_degrees_of_freedom(degrees_of_freedom, "student_t_cdf");
  const double a = two_sided(std::abs(t), degrees_of_freedom);
  return t >= 0 ? 0.5 * (1 + a) : 0.5 * (1 - a);
}

double student_t_quantile(double p, std::int64_t degrees_of_freedom) {
  check_probability(p, "student_t_quantile");
  check_degrees_of_freedom(degrees_of_freedom, "student_t_quantile");
  if (p < 0.5) return -student_t_quantile(1 - p, degrees_of_freedom);
  return invert([&](double t) { return student_t_cdf(t, degrees_of_freedom); }, p, 0, 1);
}

double normal_quantile(double p) {
  check_probability(p, "normal_quantile");
  if (p < 0.5) return -normal_quantile(1 - p);
  return invert([](double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }, p, 0, 1);
}

double chi_square_cdf(double x, std::int64_t degrees_of_freedom) {
  check_degrees_of_freedom(degrees_of_freedom, "chi_square_cdf");
  if (x <= 0) return 0;
  // P(a, y) = y^a e^-y / Gamma(a + 1) * sum_{n >= 0} y^n / ((a + 1) ... (a + n)).
  const double a = 0.5 * static_cast<double>(degrees_of_freedom);
  const double y = 0.5 * x;
  double term = 1;
  double sum = 1;
  for (int n = 1; n < 100000 && term > 1e-17 * sum; ++n) {
    term *= y / (a + n);
    sum += term;
  }
  return std::min(1.0, std::exp(a * std::log(y) - y - std::lgamma(a + 1)) * sum);
}

double chi_square_quantile(double p, std::int64_t degrees_of_freedom) {
  check_probability(p, "chi_square_quantile");
  check_degrees_of_freedom(degrees_of_freedom, "chi_square_quantile");
  return invert([&](double x) { return chi_square_cdf(x, degrees_of_freedom); }, p, 0,
                static_cast<double>(degrees_of_freedom));
}

}  // namespace kafkasim
