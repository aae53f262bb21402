#include "kafkasim/kafka/cluster_layout.h"

#include <algorithm>

namespace kafkasim {

std::size_t ClusterLayout::broker_position(BrokerId broker) const {
  const auto it = std::lower_bound(brokers.begin(), brokers.end(), broker);
  return static_cast<std::size_t>(it - brokers.begin());
}

NodeId ClusterLayout::node_of(BrokerId broker) const {
  return broker_nodes[broker_position(broker)];
}

std::size_t ClusterLayout::partition_index(TopicPartition tp) const {
  std::size_t index = 0;
  for (std::uint32_t t = 0; t < tp.topic.value(); ++t) {
    index += static_cast<std::size_t>(topics[t].partitions);
  }
  return index + static_cast<std::size_t>(tp.partition);
}

BrokerId ClusterLayout::broker_of(NodeId node) const {
  for (std::size_t i = 0; i < broker_nodes.size(); ++i) {
    if (broker_nodes[i] == node) return brokers[i];
  }
  return kNoBroker;
}

std::int32_t ClusterLayout::topic_index(const std::string& name) const {
  for (std::size_t i = 0; i < topics.size(); ++i) {
    if (topics[i].name == name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

std::string ClusterLayout::partition_name(TopicPartition tp) const {
  return topic(tp.topic).name + "-" + std::to_string(tp.partition);
}

std::vector<TopicPartition> ClusterLayout::all_partitions() const {
  std::vector<TopicPartition> all;
  for (std::size_t t = 0; t < topics.size(); ++t) {
    for (std::int32_t p = 0; p < topics[t].partitions; ++p) {
      all.push_back(TopicPartition{TopicIndex(static_cast<std::uint32_t>(t)), p});
    }
  }
  return all;
}

}  // namespace kafkasim
