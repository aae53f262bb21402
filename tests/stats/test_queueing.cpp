// The queueing formulas (stats/queueing.h) against textbook values and against each other:
// Erlang's B and C by the recursion against the closed forms, the M/M/c sojourn distribution
// against its mean, M/M/1 as the c = 1 case, Pollaczek-Khinchine against M/M/1.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "kafkasim/random/rng.h"
#include "kafkasim/stats/batch_means.h"
#include "kafkasim/stats/queueing.h"

using namespace kafkasim;

namespace {

// Erlang's C formula as textbooks print it: (a^c / c!) (c / (c - a)) over
// sum_{k<c} a^k / k! + (a^c / c!) (c / (c - a)). Independent of the recursion under test.
double erlang_c_closed_form(int c, double a) {
  double term = 1;  // a^k / k!
  double sum = 0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double top = term * c / (c - a);
  return top / (sum + top);
}

}  // namespace

TEST_CASE("Erlang B and C: textbook values and the closed form") {
  // Two Erlangs on three servers: B = (8/6) / (1 + 2 + 2 + 8/6) = 4/19, C = 4/9.
  CHECK(erlang_b(3, 2.0) == doctest::Approx(4.0 / 19.0).epsilon(1e-14));
  CHECK(erlang_c(3, 2.0) == doctest::Approx(4.0 / 9.0).epsilon(1e-14));
  // 1.6 Erlangs on two servers: C = 6.4 / (2.6 + 6.4) = 32/45.
  CHECK(erlang_c(2, 1.6) == doctest::Approx(32.0 / 45.0).epsilon(1e-14));
  // One server: C(1, a) = a, the utilisation (an arrival waits iff the server is busy).
  CHECK(erlang_c(1, 0.8) == doctest::Approx(0.8).epsilon(1e-14));
  // A call-centre table value: 10 agents, 8 Erlangs, C = 0.40918.
  CHECK(erlang_c(10, 8.0) == doctest::Approx(0.409180).epsilon(1e-5));
  for (const int c : {1, 2, 4, 8, 50}) {
    for (const double rho : {0.1, 0.5, 0.8, 0.95}) {
      CHECK(erlang_c(c, rho * c) ==
            doctest::Approx(erlang_c_closed_form(c, rho * c)).epsilon(1e-12));
    }
  }
  CHECK_THROWS_AS((void)erlang_c(2, 2.0), std::invalid_argument);
  CHECK_THROWS_AS((void)erlang_c(0, 0.5), std::invalid_argument);
}

TEST_CASE("M/M/1: mean 1/(mu - lambda), exponential sojourn, quantiles -ln(1-p)/(mu - lambda)") {
  const MMcQueue q(0.8, 1.0, 1);
  CHECK(q.utilisation() == doctest::Approx(0.8));
  CHECK(q.mean_sojourn() == doctest::Approx(5.0).epsilon(1e-14));
  CHECK(q.mean_waiting() == doctest::Approx(4.0).epsilon(1e-14));
  for (const double t : {0.1, 1.0, 5.0, 20.0}) {
    CHECK(q.sojourn_cdf(t) == doctest::Approx(1 - std::exp(-0.2 * t)).epsilon(1e-12));
  }
  CHECK(q.sojourn_quantile(0.5) == doctest::Approx(5 * std::log(2.0)).epsilon(1e-10));
  CHECK(q.sojourn_quantile(0.99) == doctest::Approx(5 * std::log(100.0)).epsilon(1e-10));
  const MMcQueue half(500, 1000, 1);  // per second: rho 0.5, mean 2 ms
  CHECK(half.mean_sojourn() == doctest::Approx(0.002).epsilon(1e-14));
  CHECK_THROWS_AS(MMcQueue(1.0, 1.0, 1), std::invalid_argument);
}

