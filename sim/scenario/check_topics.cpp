// Topics against the cluster: replication factor, assignment, min.insync.replicas.
#include <set>

#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

void check_assignment(const Item<TopicSpec>& topic, const std::set<std::int32_t>& broker_ids,
                      Diagnostics& diagnostics) {
  const TopicSpec& t = topic.value;
  const std::string at = pointer_child(topic.pointer, "assignment");
  if (static_cast<std::int32_t>(t.assignment->size()) != t.partitions) {
    diagnostics.error(at, std::to_string(t.assignment->size()) + " replica lists",
                      "one list per partition (" + std::to_string(t.partitions) + ")");
  }
  for (std::size_t p = 0; p < t.assignment->size(); ++p) {
    const auto& replicas = (*t.assignment)[p];
    const std::string list_at = pointer_child(at, p);
    if (static_cast<std::int32_t>(replicas.size()) != t.replication_factor) {
      diagnostics.error(
          list_at, std::to_string(replicas.size()) + " brokers",
          "replication_factor (" + std::to_string(t.replication_factor) + ") brokers");
    }
    std::set<std::int32_t> seen;
    for (std::size_t r = 0; r < replicas.size(); ++r) {
      const std::int32_t id = replicas[r].value();
      if (!broker_ids.contains(id)) {
        diagnostics.error(pointer_child(list_at, r), std::to_string(id),
                          "the id of a broker of the cluster");
      } else if (!seen.insert(id).second) {
        diagnostics.error(pointer_child(list_at, r), std::to_string(id),
                          "a broker not already in this partition's replica list");
      }
    }
  }
}

}  // namespace

void check_topics(const Draft& draft, Diagnostics& diagnostics) {
  std::set<std::int32_t> broker_ids;
  for (const BrokerSpec& b : draft.scenario.cluster.brokers)
    broker_ids.insert(b.id.value());
  const BrokerConfig& broker = draft.scenario.cluster.broker_config;
  for (const auto& topic : draft.topics) {
    const TopicSpec& t = topic.value;
    // Kafka's AdminUtils.assignReplicasToBrokers: "Replication factor: 3 larger than available
    // brokers: 2" (InvalidReplicationFactorException).
    if (draft.brokers_known && !t.assignment &&
        t.replication_factor > static_cast<std::int32_t>(broker_ids.size())) {
      diagnostics.error(
          pointer_child(topic.pointer, "replication_factor"), std::to_string(t.replication_factor),
          "at most the number of brokers (" + std::to_string(broker_ids.size()) + ")");
    }
    if (draft.brokers_known && t.assignment) check_assignment(topic, broker_ids, diagnostics);
    // Kafka accepts this, but then every acks=all write fails with NOT_ENOUGH_REPLICAS.
    const std::int32_t min_isr = t.config.effective_min_insync_replicas(broker);
    if (min_isr > t.replication_factor) {
      const bool topic_level = t.config.min_insync_replicas.has_value();
      const std::string at =
          topic_level ? pointer_child(pointer_child(topic.pointer, "config"), "min.insync.replicas")
                      : pointer_child(topic.pointer, "replication_factor");
      diagnostics.warning(
          at,
          "min.insync.replicas " + std::to_string(min_isr) + " > replication_factor " +
              std::to_string(t.replication_factor),
          "min.insync.replicas <= replication_factor",
          "acks=all writes to \"" + t.name + "\" will always fail with NOT_ENOUGH_REPLICAS");
    }
  }
}

}  // namespace kafkasim::scenario_detail
