// The sampling distributions the confidence intervals and the queueing tests take their
// quantiles from: Student's t (a mean of a few runs or batch means), the normal (a mean whose
// variance is known), chi-square (a sample variance). Student's t is Boost.Math's
// (boost/math/distributions/students_t.hpp, Debian's libboost-math-dev, header-only); the
// normal and chi-square are exact series, their quantiles by bisection to 1e-12.
// Deterministic for a given build: arithmetic and the standard library's functions only.
#pragma once

#include <cstdint>

namespace kafkasim {

/// P(T <= t) for T ~ Student's t with `degrees_of_freedom` >= 1. Throws std::invalid_argument
/// for df < 1.
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
