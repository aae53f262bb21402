// Student's t quantiles and the 95% confidence interval of a mean.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "kafkasim/stats/confidence_interval.h"

using kafkasim::confidence_interval_95;
using kafkasim::student_t_975;

TEST_CASE("t quantiles match the tables") {
  CHECK(student_t_975(1) == doctest::Approx(12.706).epsilon(1e-4));  // n = 2
  CHECK(student_t_975(9) == doctest::Approx(2.262).epsilon(1e-3));   // n = 10
  CHECK(student_t_975(30) == doctest::Approx(2.042).epsilon(1e-3));
  CHECK(student_t_975(40) == doctest::Approx(2.0211).epsilon(1e-4));
  CHECK(student_t_975(60) == doctest::Approx(2.0003).epsilon(1e-4));
  CHECK(student_t_975(120) == doctest::Approx(1.9799).epsilon(1e-4));
  CHECK(student_t_975(1'000'000) == doctest::Approx(1.95996).epsilon(1e-5));
  CHECK_THROWS(student_t_975(0));
}

TEST_CASE("the quantile falls as the degrees of freedom grow") {
  for (int df = 1; df < 200; ++df)
    CHECK(student_t_975(df + 1) < student_t_975(df));
}

TEST_CASE("confidence interval of a known sample") {
  // Mean 5, sample standard deviation sqrt(2.5), n = 5: half width 2.776445 * sqrt(2.5/5).
  const std::vector<double> samples = {3, 4, 5, 6, 7};
  const auto ci = confidence_interval_95(samples);
  CHECK(ci.samples == 5);
  CHECK(ci.mean == doctest::Approx(5.0));
  CHECK(ci.half_width == doctest::Approx(2.776445105 * std::sqrt(0.5)));
}

TEST_CASE("two samples use t = 12.706") {
  const std::vector<double> samples = {1, 3};
  const auto ci = confidence_interval_95(samples);
  CHECK(ci.mean == doctest::Approx(2.0));
  CHECK(ci.half_width == doctest::Approx(12.706204736 * std::sqrt(2.0) / std::sqrt(2.0)));
}

TEST_CASE("fewer than two samples have no interval") {
  CHECK(confidence_interval_95(std::vector<double>{}).half_width == 0.0);
  const auto one = confidence_interval_95(std::vector<double>{4.5});
  CHECK(one.mean == 4.5);
  CHECK(one.half_width == 0.0);
}
