// One entry of `consumers` (SPEC.md "consumers[]").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kafkasim/core/time.h"
#include "kafkasim/random/distribution.h"
#include "kafkasim/scenario/consumer_config.h"

namespace kafkasim {

/// Who runs the group (SPEC.md "consumers[]" coordination): Kafka 2.4's group coordinator, a
/// broker, with offsets in __consumer_offsets (the default: the consumer Kafka 2.4 has); or
/// ZooKeeper, as the consumer Kafka removed in 2.0 did (members, claims and offsets in znodes),
/// which the course notes teach.
enum class GroupCoordination : std::uint8_t { coordinator, zookeeper };

std::string_view to_string(GroupCoordination coordination);

struct ConsumerGroupSpec {
  std::string group;
  std::string topic;
  std::int32_t members = 1;
  /// Time to process one message (default 0).
  Dist processing_ms = Dist::constant(0);
  Instant start = Instant::start();
  ConsumerConfig config;
  GroupCoordination coordination = GroupCoordination::coordinator;

  /// Node name of member `index`: "<group>-<index>".
  std::string member_name(std::int32_t index) const;
};

}  // namespace kafkasim
