// Broker settings the model uses, by their Kafka names, with Kafka 2.4's defaults
// (core/src/main/scala/kafka/server/KafkaConfig.scala, object Defaults, tag 2.4.0).
// Settings in milliseconds or seconds are Durations, named without the unit; a value too large
// for a Duration (Long.MaxValue ms, Kafka's "never") saturates to Duration::max().
// The loader fills these from `cluster.broker_config` through the table in config_table.h.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

#include "kafkasim/core/time.h"

namespace kafkasim {

struct BrokerConfig {
  using ms = std::chrono::milliseconds;

  std::int32_t min_insync_replicas = 1;
  bool unclean_leader_election_enable = false;  // false since 0.11
  Duration replica_lag_time_max = ms(10000);    // 10000 in 2.4; 30000 from 2.5 (KIP-537)
  Duration replica_fetch_wait_max = ms(500);
  std::int32_t replica_fetch_min_bytes = 1;
  std::int32_t replica_fetch_max_bytes = 1024 * 1024;
  Duration replica_fetch_backoff = ms(1000);
  Duration replica_socket_timeout = ms(30000);
  std::int32_t num_replica_fetchers = 1;
  Duration zookeeper_session_timeout = ms(6000);  // 6000 in 2.4; 18000 from 2.5 (KIP-537)
  std::int32_t num_io_threads = 8;
  /// Long.MaxValue: never flush on a message count (Kafka relies on replication, not fsync).
  std::int64_t log_flush_interval_messages = std::numeric_limits<std::int64_t>::max();
  /// Kafka's default is null, meaning log.flush.scheduler.interval.ms; see log_flush_interval().
  std::optional<Duration> log_flush_interval_setting;
  /// Long.MaxValue ms: the time-based flusher never runs.
  Duration log_flush_scheduler_interval = Duration::max();
  bool controlled_shutdown_enable = true;
  std::int32_t controlled_shutdown_max_retries = 3;
  Duration controlled_shutdown_retry_backoff = ms(5000);
  bool auto_leader_rebalance_enable = true;
  Duration leader_imbalance_check_interval = std::chrono::seconds(300);
  std::int32_t leader_imbalance_per_broker_percentage = 10;
  Duration controller_socket_timeout = ms(30000);
  std::int32_t default_replication_factor = 1;
  std::int32_t num_partitions = 1;
  /// 1 MiB + Records.LOG_OVERHEAD (12) since 1.1 (KAFKA-4203).
  std::int32_t message_max_bytes = 1024 * 1024 + 12;
  Duration request_timeout = ms(30000);
  /// SO_RCVBUF of the sockets the broker accepts (KafkaConfig.SocketReceiveBufferBytesProp).
  std::int32_t socket_receive_buffer_bytes = 100 * 1024;
  Duration replica_high_watermark_checkpoint_interval = ms(5000);
  /// The group coordinator (KafkaConfig.scala, 2.4): the first join of an empty group waits
  /// this long for more members (InitialDelayedJoin); __consumer_offsets' partitions and
  /// replication factor.
  Duration group_initial_rebalance_delay = ms(3000);
  std::int32_t offsets_topic_num_partitions = 50;
  std::int32_t offsets_topic_replication_factor = 3;

  /// log.flush.interval.ms, or log.flush.scheduler.interval.ms when it is null, as
  /// LogConfig's flush.ms default is built (core/.../log/LogConfig.scala,
  /// KafkaServer.copyKafkaConfigToLog).
  Duration log_flush_interval() const {
    return log_flush_interval_setting.value_or(log_flush_scheduler_interval);
  }
};

}  // namespace kafkasim
