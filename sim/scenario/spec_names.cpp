// The small name functions of the scenario's structs, and Scenario's lookups.
#include <set>

#include "kafkasim/scenario/scenario.h"

namespace kafkasim {

std::string BrokerSpec::node_name() const {
  return broker_node_name(id.value());
}

std::string ConsumerGroupSpec::member_name(std::int32_t index) const {
  return group + "-" + std::to_string(index);
}

std::string_view to_string(GroupCoordination coordination) {
  return coordination == GroupCoordination::coordinator ? "coordinator" : "zookeeper";
}

std::string_view to_string(Truncation truncation) {
  return truncation == Truncation::leader_epoch ? "leader-epoch" : "high-watermark";
}

std::string_view to_string(Arrivals arrivals) {
  return arrivals == Arrivals::constant ? "constant" : "poisson";
}

std::string_view to_string(Partitioner partitioner) {
  return partitioner == Partitioner::default_partitioner ? "default" : "round-robin";
}

std::string_view to_string(AssignmentStrategy strategy) {
  switch (strategy) {
    case AssignmentStrategy::range:
      return "range";
    case AssignmentStrategy::roundrobin:
      return "roundrobin";
    case AssignmentStrategy::sticky:
      return "sticky";
  }
  return "range";
}

std::string_view to_string(OffsetReset reset) {
  switch (reset) {
    case OffsetReset::earliest:
      return "earliest";
    case OffsetReset::latest:
      return "latest";
    case OffsetReset::none:
      return "none";
  }
  return "?";
}

std::string_view fault_type_name(const Fault& fault) {
  struct Names {
    std::string_view operator()(const CrashFault&) const { return "crash"; }
    std::string_view operator()(const ShutdownFault&) const { return "shutdown"; }
    std::string_view operator()(const PauseFault&) const { return "pause"; }
    std::string_view operator()(const PartitionFault&) const { return "partition"; }
    std::string_view operator()(const DelayFault&) const { return "delay"; }
    std::string_view operator()(const SlowDiskFault&) const { return "slow_disk"; }
    std::string_view operator()(const ZkSessionExpireFault&) const { return "zk_session_expire"; }
  };
  return std::visit(Names{}, fault);
}

const TopicSpec* Scenario::find_topic(std::string_view topic_name) const {
  for (const TopicSpec& topic : topics) {
    if (topic.name == topic_name) return &topic;
  }
  return nullptr;
}

std::vector<std::string> Scenario::endpoint_names() const {
  std::vector<std::string> names;
  for (const BrokerSpec& broker : cluster.brokers)
    names.push_back(broker.node_name());
  names.emplace_back("zookeeper");
  for (const ProducerSpec& producer : producers)
    names.push_back(producer.name);
  for (const ConsumerGroupSpec& group : consumers) {
    for (std::int32_t i = 0; i < group.members; ++i)
      names.push_back(group.member_name(i));
  }
  return names;
}

}  // namespace kafkasim
