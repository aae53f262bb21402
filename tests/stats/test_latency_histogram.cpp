// The latency histogram against exact sorted-sample quantiles.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kafkasim/random/distribution.h"
#include "kafkasim/random/rng.h"
#include "kafkasim/stats/latency_histogram.h"

using kafkasim::Duration;
using kafkasim::LatencyHistogram;

namespace {

/// The nearest-rank quantile of sorted samples, as LatencyHistogram::percentile defines it.
std::int64_t exact_quantile(const std::vector<std::int64_t>& sorted, double q) {
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::max<std::size_t>(rank, 1);
  return sorted[rank - 1];
}

void check_quantiles(const std::vector<std::int64_t>& samples) {
  LatencyHistogram h;
  for (const std::int64_t ns : samples)
    h.record(Duration(ns));
  std::vector<std::int64_t> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  for (const double q : {0.0, 0.001, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    const auto exact = static_cast<double>(exact_quantile(sorted, q));
    const auto got = static_cast<double>(h.percentile(q).count());
    INFO("q = " << q << " exact " << exact << " got " << got);
    CHECK(std::abs(got - exact) <= 0.01 * exact);
  }
  CHECK(h.min().count() == sorted.front());
  CHECK(h.max().count() == sorted.back());
  long double sum = 0;
  for (const std::int64_t ns : samples)
    sum += static_cast<long double>(ns);
  CHECK(h.mean().count() ==
        static_cast<std::int64_t>(sum / static_cast<long double>(samples.size())));
}

}  // namespace

TEST_CASE("every bucket is at most 1/128 of its lower bound wide, and buckets tile the line") {
  for (std::size_t b = 1; b < LatencyHistogram::kBucketCount; ++b) {
    const std::int64_t lower = LatencyHistogram::bucket_lower_ns(b);
    REQUIRE(lower ==
            LatencyHistogram::bucket_lower_ns(b - 1) + LatencyHistogram::bucket_width_ns(b - 1));
    CHECK(LatencyHistogram::bucket_of(lower) == b);
    CHECK(LatencyHistogram::bucket_of(lower - 1) == b - 1);
    if (lower >= 256) CHECK(LatencyHistogram::bucket_width_ns(b) * 128 <= lower);
  }
  CHECK(LatencyHistogram::bucket_of(INT64_MAX) == LatencyHistogram::kBucketCount - 1);
}

TEST_CASE("percentiles of uniform samples are within 1% of the exact quantiles") {
  kafkasim::Rng rng(11);
  std::vector<std::int64_t> samples;
  for (int i = 0; i < 100000; ++i)
    samples.push_back(1000 + static_cast<std::int64_t>(rng.below(50'000'000)));
  check_quantiles(samples);
}

TEST_CASE("percentiles of exponential samples are within 1% of the exact quantiles") {
  kafkasim::Rng rng(12);
  const kafkasim::Dist exp_ms = kafkasim::Dist::exponential(2.0);
  std::vector<std::int64_t> samples;
  for (int i = 0; i < 100000; ++i)
    samples.push_back(exp_ms.sample_ms(rng).count());
  check_quantiles(samples);
}

TEST_CASE("small values are exact") {
  LatencyHistogram h;
  for (int ns = 0; ns < 200; ++ns)
    h.record(Duration(ns));
  CHECK(h.percentile(0.5).count() == 99);
  CHECK(h.percentile(1.0).count() == 199);
  CHECK(h.percentile(0.0).count() == 0);
}

TEST_CASE("merging equals recording everything in one histogram") {
  kafkasim::Rng rng(13);
  LatencyHistogram a, b, all;
  for (int i = 0; i < 20000; ++i) {
    const Duration v(static_cast<std::int64_t>(rng.below(1'000'000'000)));
    (i % 3 == 0 ? a : b).record(v);
    all.record(v);
  }
  LatencyHistogram merged = a;
  merged.merge(b);
  CHECK(merged.count() == all.count());
  CHECK(merged.mean() == all.mean());
  CHECK(merged.min() == all.min());
  CHECK(merged.max() == all.max());
  for (const double q : {0.1, 0.5, 0.9, 0.99, 0.999})
    CHECK(merged.percentile(q) == all.percentile(q));
  merged.merge(LatencyHistogram());
  CHECK(merged.count() == all.count());
}

TEST_CASE("an empty histogram reports zeros") {
  LatencyHistogram h;
  CHECK(h.empty());
  CHECK(h.count() == 0);
  CHECK(h.mean().count() == 0);
  CHECK(h.mean_ms() == 0.0);
  CHECK(h.min().count() == 0);
  CHECK(h.max().count() == 0);
  CHECK(h.percentile(0.99).count() == 0);
  h.record(Duration(5'000'000));
  h.clear();
  CHECK(h.empty());
  CHECK(h.percentile(0.5).count() == 0);
}

TEST_CASE("a single value is every percentile, exactly") {
  LatencyHistogram h;
  h.record(Duration(123'456'789));
  for (const double q : {0.0, 0.5, 0.999, 1.0})
    CHECK(h.percentile(q).count() == 123'456'789);
  CHECK(h.mean_ms() == doctest::Approx(123.456789));
}

TEST_CASE(
    "buckets: every value counted once, in ascending non-overlapping ranges within min..max") {
  LatencyHistogram h;
  CHECK(h.buckets().empty());
  kafkasim::Rng rng = kafkasim::Rng::stream(3, "histogram/buckets");
  const kafkasim::Dist dist = kafkasim::Dist::lognormal(2e6, 1.0);
  std::vector<std::int64_t> samples;
  for (int i = 0; i < 20000; ++i)
    samples.push_back(static_cast<std::int64_t>(dist.sample(rng)));
  samples.push_back(7);  // an exact small bucket
  for (const std::int64_t ns : samples)
    h.record(Duration(ns));
  const std::vector<LatencyHistogram::Bucket> buckets = h.buckets();
  REQUIRE_FALSE(buckets.empty());
  CHECK(buckets.front().lower_ns == h.min().count());
  CHECK(buckets.back().upper_ns == h.max().count() + 1);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    CHECK(buckets[i].count > 0);
    CHECK(buckets[i].lower_ns < buckets[i].upper_ns);
    if (i > 0) CHECK(buckets[i - 1].upper_ns <= buckets[i].lower_ns);
    // Each bucket holds exactly the samples in its range.
    const auto inside = std::count_if(samples.begin(), samples.end(), [&](std::int64_t ns) {
      return ns >= buckets[i].lower_ns && ns < buckets[i].upper_ns;
    });
    CHECK(static_cast<std::uint64_t>(inside) == buckets[i].count);
    total += buckets[i].count;
  }
  CHECK(total == h.count());
}
