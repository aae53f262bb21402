// What a producer knows of its topic's leaders, and when it asks again
// (clients/.../producer/internals/ProducerMetadata.java and common/.../Metadata.java, 2.4).
// An update is requested after an error that says the metadata is stale (NOT_LEADER_FOR_PARTITION,
// LEADER_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION, a disconnection: InvalidMetadataException),
// when a partition with records to send has no known leader, and otherwise every
// metadata.max.age.ms. Requests are at least retry.backoff.ms apart (Metadata.refreshBackoffMs).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/protocol/kafka_protocol.h"

namespace kafkasim {

/// A broker as a client knows it: its id, and its node in the network.
struct BrokerAddress {
  BrokerId id;
  NodeId node;
};

/// No broker: the partition has no known leader.
inline constexpr std::int32_t kNoLeader = -1;

class ProducerMetadata {
 public:
  /// `brokers` is every broker the producer may reach (the bootstrap list), by id.
  ProducerMetadata(TopicIndex topic, std::int32_t partitions, std::vector<BrokerAddress> brokers,
                   Duration refresh_backoff, Duration max_age);

  void request_update() { need_update_ = true; }
  /// Metadata.timeToNextUpdate as an instant: now if an update is requested and the backoff
  /// since the last attempt has passed, else when the data gets too old.
  Instant next_update_at() const;
  void on_request_sent(Instant now) { last_attempt_ = now; }
  /// Metadata.failedUpdate: the request got no answer; ask again after the backoff.
  void on_request_failed() { need_update_ = true; }
  /// Takes the leaders of our topic's partitions from a response. A partition without a leader,
  /// with an error, or led by an unknown broker, has none. Returns whether a leader changed.
  bool update(const MetadataResponse& response, Instant now);

  /// The leader of `partition` as an index into brokers(), or kNoLeader.
  std::int32_t leader(std::int32_t partition) const {
    return leaders_[static_cast<std::size_t>(partition)];
  }
  /// The partitions with a known leader, ascending (Cluster.availablePartitionsForTopic).
  std::span<const std::int32_t> available() const { return available_; }
  /// The partitions each broker leads, ascending, indexed like brokers().
  std::span<const std::int32_t> led_by(std::size_t broker) const { return led_by_[broker]; }
  const std::vector<BrokerAddress>& brokers() const { return brokers_; }

 private:
  std::int32_t broker_index(BrokerId id) const;

  TopicIndex topic_;
  std::vector<BrokerAddress> brokers_;
  Duration refresh_backoff_;
  Duration max_age_;
  std::vector<std::int32_t> leaders_;
  std::vector<std::int32_t> available_;
  std::vector<std::vector<std::int32_t>> led_by_;
  bool need_update_ = true;
  bool has_data_ = false;
  Instant last_attempt_ = Instant::start() - Duration(std::int64_t{1} << 60);
  Instant last_success_;
};

}  // namespace kafkasim
