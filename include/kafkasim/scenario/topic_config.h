// Topic-level overrides (a topic's `config`), by their Kafka names
// (clients/.../common/config/TopicConfig.java, core/.../log/LogConfig.scala). An unset field
// takes the broker's setting, as in Kafka: min.insync.replicas <- min.insync.replicas,
// unclean.leader.election.enable <- the same, flush.messages <- log.flush.interval.messages,
// flush.ms <- log.flush.interval.ms, max.message.bytes <- message.max.bytes.
#pragma once

#include <cstdint>
#include <optional>

#include "kafkasim/core/time.h"
#include "kafkasim/scenario/broker_config.h"

namespace kafkasim {

struct TopicConfig {
  std::optional<std::int32_t> min_insync_replicas;
  std::optional<bool> unclean_leader_election_enable;
  std::optional<std::int64_t> flush_messages;  // Kafka's LogConfig.flushInterval
  std::optional<Duration> flush_interval;      // flush.ms; Kafka's LogConfig.flushMs
  std::optional<std::int32_t> max_message_bytes;

  std::int32_t effective_min_insync_replicas(const BrokerConfig& broker) const {
    return min_insync_replicas.value_or(broker.min_insync_replicas);
  }
  bool effective_unclean_leader_election_enable(const BrokerConfig& broker) const {
    return unclean_leader_election_enable.value_or(broker.unclean_leader_election_enable);
  }
  std::int64_t effective_flush_messages(const BrokerConfig& broker) const {
    return flush_messages.value_or(broker.log_flush_interval_messages);
  }
  Duration effective_flush_interval(const BrokerConfig& broker) const {
    return flush_interval.value_or(broker.log_flush_interval());
  }
  std::int32_t effective_max_message_bytes(const BrokerConfig& broker) const {
    return max_message_bytes.value_or(broker.message_max_bytes);
  }
};

}  // namespace kafkasim
