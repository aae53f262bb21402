// The sampling distributions (stats/sampling_distributions.h) against tabulated values:
// reference values to 12 digits from mpmath (30 digits: the regularised incomplete beta and
// gamma functions, erfinv).
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "kafkasim/stats/confidence_interval.h"
#include "kafkasim/stats/sampling_distributions.h"

using namespace kafkasim;

TEST_CASE("Student's t: CDF and quantiles match the tables") {
  CHECK(student_t_quantile(0.9995, 10) == doctest::Approx(4.58689385870264).epsilon(1e-11));
  CHECK(student_t_quantile(0.9995, 30) == doctest::Approx(3.64595863504202).epsilon(1e-11));
  CHECK(student_t_quantile(0.9995, 31) == doctest::Approx(3.63345634975833).epsilon(1e-11));
  CHECK(student_t_quantile(0.9995, 39) == doctest::Approx(3.55812008133273).epsilon(1e-11));
  CHECK(student_t_quantile(0.9995, 1000) == doctest::Approx(3.30028264842391).epsilon(1e-11));
  CHECK(student_t_quantile(0.9995, 1) == doctest::Approx(636.61924876872).epsilon(1e-11));
  CHECK(student_t_quantile(0.9, 31) == doctest::Approx(1.30946354949465).epsilon(1e-11));
  CHECK(student_t_quantile(0.1, 31) == doctest::Approx(-1.30946354949465).epsilon(1e-11));
  CHECK(student_t_cdf(1.5, 7) == doctest::Approx(0.911350756505015).epsilon(1e-13));
  CHECK(student_t_cdf(-2.0, 4) == doctest::Approx(1 - 0.941941738241592).epsilon(1e-12));
  CHECK(student_t_cdf(0.0, 5) == 0.5);
  CHECK(student_t_975(45) == doctest::Approx(student_t_quantile(0.975, 45)));
  CHECK_THROWS_AS((void)student_t_quantile(1.0, 5), std::invalid_argument);
  CHECK_THROWS_AS((void)student_t_quantile(0.5, 0), std::invalid_argument);
  CHECK_THROWS_AS((void)student_t_cdf(1.0, 0), std::invalid_argument);
}

// The quantiles come from Boost.Math (issue 10): pinned here against printed tables, so a wrong
// argument order or a one-sided/two-sided mix-up cannot pass.
TEST_CASE("Student's t quantiles match the published tables") {
  // t(0.975; df) for df = 1..30 to nine digits, the table confidence_interval.h used to carry
  // (NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2).
  constexpr std::array<double, 30> kT975 = {
      12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
      2.364624252,  2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
      2.160368656,  2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
      2.093024054,  2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
      2.059538553,  2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456};
  for (std::int64_t df = 1; df <= 30; ++df) {
    INFO("df = " << df);
    CHECK(student_t_quantile(0.975, df) ==
          doctest::Approx(kT975[static_cast<std::size_t>(df - 1)]).epsilon(1e-8));
  }
  // The upper critical values of the same handbook's table, printed to three decimals, at the
  // one-sided levels 0.10, 0.05, 0.025, 0.01 and 0.005.
  struct Row {
    std::int64_t df;
    std::array<double, 5> t;
  };
  constexpr std::array<double, 5> kUpper = {0.90, 0.95, 0.975, 0.99, 0.995};
  constexpr std::array<Row, 6> kTable = {{{1, {3.078, 6.314, 12.706, 31.821, 63.657}},
                                          {2, {1.886, 2.920, 4.303, 6.965, 9.925}},
                                          {5, {1.476, 2.015, 2.571, 3.365, 4.032}},
                                          {10, {1.372, 1.812, 2.228, 2.764, 3.169}},
                                          {30, {1.310, 1.697, 2.042, 2.457, 2.750}},
                                          {100, {1.290, 1.660, 1.984, 2.364, 2.626}}}};
  for (const Row& row : kTable) {
    for (std::size_t i = 0; i < kUpper.size(); ++i) {
      INFO("df = " << row.df << ", p = " << kUpper[i]);
      CHECK(std::abs(student_t_quantile(kUpper[i], row.df) - row.t[i]) <= 0.0005);
      CHECK(std::abs(student_t_quantile(1 - kUpper[i], row.df) + row.t[i]) <= 0.0005);
    }
  }
  // Closed forms: df = 1 is the Cauchy, t = tan(pi (p - 1/2)); df = 2, t = (2p - 1) /
  // sqrt(2 p (1 - p)).
  for (const double p : {0.6, 0.9, 0.999}) {
    CHECK(student_t_quantile(p, 1) == doctest::Approx(std::tan(std::numbers::pi * (p - 0.5))));
    CHECK(student_t_quantile(p, 2) == doctest::Approx((2 * p - 1) / std::sqrt(2 * p * (1 - p))));
  }
}

TEST_CASE("Normal and chi-square quantiles match the tables") {
  CHECK(normal_quantile(0.975) == doctest::Approx(1.959963984540054).epsilon(1e-11));
  CHECK(normal_quantile(0.9995) == doctest::Approx(3.290526731491895).epsilon(1e-11));
  CHECK(normal_quantile(0.9) == doctest::Approx(1.2815515655446).epsilon(1e-11));
  CHECK(normal_quantile(0.5) == doctest::Approx(0.0));
  CHECK(normal_quantile(0.025) == doctest::Approx(-1.959963984540054).epsilon(1e-11));
  // Student's t tends to the normal.
  CHECK(student_t_quantile(0.9995, 100000) ==
        doctest::Approx(normal_quantile(0.9995)).epsilon(1e-4));
  CHECK(chi_square_cdf(40.0, 31) == doctest::Approx(0.87095965087061).epsilon(1e-12));
  CHECK(chi_square_quantile(0.0005, 31) == doctest::Approx(11.3886814842841).epsilon(1e-11));
  CHECK(chi_square_quantile(0.9995, 31) == doctest::Approx(63.582010746565).epsilon(1e-11));
  CHECK(chi_square_quantile(0.95, 1) == doctest::Approx(3.84145882069413).epsilon(1e-11));
  CHECK(chi_square_quantile(0.5, 2) == doctest::Approx(1.38629436111989).epsilon(1e-11));
  CHECK(chi_square_quantile(0.975, 100) == doctest::Approx(129.561197185837).epsilon(1e-11));
  CHECK(chi_square_cdf(0.0, 3) == 0);
  CHECK_THROWS_AS((void)chi_square_quantile(0.5, 0), std::invalid_argument);
  CHECK_THROWS_AS((void)normal_quantile(0.0), std::invalid_argument);
}
