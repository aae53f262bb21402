// The generator family: reproducible, independent streams, and the SPEC's distributions with
// the right moments.
#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <vector>

#include "kafkasim/random/distribution.h"
#include "kafkasim/random/rng.h"

using kafkasim::Dist;
using kafkasim::Rng;

TEST_CASE("splitmix64 matches the reference output") {
  // First outputs of the reference splitmix64.c (Vigna) from state 0.
  kafkasim::SplitMix64 sm(0);
  CHECK(sm.next() == 0xe220a8397b1dcdafULL);
  CHECK(sm.next() == 0x6e789e6aa1b965f4ULL);
  CHECK(sm.next() == 0x06c45d188009454fULL);
}

TEST_CASE("the same seed gives the same numbers, another seed other numbers") {
  Rng a(7), b(7), c(8);
  std::vector<std::uint64_t> va, vb, vc;
  for (int i = 0; i < 1000; ++i) {
    va.push_back(a.next_u64());
    vb.push_back(b.next_u64());
    vc.push_back(c.next_u64());
  }
  CHECK(va == vb);
  CHECK(va != vc);
}

TEST_CASE("a stream does not depend on how much another stream was used") {
  Rng fresh = Rng::stream(1, "network/broker-1->broker-2");
  Rng busy_neighbour = Rng::stream(1, "producer/app");
  for (int i = 0; i < 12345; ++i)
    busy_neighbour.next_u64();
  Rng again = Rng::stream(1, "network/broker-1->broker-2");
  for (int i = 0; i < 100; ++i)
    CHECK(fresh.next_u64() == again.next_u64());
}

TEST_CASE("streams of different names or seeds differ") {
  std::set<std::uint64_t> firsts;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    for (const char* name : {"faults", "producer/app", "network/a->b", "network/b->a"}) {
      firsts.insert(Rng::stream(seed, name).next_u64());
    }
  }
  CHECK(firsts.size() == 200);
}

TEST_CASE("uniform01 lies in 0..1 (1 excluded) and below(n) in 0..n-1 without bias") {
  Rng rng(3);
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 600000; ++i) {
    const double u = rng.uniform01();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    ++counts[rng.below(6)];
  }
  // Each face expects 100000 with standard deviation ~289: five of them is a wide margin.
  for (int c : counts)
    CHECK(std::abs(c - 100000) < 1500);
}

namespace {

struct Moments {
  double mean = 0;
  double variance = 0;
  double min = 1e300;
};

Moments sample_moments(const Dist& dist, std::uint64_t seed, int n) {
  Rng rng(seed);
  // Welford's algorithm: stable for a million draws.
  Moments m;
  double m2 = 0;
  for (int i = 1; i <= n; ++i) {
    const double x = dist.sample(rng);
    m.min = std::min(m.min, x);
    const double delta = x - m.mean;
    m.mean += delta / i;
    m2 += delta * (x - m.mean);
  }
  m.variance = m2 / (n - 1);
  return m;
}

// Over n draws the sample mean has standard error sqrt(var/n); we allow five of them. The
// sample variance's relative standard error is about sqrt((kurtosis - 1)/n); for the shapes
// below (kurtosis <= 9 for the exponential, ~ 8.9 for lognormal sigma 0.5) 2% is over five.
void check_moments(const Dist& dist, std::uint64_t seed) {
  constexpr int n = 1000000;
  const Moments m = sample_moments(dist, seed, n);
  CAPTURE(dist.to_json());
  const double se_mean = std::sqrt(dist.variance() / n);
  CHECK(std::abs(m.mean - dist.mean()) <= 5 * se_mean + 1e-12);
  CHECK(std::abs(m.variance - dist.variance()) <= 0.02 * dist.variance() + 1e-12);
}

}  // namespace

TEST_CASE("each distribution's mean and variance over a million draws") {
  check_moments(Dist::uniform(2, 8), 11);
  check_moments(Dist::exponential(3.5), 12);
  check_moments(Dist::normal(10, 2), 13);
  check_moments(Dist::lognormal(1.0, 0.5), 14);
}

TEST_CASE("the normal is truncated at 0, with the truncated law's moments") {
  // Mean 0.5, stddev 1: about 31% of raw draws are negative, so truncation matters a lot.
  const Dist d = Dist::normal(0.5, 1.0);
  // mu + sigma*phi(a)/(1 - Phi(a)) with a = -0.5: 0.5 + 0.35207/0.69146.
  CHECK(d.mean() == doctest::Approx(1.00917).epsilon(0.0001));
  check_moments(d, 15);
  CHECK(sample_moments(d, 16, 100000).min >= 0.0);
}

TEST_CASE("a constant is constant and an exponential is never negative") {
  Rng rng(5);
  for (int i = 0; i < 1000; ++i)
    CHECK(Dist::constant(0.25).sample(rng) == 0.25);
  CHECK(sample_moments(Dist::exponential(1), 17, 100000).min >= 0.0);
}

TEST_CASE("sample_ms converts milliseconds to exact nanoseconds") {
  Rng rng(1);
  CHECK(Dist::constant(0.1).sample_ms(rng).count() == 100000);
  CHECK(Dist::constant(2.5).sample_ms(rng).count() == 2500000);
}
