#include "kafkasim/stats/sampling_distributions.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include <boost/math/distributions/students_t.hpp>

namespace kafkasim {

namespace {

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

// Boost.Math's default policy would throw std::domain_error for a bad argument; the checks
// above come first so that every function here throws std::invalid_argument alike.
double student_t_cdf(double t, std::int64_t degrees_of_freedom) {
  check_degrees_of_freedom(degrees_of_freedom, "student_t_cdf");
  const boost::math::students_t_distribution<double> student(
      static_cast<double>(degrees_of_freedom));
  return boost::math::cdf(student, t);
}

double student_t_quantile(double p, std::int64_t degrees_of_freedom) {
  check_probability(p, "student_t_quantile");
  check_degrees_of_freedom(degrees_of_freedom, "student_t_quantile");
  const boost::math::students_t_distribution<double> student(
      static_cast<double>(degrees_of_freedom));
  return boost::math::quantile(student, p);
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
