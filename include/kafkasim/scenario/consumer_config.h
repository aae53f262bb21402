// Consumer settings the model uses, by their Kafka names, with Kafka 2.4's defaults
// (clients/src/main/java/org/apache/kafka/clients/consumer/ConsumerConfig.java, tag 2.4.0).
// A group runs either with Kafka 2.4's group coordinator (session.timeout.ms,
// heartbeat.interval.ms, max.poll.interval.ms) or with the ZooKeeper-era protocol
// (KAFKA_REFERENCE.md), whose zookeeper.session.timeout.ms comes from the old consumer
// (core/.../consumer/ConsumerConfig.scala, 0.8.2: 6000).
#pragma once

#include <cstdint>
#include <string_view>

#include "kafkasim/core/time.h"

namespace kafkasim {

/// partition.assignment.strategy: RangeAssignor (2.4's default), RoundRobinAssignor, or
/// StickyAssignor (the group coordinator's consumer only: the ZooKeeper consumer has no sticky
/// assignor).
enum class AssignmentStrategy { range, roundrobin, sticky };

/// auto.offset.reset: where a group without a committed offset starts.
enum class OffsetReset { earliest, latest, none };

std::string_view to_string(AssignmentStrategy strategy);
std::string_view to_string(OffsetReset reset);

struct ConsumerConfig {
  using ms = std::chrono::milliseconds;

  Duration fetch_max_wait = ms(500);
  std::int32_t fetch_min_bytes = 1;
  std::int32_t fetch_max_bytes = 50 * 1024 * 1024;
  std::int32_t max_partition_fetch_bytes = 1024 * 1024;
  std::int32_t max_poll_records = 500;
  bool enable_auto_commit = true;
  Duration auto_commit_interval = ms(5000);
  OffsetReset auto_offset_reset = OffsetReset::latest;
  AssignmentStrategy partition_assignment_strategy = AssignmentStrategy::range;
  Duration session_timeout = ms(10000);  // 10000 in 2.4 (45000 from 3.0, KIP-735)
  /// The group coordinator's consumer (AbstractCoordinator.java, Heartbeat.java): a heartbeat
  /// every heartbeat.interval.ms; a member that has not polled for max.poll.interval.ms
  /// leaves the group (it is also the rebalance timeout its JoinGroup carries).
  Duration heartbeat_interval = ms(3000);
  Duration max_poll_interval = ms(300000);
  Duration zookeeper_session_timeout = ms(6000);
  Duration request_timeout = ms(30000);
};

}  // namespace kafkasim
