// The fixed facts of a run's cluster that every broker and client may know without asking:
// topic names and partition counts, each partition's assigned replicas, the effective topic
// settings, and which network node is which broker. (In Kafka, brokers learn the assignment from
// ZooKeeper's /brokers/topics; the run writes it there too, and this copy serves lookups.)
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kafkasim/core/strong_id.h"
#include "kafkasim/protocol/kafka_types.h"
#include "kafkasim/scenario/scenario.h"

namespace kafkasim {

struct TopicLayout {
  std::string name;
  std::int32_t partitions = 0;
  /// assignment[p]: the replicas of partition p, the first the preferred leader.
  std::vector<std::vector<BrokerId>> assignment;
  std::int32_t min_insync_replicas = 1;
  bool unclean_leader_election_enable = false;
  std::int64_t flush_messages = 0;  // flush.messages
  Duration flush_interval{0};       // flush.ms
};

struct ClusterLayout {
  std::vector<TopicLayout> topics;
  std::vector<BrokerId> brokers;  // sorted
  /// Network node of each broker, by position in `brokers`.
  std::vector<NodeId> broker_nodes;
  NodeId zookeeper;

  const TopicLayout& topic(TopicIndex t) const { return topics[t.value()]; }
  const std::vector<BrokerId>& replicas(TopicPartition tp) const {
    return topic(tp.topic).assignment[static_cast<std::size_t>(tp.partition)];
  }
  NodeId node_of(BrokerId broker) const;
  /// The position of `broker` in `brokers` (and `broker_nodes`). Precondition: it is there.
  std::size_t broker_position(BrokerId broker) const;
  /// The position of `tp` in all_partitions().
  std::size_t partition_index(TopicPartition tp) const;
  /// kNoBroker when `node` is not a broker.
  BrokerId broker_of(NodeId node) const;
  /// -1 when unknown.
  std::int32_t topic_index(const std::string& name) const;
  /// "orders-0".
  std::string partition_name(TopicPartition tp) const;
  /// Every partition, in topic then partition order.
  std::vector<TopicPartition> all_partitions() const;
};

}  // namespace kafkasim
