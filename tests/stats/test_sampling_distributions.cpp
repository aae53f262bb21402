// The sampling distributions (stats/sampling_distributions.h) against tabulated values:
// reference values to 12 digits from mpmath (30 digits: the regularised incomplete beta and
// gamma functions, erfinv).
#include <doctest/doctest.h>

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
  // The 95% table of confidence_interval.h (df 1..30, nine digits), and its Cornish-Fisher
  // expansion beyond (error below 1e-5).
  for (std::int64_t df = 1; df <= 60; ++df) {
    CHECK(student_t_quantile(0.975, df) ==
          doctest::Approx(student_t_975(df)).epsilon(df <= 30 ? 1e-8 : 1e-5));
  }
  CHECK_THROWS_AS((void)student_t_quantile(1.0, 5), std::invalid_argument);
  CHECK_THROWS_AS((void)student_t_quantile(0.5, 0), std::invalid_argument);
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
