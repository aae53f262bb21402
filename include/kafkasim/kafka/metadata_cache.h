// A broker's cache of cluster metadata, filled by the controller's UpdateMetadata requests and
// read to answer clients' Metadata requests (core/src/main/scala/kafka/server/MetadataCache.scala).
#pragma once

#include <algorithm>
#include <map>
#include <vector>

#include "kafkasim/protocol/kafka_protocol.h"

namespace kafkasim {

class MetadataCache {
 public:
  void update(const UpdateMetadataRequest& request) {
    controller_ = request.controller_id;
    live_brokers_ = request.live_brokers;
    std::sort(live_brokers_.begin(), live_brokers_.end());
    for (const LeaderAndIsrPartitionState& state : request.partition_states) {
      partitions_[state.tp] = state;
    }
  }
  void clear() {
    controller_ = kNoBroker;
    live_brokers_.clear();
    partitions_.clear();
  }

  bool is_live(BrokerId broker) const {
    return std::binary_search(live_brokers_.begin(), live_brokers_.end(), broker);
  }
  BrokerId controller() const { return controller_; }
  const std::vector<BrokerId>& live_brokers() const { return live_brokers_; }
  const std::map<TopicPartition, LeaderAndIsrPartitionState>& partitions() const {
    return partitions_;
  }

  /// MetadataCache.getPartitionMetadata: a leader that is not live reads as none
  /// (LEADER_NOT_AVAILABLE).
  PartitionMetadata partition_metadata(TopicPartition tp) const {
    PartitionMetadata m;
    m.tp = tp;
    const auto it = partitions_.find(tp);
    if (it == partitions_.end()) {
      m.error = Errors::leader_not_available;
      return m;
    }
    m.replicas = it->second.replicas;
    m.isr = it->second.isr;
    m.leader_epoch = it->second.leader_epoch;
    if (it->second.leader != kNoBroker && is_live(it->second.leader)) {
      m.leader = it->second.leader;
    } else {
      m.error = Errors::leader_not_available;
    }
    return m;
  }

 private:
  BrokerId controller_ = kNoBroker;
  std::vector<BrokerId> live_brokers_;
  std::map<TopicPartition, LeaderAndIsrPartitionState> partitions_;
};

}  // namespace kafkasim
