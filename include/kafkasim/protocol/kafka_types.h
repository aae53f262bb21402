// Kafka's nouns as types: offsets, epochs, topic-partitions, record batches and error codes.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kafkasim/core/strong_id.h"
#include "kafkasim/protocol/zk_version.h"

namespace kafkasim {

/// A position in a partition's log. Plain integer: offsets are counted and subtracted all the time.
using Offset = std::int64_t;

/// The partition leader epoch: +1 at every leader election (KafkaController.scala), stamped on
/// each batch the leader appends (KIP-101).
using LeaderEpoch = StrongId<struct LeaderEpochTag, std::int32_t>;
/// The controller epoch: +1 each time a broker becomes controller (/controller_epoch).
using ControllerEpoch = StrongId<struct ControllerEpochTag, std::int32_t>;
/// Matches a response to its request on one connection (Kafka's correlation id).
using CorrelationId = StrongId<struct CorrelationIdTag, std::uint32_t>;
/// A producer of the scenario, by its index in `producers[]`.
using ProducerIndex = StrongId<struct ProducerIndexTag, std::uint32_t>;
/// A topic of the scenario, by its index in `topics[]`.
using TopicIndex = StrongId<struct TopicIndexTag, std::uint32_t>;

inline constexpr BrokerId kNoBroker{-1};
/// RecordBatch.NO_PRODUCER_ID: a batch of no producer (the group coordinator's appends); the
/// producer state of a log does not track it.
inline constexpr ProducerIndex kNoProducerId{0xFFFFFFFFu};
inline constexpr LeaderEpoch kNoLeaderEpoch{-1};

struct TopicPartition {
  TopicIndex topic;
  std::int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

/// What a log holds and a fetch carries: a batch of records from one producer to one partition.
/// A record's identity is (producer, partition, sequence): the producer numbers the records of
/// each partition in the order send() was called, so a batch's records are one range of
/// sequence numbers, and a log stores batches, never per-record objects.
struct RecordBatch {
  Offset base_offset = 0;       // set by the leader when it appends
  LeaderEpoch leader_epoch{0};  // the leader's epoch when it appended (KIP-101)
  ProducerIndex producer;
  std::uint32_t first_sequence = 0;
  std::uint32_t record_count = 0;
  std::uint32_t size_bytes = 0;
  /// The producer's epoch (RecordBatch.producerEpoch): a producer restarted after a crash
  /// writes with the next one (see ProducerStateTable).
  std::uint16_t producer_epoch = 0;

  Offset last_offset() const { return base_offset + record_count - 1; }
  Offset next_offset() const { return base_offset + record_count; }
};

/// Kafka's error codes (clients/src/main/java/org/apache/kafka/common/protocol/Errors.java),
/// those the model can return.
enum class Errors : std::int16_t {
  none = 0,
  offset_out_of_range = 1,
  unknown_topic_or_partition = 3,
  leader_not_available = 5,
  not_leader_for_partition = 6,
  request_timed_out = 7,
  broker_not_available = 8,
  stale_controller_epoch = 11,
  network_exception = 13,
  not_enough_replicas = 19,
  not_enough_replicas_after_append = 20,
  not_controller = 41,
  out_of_order_sequence_number = 45,
  invalid_producer_epoch = 47,
  duplicate_sequence_number = 46,
  coordinator_load_in_progress = 14,
  coordinator_not_available = 15,
  not_coordinator = 16,
  illegal_generation = 22,
  unknown_member_id = 25,
  rebalance_in_progress = 27,
  fenced_leader_epoch = 74,
  unknown_leader_epoch = 75,
  member_id_required = 79,
};

/// A broker's node name, as SPEC.md names nodes: "broker-3".
std::string broker_name(BrokerId broker);
/// "[broker-1, broker-3]", for reports and the timeline.
std::string broker_names(const std::vector<BrokerId>& brokers);

/// Kafka's name of an error, e.g. NOT_ENOUGH_REPLICAS.
std::string_view error_name(Errors error);

/// Whether a producer retries after this error (Errors.java: RetriableException subclasses).
bool is_retriable(Errors error);

}  // namespace kafkasim
