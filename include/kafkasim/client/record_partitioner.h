// Which partition a producer's record goes to (SPEC.md "producers[]": partition, partitioner,
// keys), as KafkaProducer.partition() decides in Kafka 2.4:
//  - an explicit `partition`: always that one;
//  - "default" with a key: toPositive(murmur2("key-<k>")) % partitions (DefaultPartitioner), the
//    same whatever the leaders are;
//  - "default" without a key: the sticky partition (StickyPartitionCache, KIP-480);
//  - "round-robin": RoundRobinPartitioner: a counter from 0, taken modulo the available
//    partitions (those with a leader) if any, else modulo all. Kafka 2.4's RoundRobinPartitioner
//    skips partitions when a record opens a new batch (it is asked twice, KAFKA-9965, fixed in
//    2.6); the model follows the SPEC's "partitions in turn" and asks once.
// Randomness (sticky choices) comes only from the stream handed in.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kafkasim/client/sticky_partition_cache.h"
#include "kafkasim/random/rng.h"
#include "kafkasim/scenario/producer.h"

namespace kafkasim {

/// A record without a key.
inline constexpr std::int64_t kNoKey = -1;

class RecordPartitioner {
 public:
  RecordPartitioner(const ProducerSpec& spec, std::int32_t partitions, Rng sticky_rng);

  /// The partition of a record with `key`: in [0, keys) when the spec has keys, else kNoKey.
  /// `available` lists the partitions with a known leader, ascending.
  std::int32_t partition(std::int64_t key, std::span<const std::int32_t> available);

  /// Whether a record opening a new batch should first call on_new_batch and ask again
  /// (KafkaProducer.doSend's abortOnNewBatch): only the sticky partitioner moves then.
  bool sticky_for(std::int64_t key) const { return key == kNoKey && mode_ == Mode::sticky; }
  /// Partitioner.onNewBatch: a record was about to open a new batch on `previous`.
  void on_new_batch(std::int32_t previous, std::span<const std::int32_t> available);

 private:
  enum class Mode { fixed, keyed, sticky, round_robin };
  std::int32_t keyed(std::int64_t key);

  Mode mode_;
  std::int32_t partitions_;
  std::int32_t fixed_ = 0;
  StickyPartitionCache sticky_;
  std::uint32_t round_robin_next_ = 0;
  /// murmur2 of each key, computed once: a run sends millions of records over few keys.
  std::vector<std::int32_t> key_partitions_;
};

}  // namespace kafkasim
