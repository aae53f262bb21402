// One entry of `producers` (SPEC.md "producers[]").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/scenario/producer_config.h"

namespace kafkasim {

/// How send() calls are spaced.
enum class Arrivals {
  constant,  // evenly, 1/rate apart (default)
  poisson,   // exponential gaps with mean 1/rate
};

/// Which partition a message goes to when `partition` is not set.
enum class Partitioner {
  default_partitioner,  // "default": murmur2 of the key; sticky without a key (Kafka 2.4, KIP-480)
  round_robin,          // "round-robin": partitions in turn (before 2.4, and the course notes)
};

std::string_view to_string(Arrivals arrivals);
std::string_view to_string(Partitioner partitioner);

/// From `at` on, the producer sends at `rate_per_s`.
struct RateChange {
  Instant at;
  double rate_per_s = 0;
};

struct ProducerSpec {
  std::string name;
  std::string topic;
  double rate_per_s = 0;
  Arrivals arrivals = Arrivals::constant;
  std::int64_t message_bytes = 100;
  /// 0: messages have no key; N: keys drawn uniformly from N.
  std::int64_t keys = 0;
  /// Send every message to this partition.
  std::optional<std::int32_t> partition;
  Partitioner partitioner = Partitioner::default_partitioner;
  /// Default 0.
  Instant start = Instant::start();
  /// Unset: the producer sends until duration_ms.
  std::optional<Instant> stop;
  /// Sorted by `at`.
  std::vector<RateChange> rate_changes;
  ProducerConfig config;
};

}  // namespace kafkasim
