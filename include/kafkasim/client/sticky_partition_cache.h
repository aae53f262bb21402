// The sticky partitioner's memory (KIP-480; clients/.../producer/internals/
// StickyPartitionCache.java, Kafka 2.4): records without a key all go to one partition, chosen
// at random among the available ones (those with a leader), until a batch for it is completed
// and a record would open a new one; then another partition is chosen, different from the last
// if there is a choice. Batches fill faster than with round-robin, so latency drops at low rates.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "kafkasim/random/rng.h"

namespace kafkasim {

class StickyPartitionCache {
 public:
  /// `rng` is the producer's partitioner stream (".../partitioner").
  explicit StickyPartitionCache(Rng rng) : rng_(rng) {}

  /// partition(): the sticky partition, chosen now if there is none yet. `available` lists the
  /// partitions with a leader, ascending; `partitions` is the topic's partition count.
  std::int32_t partition(std::span<const std::int32_t> available, std::int32_t partitions);

  /// nextPartition(): a batch of `previous` was completed. If `previous` is the sticky partition,
  /// choose another: a random available one other than it (the only one if there is one; any
  /// partition at random if none is available). Otherwise keep the current one: someone already
  /// moved on. Returns the sticky partition.
  std::int32_t next_partition(std::span<const std::int32_t> available, std::int32_t partitions,
                              std::int32_t previous);

 private:
  Rng rng_;
  std::optional<std::int32_t> current_;
};

}  // namespace kafkasim
