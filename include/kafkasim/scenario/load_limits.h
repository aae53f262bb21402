// Limits on what a scenario may ask of the machine, checked by the loader before anything is
// allocated for a run: a teaching tool receives every kind of file, and a typo such as a rate
// of 2e9 messages/s, or a file of a million nested arrays, must end with a clear error, not an
// exhausted machine. Each limit names itself in its error; the message count, the one a real
// study may need to raise, has an override (kafkasim run/validate --max-messages).
#pragma once

#include <cstddef>
#include <cstdint>

namespace kafkasim {

struct LoadLimits {
  /// A scenario file (or --set value) larger than this is refused before it is parsed.
  static constexpr std::size_t kMaxTextBytes = 16u << 20;
  /// Objects and arrays nested deeper than this are refused before parsing: nlohmann::json has
  /// no depth limit of its own, and printing or copying a deep value recurses once per level.
  static constexpr int kMaxDepth = 64;
  /// Partition replicas over all topics (partitions x replication factor), each simulated with
  /// its own log: ZooKeeper-era Kafka's own advice is at most about 200,000 partitions per
  /// cluster (Confluent, "Apache Kafka Supports 200K Partitions Per Cluster", 2018).
  static constexpr std::int64_t kMaxReplicas = 200'000;
  /// Messages per run, the sum over producers of rate_per_s x sending time (rate changes
  /// included). Each costs about 30 bytes and 19 events in a run (README "Benchmarks"), so the
  /// default is about 3 GB and a few minutes per run.
  static constexpr double kDefaultMaxMessages = 1e8;
  double max_messages = kDefaultMaxMessages;
};

}  // namespace kafkasim
