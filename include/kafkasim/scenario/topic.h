// One entry of `topics` (SPEC.md "topics[]").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafkasim/core/strong_id.h"
#include "kafkasim/scenario/topic_config.h"

namespace kafkasim {

struct TopicSpec {
  std::string name;
  std::int32_t partitions = 1;
  std::int32_t replication_factor = 1;
  TopicConfig config;
  /// One broker list per partition, first = preferred leader. Unset: the engine assigns
  /// replicas as Kafka's AdminUtils.assignReplicasToBrokers does.
  std::optional<std::vector<std::vector<BrokerId>>> assignment;
};

}  // namespace kafkasim
