// Names must be unique where Kafka or the node graph needs them to be: topics, producers,
// consumer groups, and every node of the network (SPEC.md "Node names").
#include <algorithm>
#include <set>

#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

// Kafka refuses a topic whose name equals another's once '.' is read as '_', because both
// would have the same metric names (core/.../admin/AdminZkClient.scala, Topic.hasCollision).
std::string metric_name(std::string name) {
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

void check_topic_names(const Draft& draft, Diagnostics& diagnostics) {
  std::map<std::string, std::string> seen;  // metric name -> topic name
  for (const auto& t : draft.topics) {
    if (t.value.name.empty()) continue;
    const auto [it, inserted] = seen.emplace(metric_name(t.value.name), t.value.name);
    if (inserted) continue;
    const std::string at = pointer_child(t.pointer, "name");
    if (it->second == t.value.name) {
      diagnostics.error(at, "\"" + t.value.name + "\"", "a topic name not used by another topic");
    } else {
      diagnostics.error(at, "\"" + t.value.name + "\"",
                        "a name that does not collide with topic \"" + it->second +
                            "\" ('.' and '_' collide in Kafka's metric names)");
    }
  }
}

// Producers and groups are addressed by name in fault targets, so a name that reads as a role
// could never be targeted.
bool reads_as_role(std::string_view name) {
  return name == "controller" || name.starts_with("leader-of:");
}

struct NodeNameChecker {
  Diagnostics& diagnostics;
  std::map<std::string, std::string> owners;  // node name -> what defined it

  void add(const std::string& name, const std::string& pointer, const std::string& what) {
    if (reads_as_role(name)) {
      diagnostics.error(pointer, "\"" + name + "\"",
                        "a name other than \"controller\" or \"leader-of:...\" (fault roles)");
    }
    const auto [it, inserted] = owners.emplace(name, what);
    if (!inserted) {
      diagnostics.note(Severity::error, pointer,
                       "node name \"" + name + "\" is already " + it->second,
                       "every broker, client and switch needs its own name");
    }
  }
};

}  // namespace

std::map<std::string, NodeKind> node_catalog(const Draft& draft) {
  std::map<std::string, NodeKind> nodes;
  for (const BrokerSpec& b : draft.scenario.cluster.brokers)
    nodes.emplace(b.node_name(), NodeKind::broker);
  nodes.emplace("zookeeper", NodeKind::zookeeper);
  for (const auto& p : draft.producers)
    nodes.emplace(p.value.name, NodeKind::producer);
  for (const auto& g : draft.consumers) {
    for (std::int32_t i = 0; i < g.value.members; ++i) {
      nodes.emplace(g.value.member_name(i), NodeKind::consumer_member);
    }
  }
  for (const auto& s : draft.switches)
    nodes.emplace(s.value, NodeKind::network_switch);
  return nodes;
}

void check_names(Draft& draft, Diagnostics& diagnostics) {
  check_topic_names(draft, diagnostics);
  NodeNameChecker nodes{diagnostics, {}};
  for (const BrokerSpec& b : draft.scenario.cluster.brokers) {
    nodes.add(b.node_name(), draft.brokers_pointer, "a broker");
  }
  nodes.add("zookeeper", "", "the ZooKeeper ensemble");
  for (const auto& p : draft.producers) {
    if (!p.value.name.empty()) {
      nodes.add(p.value.name, pointer_child(p.pointer, "name"), "producer " + p.pointer);
    }
  }
  std::set<std::string> groups;
  for (const auto& g : draft.consumers) {
    if (g.value.group.empty()) continue;
    const std::string at = pointer_child(g.pointer, "group");
    if (!groups.insert(g.value.group).second) {
      diagnostics.error(at, "\"" + g.value.group + "\"", "a group name not used by another group");
      continue;
    }
    if (reads_as_role(g.value.group)) {
      diagnostics.error(at, "\"" + g.value.group + "\"",
                        "a name other than \"controller\" or \"leader-of:...\" (fault roles)");
    }
    for (std::int32_t i = 0; i < g.value.members; ++i) {
      nodes.add(g.value.member_name(i), at, "member " + std::to_string(i) + " of " + g.pointer);
    }
  }
  for (const auto& s : draft.switches)
    nodes.add(s.value, s.pointer, "switch " + s.pointer);
}

}  // namespace kafkasim::scenario_detail
