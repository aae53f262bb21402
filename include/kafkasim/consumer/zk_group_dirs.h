// Where a ZooKeeper-era consumer group lives in ZooKeeper (core/.../utils/ZkUtils.scala,
// ZKGroupDirs and ZKGroupTopicDirs, Kafka 0.8.2-2.x; the layout ZookeeperConsumerConnector.scala's
// header describes):
//   /consumers/<group>/ids/<consumer id>         ephemeral: one per live member, its subscription
//   /consumers/<group>/owners/<topic>/<p>        ephemeral: the consumer thread owning partition p
//   /consumers/<group>/offsets/<topic>/<p>       persistent: the group's committed offset of p
// The registration's JSON is what registerConsumerInZK writes (a static subscription).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kafkasim/core/time.h"
#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim {

struct ZkGroupDirs {
  std::string group;

  std::string consumer_dir() const { return "/consumers/" + group; }
  std::string consumer_registry_dir() const { return consumer_dir() + "/ids"; }
  std::string consumer_offsets_dir() const { return consumer_dir() + "/offsets"; }
  std::string consumer_owners_dir() const { return consumer_dir() + "/owners"; }
};

struct ZkGroupTopicDirs : ZkGroupDirs {
  std::string topic;

  std::string consumer_offset_dir() const { return consumer_offsets_dir() + "/" + topic; }
  std::string consumer_owner_dir() const { return consumer_owners_dir() + "/" + topic; }
  std::string offset_path(std::int32_t partition) const {
    return consumer_offset_dir() + "/" + std::to_string(partition);
  }
  std::string owner_path(std::int32_t partition) const {
    return consumer_owner_dir() + "/" + std::to_string(partition);
  }
};

/// {"version":1,"subscription":{"<topic>":1},"pattern":"static","timestamp":"<ms>"}: one
/// stream of one topic (ZookeeperConsumerConnector.registerConsumerInZK).
std::string encode_consumer_registration(std::string_view topic, Instant now);

/// An offset znode holds the offset as decimal text (commitOffsetToZooKeeper); nullopt if it
/// is not a non-negative integer.
std::optional<Offset> decode_committed_offset(std::string_view data);

}  // namespace kafkasim