TEST_CASE("M/M/c: Erlang C waiting time, and a sojourn distribution consistent with its mean") {
  // M/M/2, lambda 1.6, mu 1: Wq = C / (c mu - lambda) = (32/45) / 0.4 = 16/9.
  const MMcQueue q(1.6, 1.0, 2);
  CHECK(q.probability_of_waiting() == doctest::Approx(32.0 / 45.0).epsilon(1e-14));
  CHECK(q.mean_waiting() == doctest::Approx(16.0 / 9.0).epsilon(1e-13));
  CHECK(q.mean_sojourn() == doctest::Approx(25.0 / 9.0).epsilon(1e-13));
  for (const auto& [lambda, c] : {std::pair{1.6, 2}, std::pair{3.2, 4}, std::pair{1.0, 2},
                                  std::pair{2.0, 4}, std::pair{0.5, 1}}) {
    const MMcQueue m(lambda, 1.0, c);
    // E[T] = integral of P(T > t): Simpson's rule far into the tail.
    const double end = 60 * m.mean_sojourn();
    const int steps = 200000;
    const double h = end / steps;
    double integral = 0;
    for (int i = 0; i <= steps; ++i) {
      const double weight = (i == 0 || i == steps) ? 1 : (i % 2 == 1 ? 4 : 2);
      integral += weight * (1 - m.sojourn_cdf(i * h));
    }
    integral *= h / 3;
    CHECK(integral == doctest::Approx(m.mean_sojourn()).epsilon(1e-7));
    // P(T <= t) at t -> 0 is 0, and quantiles invert the CDF.
    CHECK(m.sojourn_cdf(0) == 0);
    for (const double p : {0.5, 0.9, 0.99}) {
      CHECK(m.sojourn_cdf(m.sojourn_quantile(p)) == doctest::Approx(p).epsilon(1e-10));
    }
  }
  // theta = c mu - lambda = mu is the CDF's removable singularity: continuous across it.
  const MMcQueue at(1.0, 1.0, 2);
  const MMcQueue near(1.0 + 1e-6, 1.0, 2);
  CHECK(at.sojourn_cdf(2.0) == doctest::Approx(near.sojourn_cdf(2.0)).epsilon(1e-5));
}

TEST_CASE("Pollaczek-Khinchine: M/D/1 waits half as long as M/M/1") {
  // M/D/1, rho 0.8, d 1: Wq = 0.8 / (2 * 0.2) = 2, sojourn 3.
  CHECK(md1_mean_waiting(0.8, 1.0) == doctest::Approx(2.0).epsilon(1e-14));
  CHECK(md1_mean_sojourn(0.8, 1.0) == doctest::Approx(3.0).epsilon(1e-14));
  // rho 0.5 with d = 1 ms at 500/s: Wq = 0.5 ms, sojourn 1.5 ms.
  CHECK(md1_mean_sojourn(0.5, 1.0) == doctest::Approx(1.5).epsilon(1e-14));
  // Exponential service (E[S^2] = 2 E[S]^2) gives M/M/1's Wq = rho / (mu - lambda).
  for (const double rho : {0.3, 0.5, 0.8, 0.9}) {
    CHECK(mg1_mean_waiting(rho, 1.0, 2.0) ==
          doctest::Approx(MMcQueue(rho, 1.0, 1).mean_waiting()).epsilon(1e-13));
    CHECK(mg1_mean_waiting(rho, 1.0, 2.0) == doctest::Approx(2 * md1_mean_waiting(rho, 1.0)));
  }
  CHECK_THROWS_AS((void)md1_mean_waiting(1.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS((void)mg1_mean_waiting(0.5, 1.0, 0.5), std::invalid_argument);
}

TEST_CASE("M/M/1 variance constant of the sojourn mean: closed form and an independent recursion") {
  // rho 0.5, mu 1: (1.5)^2 / 0.5^4 = 36; rho 0.8: 3.24 / 0.0016 = 2025. Light traffic: the
  // sojourns become independent services, variance 1/mu^2.
  CHECK(mm1_sojourn_variance_constant(0.5, 1.0) == doctest::Approx(36.0).epsilon(1e-13));
  CHECK(mm1_sojourn_variance_constant(0.8, 1.0) == doctest::Approx(2025.0).epsilon(1e-13));
  CHECK(mm1_sojourn_variance_constant(1e-9, 2.0) == doctest::Approx(0.25).epsilon(1e-6));
  CHECK_THROWS_AS((void)mm1_sojourn_variance_constant(1.0, 1.0), std::invalid_argument);

  // Lindley's recursion T(n+1) = max(T(n) - A(n+1), 0) + S(n+1) at rho 0.5, 40 sequences of
  // 320,000 customers in 32 batches: n * se^2 estimates sigma^2. Each estimate has a relative
  // standard deviation of about sqrt(2/31) = 25%, their average about 4%; 15% is almost 4 of
  // those.
  Rng rng = Rng::stream(11, "test/lindley");
  const auto exponential = [&rng](double rate) { return -std::log(1 - rng.uniform01()) / rate; };
  const std::size_t n = 320'000;
  double sum = 0;
  const int sequences = 40;
  for (int s = 0; s < sequences; ++s) {
    std::vector<double> sojourns(n);
    double t = 0;
    for (double& x : sojourns) {
      t = std::max(t - exponential(0.5), 0.0) + exponential(1.0);
      x = t;
    }
    const BatchMeans bm = batch_means(sojourns, 32);
    sum += static_cast<double>(n) * bm.standard_error * bm.standard_error;
  }
  CHECK(sum / sequences == doctest::Approx(36.0).epsilon(0.15));
}
