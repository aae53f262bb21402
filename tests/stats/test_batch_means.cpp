// Batch means (stats/batch_means.h) on sequences whose answer is known.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "kafkasim/random/rng.h"
#include "kafkasim/stats/batch_means.h"
#include "kafkasim/stats/sampling_distributions.h"

using namespace kafkasim;

TEST_CASE("Batch means: exact on a known sequence, honest on independent draws") {
  // 2 batches of (1, 2, 3) and (4, 5, 6) after one skipped sample: means 2 and 5.
  const std::vector<double> seq = {100, 1, 2, 3, 4, 5, 6};
  const BatchMeans bm = batch_means(seq, 2);
  CHECK(bm.batch_size == 3);
  CHECK(bm.mean == doctest::Approx(3.5));
  // s = sqrt(((2-3.5)^2 + (5-3.5)^2) / 1) = 2.1213; se = s / sqrt(2) = 1.5.
  CHECK(bm.standard_error == doctest::Approx(1.5));
  CHECK(bm.half_width(0.05) == doctest::Approx(12.7062047361747 * 1.5).epsilon(1e-10));
  CHECK_THROWS_AS((void)batch_means(seq, 1), std::invalid_argument);
  CHECK_THROWS_AS((void)batch_means(std::vector<double>{1.0}, 2), std::invalid_argument);

  // Independent Exp(1) draws: the standard error is about 1/sqrt(n), and over many
  // independent sequences the 99% interval holds the true mean about 99% of the time.
  Rng rng = Rng::stream(7, "test/batch-means");
  const std::size_t n = 32 * 500;
  int covered = 0;
  const int trials = 400;
  double se_sum = 0;
  for (int trial = 0; trial < trials; ++trial) {
    std::vector<double> draws(n);
    for (double& x : draws)
      x = -std::log(1 - rng.uniform01());
    const BatchMeans b = batch_means(draws, 32);
    se_sum += b.standard_error;
    if (std::abs(b.mean - 1.0) <= b.half_width(0.01)) ++covered;
  }
  CHECK(se_sum / trials == doctest::Approx(1 / std::sqrt(static_cast<double>(n))).epsilon(0.05));
  // Binomial(400, 0.99): mean 396, sd 2; 388 is four standard deviations below.
  CHECK(covered >= 388);
}
