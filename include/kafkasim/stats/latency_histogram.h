// A latency histogram with bounded relative error, in the manner of HdrHistogram (Gil Tene):
// values are nanoseconds; those below 256 have a bucket each, and every power of two above is
// split into 128 linear sub-buckets, so a bucket is at most 1/128 of its lower bound wide and a
// reported percentile is within 0.4% of the exact sample quantile (the bucket's midpoint is
// reported). Recording is O(1), the memory is constant (7,296 counters), and two histograms
// merge by adding counters, so per-run and per-interval histograms combine exactly.
//
// count, sum (so the mean), min and max are kept exactly beside the buckets.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "kafkasim/core/time.h"

namespace kafkasim {

class LatencyHistogram {
 public:
  /// Values below this have a bucket each.
  static constexpr std::int64_t kExactBelow = 256;
  /// Linear sub-buckets per power of two above kExactBelow.
  static constexpr int kSubBuckets = 128;
  static constexpr std::size_t kBucketCount = 256 + (62 - 8 + 1) * 128;

  /// Records one value; a negative duration is recorded as 0 (it cannot happen in the model).
  void record(Duration value);
  /// Adds every value recorded in `other`.
  void merge(const LatencyHistogram& other);
  void clear();

  std::uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  /// The exact mean; zero when empty.
  Duration mean() const;
  double mean_ms() const;
  /// Exact; zero when empty.
  Duration min() const { return Duration(empty() ? 0 : min_ns_); }
  Duration max() const { return Duration(max_ns_); }
  /// The nearest-rank q-quantile (0 <= q <= 1): the value of rank ceil(q * count), at least 1,
  /// to within the bucket's width; clamped to [min, max], so percentile(1) == max(). Zero when
  /// empty.
  Duration percentile(double q) const;
  double percentile_ms(double q) const { return to_ms(percentile(q)); }

  /// A non-empty bucket: the values in [lower, lower + width) nanoseconds, clamped to the
  /// exact [min, max] so the first and last buckets do not reach past what was recorded.
  struct Bucket {
    std::int64_t lower_ns = 0;
    std::int64_t upper_ns = 0;  // exclusive
    std::uint64_t count = 0;
  };
  /// The non-empty buckets in ascending order: the whole distribution, for a CDF plot.
  std::vector<Bucket> buckets() const;

  /// The bucket a value falls in, and the bucket's bounds (for tests).
  static std::size_t bucket_of(std::int64_t ns);
  static std::int64_t bucket_lower_ns(std::size_t bucket);
  static std::int64_t bucket_width_ns(std::size_t bucket);

 private:
  __extension__ using Sum = __int128;  // a run's summed latencies can pass 2^63 ns

  std::array<std::uint64_t, kBucketCount> counts_{};
  std::uint64_t count_ = 0;
  Sum sum_ns_ = 0;
  std::int64_t min_ns_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t max_ns_ = 0;
};

}  // namespace kafkasim
