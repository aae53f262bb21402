// Where the replicas of a new topic go: Kafka's AdminUtils.assignReplicasToBrokers
// (core/src/main/scala/kafka/admin/AdminUtils.scala, 2.4), both its rack-unaware path and its
// rack-aware one (KIP-36).
//
// Kafka's three goals, in its own words: spread the replicas evenly among brokers; for the
// partitions led by one broker, spread their other replicas over the other brokers; and, if all
// brokers have a rack, put the replicas of each partition on different racks where possible.
// Kafka draws its random start index and replica shift from a java.util.Random; here they come
// from the caller's Rng stream (e.g. "assignment/<topic>"), so a run's seed fixes them.
#pragma once

#include <cstdint>
#include <vector>

#include "kafkasim/core/strong_id.h"
#include "kafkasim/random/rng.h"
#include "kafkasim/scenario/cluster.h"

namespace kafkasim {

/// Kafka's AdminUtils.assignReplicasToBrokers. `brokers` in the order Kafka would list them
/// (sorted by id, as AdminUtils.getBrokerMetadatas gives them); racks on all or on none.
/// Element i of the result holds the replicas of partition max(0, start_partition_id) + i, the
/// first of them the preferred leader.
///
/// `fixed_start_index` >= 0 replaces both random draws (start index and replica shift), and
/// `start_partition_id` >= 0 continues an existing topic (AdminUtils.addPartitions), as in Kafka.
/// The Rng is drawn from (twice, start index then shift) only when `fixed_start_index` < 0.
///
/// Throws std::invalid_argument where Kafka throws: partitions <= 0, replication_factor <= 0,
/// replication_factor > brokers (InvalidPartitionsException, InvalidReplicationFactorException),
/// or racks on some brokers but not all (AdminOperationException).
std::vector<std::vector<BrokerId>> assign_replicas_to_brokers(
    const std::vector<BrokerSpec>& brokers, std::int32_t partitions,
    std::int32_t replication_factor, Rng& rng, std::int32_t fixed_start_index = -1,
    std::int32_t start_partition_id = -1);

/// Kafka's AdminUtils.getRackAlternatedBrokerList: the brokers taken one rack at a time, racks
/// in name order and brokers by id within a rack. Racks {rack1: 0, 1, 2; rack2: 3, 4, 5;
/// rack3: 6, 7, 8} give 0, 3, 6, 1, 4, 7, 2, 5, 8. Every broker must have a rack.
std::vector<BrokerId> rack_alternated_broker_list(const std::vector<BrokerSpec>& brokers);

}  // namespace kafkasim
