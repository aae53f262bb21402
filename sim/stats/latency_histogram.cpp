#include "kafkasim/stats/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace kafkasim {

std::size_t LatencyHistogram::bucket_of(std::int64_t ns) {
  if (ns < kExactBelow) return static_cast<std::size_t>(std::max<std::int64_t>(ns, 0));
  const auto value = static_cast<std::uint64_t>(ns);
  // The top bit's position, 8..62: the power of two the value lies in.
  const int top_bit = std::bit_width(value) - 1;
  const int shift = top_bit - 7;
  const auto sub = static_cast<std::size_t>(value >> shift) - kSubBuckets;  // 0..127
  return static_cast<std::size_t>(kExactBelow) +
         static_cast<std::size_t>(top_bit - 8) * kSubBuckets + sub;
}

std::int64_t LatencyHistogram::bucket_lower_ns(std::size_t bucket) {
  if (bucket < static_cast<std::size_t>(kExactBelow)) return static_cast<std::int64_t>(bucket);
  const std::size_t above = bucket - static_cast<std::size_t>(kExactBelow);
  const int top_bit = static_cast<int>(above / kSubBuckets) + 8;
  const auto sub = static_cast<std::int64_t>(above % kSubBuckets) + kSubBuckets;
  return sub << (top_bit - 7);
}

std::int64_t LatencyHistogram::bucket_width_ns(std::size_t bucket) {
  if (bucket < static_cast<std::size_t>(kExactBelow)) return 1;
  const std::size_t above = bucket - static_cast<std::size_t>(kExactBelow);
  return std::int64_t{1} << (static_cast<int>(above / kSubBuckets) + 1);
}

void LatencyHistogram::record(Duration value) {
  const std::int64_t ns = std::max<std::int64_t>(value.count(), 0);
  ++counts_[bucket_of(ns)];
  ++count_;
  sum_ns_ += ns;
  min_ns_ = std::min(min_ns_, ns);
  max_ns_ = std::max(max_ns_, ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.empty()) return;
  // Only the buckets between the other's extremes can hold anything.
  const std::size_t first = bucket_of(other.min_ns_);
  const std::size_t last = bucket_of(other.max_ns_);
  for (std::size_t b = first; b <= last; ++b)
    counts_[b] += other.counts_[b];
  count_ += other.count_;
  sum_ns_ += other.sum_ns_;
  min_ns_ = std::min(min_ns_, other.min_ns_);
  max_ns_ = std::max(max_ns_, other.max_ns_);
}

void LatencyHistogram::clear() {
  *this = LatencyHistogram();
}

Duration LatencyHistogram::mean() const {
  if (empty()) return Duration(0);
  return Duration(static_cast<std::int64_t>(sum_ns_ / static_cast<Sum>(count_)));
}

double LatencyHistogram::mean_ms() const {
  if (empty()) return 0.0;
  return static_cast<double>(sum_ns_) / static_cast<double>(count_) / 1e6;
}

Duration LatencyHistogram::percentile(double q) const {
  if (empty()) return Duration(0);
  const double clamped = std::clamp(q, 0.0, 1.0);
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(clamped * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  const std::size_t last = bucket_of(max_ns_);
  for (std::size_t b = bucket_of(min_ns_); b <= last; ++b) {
    seen += counts_[b];
    if (seen >= rank) {
      const std::int64_t middle = bucket_lower_ns(b) + (bucket_width_ns(b) - 1) / 2;
      return Duration(std::clamp(middle, min_ns_, max_ns_));
    }
  }
  return Duration(max_ns_);
}

std::vector<LatencyHistogram::Bucket> LatencyHistogram::buckets() const {
  std::vector<Bucket> out;
  if (empty()) return out;
  const std::size_t last = bucket_of(max_ns_);
  for (std::size_t b = bucket_of(min_ns_); b <= last; ++b) {
    if (counts_[b] == 0) continue;
    const std::int64_t lower = std::max(bucket_lower_ns(b), min_ns_);
    const std::int64_t upper = std::min(bucket_lower_ns(b) + bucket_width_ns(b), max_ns_ + 1);
    out.push_back({lower, upper, counts_[b]});
  }
  return out;
}

}  // namespace kafkasim
