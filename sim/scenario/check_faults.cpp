// Fault targets and timing. Which nodes a fault may hit follows from what it does:
//  - slow_disk, zk_session_expire act on a broker's disk or ZooKeeper session: brokers only
//    (broker-<id>, leader-of:..., controller).
//  - shutdown is a broker's controlled shutdown or a consumer member's clean one
//    (ZookeeperConsumerConnector.shutdown): brokers and consumer members.
//  - crash, pause stop or freeze a process: brokers, zookeeper, producers, consumer members.
//  - partition sides: any broker, zookeeper or client (or role), but no switch: a partition
//    says which endpoints cannot reach each other; cutting a switch is not a node's side.
//  - delay targets and between: any node, switches included (a slow switch delays every link
//    that touches it).
#include <algorithm>
#include <set>

#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"
#include "kafkasim/scenario/nearest_name.h"

namespace kafkasim::scenario_detail {

namespace {

enum class Allowed { brokers, clean_stops, processes, endpoints, any_node };

struct RefAt {
  NodeRef ref;
  std::string pointer;
};

std::string expected_text(Allowed allowed) {
  switch (allowed) {
    case Allowed::brokers:
      return "a broker (broker-<id>, \"leader-of:<topic>-<partition>\" or \"controller\")";
    case Allowed::clean_stops:
      return "a broker (broker-<id>, \"leader-of:<topic>-<partition>\" or \"controller\") or a "
             "consumer member (<group>-<index>)";
    case Allowed::processes:
      return "a broker, zookeeper, a producer or a consumer member, or a broker role";
    case Allowed::endpoints:
      return "a broker, zookeeper or client (not a switch), or a broker role";
    case Allowed::any_node:
      return "a node or switch name, or a broker role";
  }
  return {};
}

bool suits(NodeKind kind, Allowed allowed) {
  switch (allowed) {
    case Allowed::brokers:
      return kind == NodeKind::broker;
    case Allowed::clean_stops:
      return kind == NodeKind::broker || kind == NodeKind::consumer_member;
    case Allowed::processes:
    case Allowed::endpoints:
      return kind != NodeKind::network_switch;
    case Allowed::any_node:
      return true;
  }
  return false;
}

struct Targets {
  std::vector<RefAt> refs;
  Allowed allowed = Allowed::brokers;
};

Targets targets_of(const Item<Fault>& item) {
  const auto at = [&](std::string_view key) { return pointer_child(item.pointer, key); };
  return std::visit(
      [&](const auto& f) -> Targets {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, PartitionFault>) {
          Targets t{{}, Allowed::endpoints};
          for (std::size_t s = 0; s < f.sides.size(); ++s) {
            for (std::size_t n = 0; n < f.sides[s].size(); ++n) {
              t.refs.push_back({f.sides[s][n], pointer_child(pointer_child(at("sides"), s), n)});
            }
          }
          return t;
        } else if constexpr (std::is_same_v<F, DelayFault>) {
          Targets t{{}, Allowed::any_node};
          for (std::size_t n = 0; n < f.targets.size(); ++n) {
            t.refs.push_back({f.targets[n], pointer_child(at("targets"), n)});
          }
          if (f.between) {
            t.refs.push_back({f.between->first, pointer_child(at("between"), 0)});
            t.refs.push_back({f.between->second, pointer_child(at("between"), 1)});
          }
          return t;
        } else {
          const bool process = std::is_same_v<F, CrashFault> || std::is_same_v<F, PauseFault>;
          const bool clean_stop = std::is_same_v<F, ShutdownFault>;
          return Targets{{{f.target, at("target")}},
                         process      ? Allowed::processes
                         : clean_stop ? Allowed::clean_stops
                                      : Allowed::brokers};
        }
      },
      item.value);
}

void check_ref(const Draft& draft, const std::map<std::string, NodeKind>& nodes, const RefAt& r,
               Allowed allowed, Diagnostics& diagnostics) {
  const NodeRef& ref = r.ref;
  if (ref.kind == NodeRef::Kind::controller) return;
  if (ref.kind == NodeRef::Kind::leader_of) {
    // __consumer_offsets exists when a group uses the group coordinator (Cluster creates it):
    // "leader-of:__consumer_offsets-P" names the coordinator of the groups of partition P.
    const bool coordinated = std::any_of(
        draft.consumers.begin(), draft.consumers.end(),
        [](const auto& g) { return g.value.coordination == GroupCoordination::coordinator; });
    if (coordinated && ref.topic == "__consumer_offsets") {  // kConsumerOffsetsTopic
      const std::int32_t partitions =
          draft.scenario.cluster.broker_config.offsets_topic_num_partitions;
      if (ref.partition >= partitions) {
        diagnostics.error(r.pointer, "\"" + ref.to_string() + "\"",
                          "leader-of: a partition of \"" + ref.topic + "\" (0 to " +
                              std::to_string(partitions - 1) + ")");
      }
      return;
    }
    const TopicSpec* topic = nullptr;
    for (const auto& t : draft.topics)
      topic = t.value.name == ref.topic ? &t.value : topic;
    if (topic == nullptr) {
      diagnostics.error(r.pointer, "\"" + ref.to_string() + "\"", "leader-of: a topic in /topics");
    } else if (ref.partition >= topic->partitions) {
      diagnostics.error(r.pointer, "\"" + ref.to_string() + "\"",
                        "leader-of: a partition of \"" + ref.topic + "\" (0 to " +
                            std::to_string(topic->partitions - 1) + ")");
    }
    return;
  }
  if (ref.node.empty()) return;  // unreadable, already reported
  const auto it = nodes.find(ref.node);
  if (it == nodes.end()) {
    std::vector<std::string_view> names;
    for (const auto& [name, kind] : nodes) {
      if (suits(kind, allowed)) names.push_back(name);
    }
    const std::string_view nearest = nearest_name(ref.node, names);
    diagnostics.error(
        r.pointer, "\"" + ref.node + "\"", expected_text(allowed),
        nearest.empty() ? "no such node" : "did you mean \"" + std::string(nearest) + "\"?");
  } else if (!suits(it->second, allowed)) {
    diagnostics.error(r.pointer, "\"" + ref.node + "\"", expected_text(allowed));
  }
}

// 0 <= at_ms < duration_ms < until_ms is fine; until_ms beyond duration_ms only warns, since
// every fault ends at duration_ms anyway (SPEC.md "faults[]").
void check_timing(const Draft& draft, const Item<Fault>& item, Diagnostics& diagnostics) {
  const FaultWindow& w = fault_window(item.value);
  const Instant end = Instant::start() + draft.scenario.duration;
  if (draft.duration_known && w.at >= end) {
    diagnostics.error(pointer_child(item.pointer, "at_ms"), ms_text(w.at),
                      "a time in [0, duration_ms = " + ms_text(end) + ")");
  }
  if (!w.until) return;
  const std::string until_at = pointer_child(item.pointer, "until_ms");
  if (*w.until <= w.at) {
    diagnostics.error(until_at, ms_text(*w.until), "a time after at_ms (" + ms_text(w.at) + ")");
  } else if (draft.duration_known && *w.until > end) {
    diagnostics.warning(until_at, ms_text(*w.until),
                        "a time up to duration_ms (" + ms_text(end) + ")",
                        "every fault ends at duration_ms anyway");
  }
  if (std::holds_alternative<ZkSessionExpireFault>(item.value)) {
    diagnostics.note(
        Severity::warning, until_at,
        "until_ms has no effect on zk_session_expire: the broker re-registers at once");
  }
}

// A node on two sides of one partition would have to be cut off from itself.
void check_sides(const Item<Fault>& item, const Targets& targets, Diagnostics& diagnostics) {
  if (const auto* delay = std::get_if<DelayFault>(&item.value); delay && delay->between) {
    if (delay->between->first == delay->between->second) {
      diagnostics.error(pointer_child(pointer_child(item.pointer, "between"), 1),
                        "\"" + delay->between->second.to_string() + "\"",
                        "a node other than the first");
    }
  }
  if (!std::holds_alternative<PartitionFault>(item.value)) return;
  std::set<std::string> seen;
  for (const RefAt& r : targets.refs) {
    const std::string name = r.ref.to_string();
    if (!name.empty() && !seen.insert(name).second) {
      diagnostics.error(r.pointer, "\"" + name + "\"", "a node named on one side only");
    }
  }
}

void check_power_loss(const std::map<std::string, NodeKind>& nodes, const Item<Fault>& item,
                      Diagnostics& diagnostics) {
  const auto* crash = std::get_if<CrashFault>(&item.value);
  if (crash == nullptr || !crash->power_loss || crash->target.kind != NodeRef::Kind::node) return;
  const auto it = nodes.find(crash->target.node);
  if (it != nodes.end() && it->second != NodeKind::broker) {
    diagnostics.note(Severity::warning, pointer_child(item.pointer, "power_loss"),
                     "power_loss only changes a broker's crash (its unflushed log is lost); \"" +
                         crash->target.node + "\" has no Kafka log");
  }
}

bool stops_process(const Fault& f) {
  return std::holds_alternative<CrashFault>(f) || std::holds_alternative<ShutdownFault>(f) ||
         std::holds_alternative<PauseFault>(f);
}

// Two crashes, shutdowns or pauses of the same node at overlapping times have no meaning: the
// second would hit a process that is already stopped or frozen.
void check_overlaps(const Draft& draft, Diagnostics& diagnostics) {
  const Instant end = Instant::start() + draft.scenario.duration;
  for (std::size_t i = 0; i < draft.faults.size(); ++i) {
    const Fault& a = draft.faults[i].value;
    if (!stops_process(a)) continue;
    const Targets ta = targets_of(draft.faults[i]);
    for (std::size_t j = 0; j < i; ++j) {
      const Fault& b = draft.faults[j].value;
      if (!stops_process(b) || ta.refs[0].ref != targets_of(draft.faults[j]).refs[0].ref) continue;
      if (ta.refs[0].ref.is_role() || ta.refs[0].ref.node.empty()) continue;
      const FaultWindow& wa = fault_window(a);
      const FaultWindow& wb = fault_window(b);
      if (wa.at < wb.until.value_or(end) && wb.at < wa.until.value_or(end)) {
        diagnostics.note(Severity::error, pointer_child(draft.faults[i].pointer, "at_ms"),
                         std::string(fault_type_name(a)) + " of \"" + ta.refs[0].ref.node +
                             "\" overlaps " + draft.faults[j].pointer,
                         "start it after the other one ends");
      }
    }
  }
}

}  // namespace

void check_faults(const Draft& draft, Diagnostics& diagnostics) {
  const std::map<std::string, NodeKind> nodes = node_catalog(draft);
  for (const auto& item : draft.faults) {
    const Targets targets = targets_of(item);
    for (const RefAt& r : targets.refs)
      check_ref(draft, nodes, r, targets.allowed, diagnostics);
    check_timing(draft, item, diagnostics);
    check_sides(item, targets, diagnostics);
    check_power_loss(nodes, item, diagnostics);
  }
  check_overlaps(draft, diagnostics);
}

}  // namespace kafkasim::scenario_detail
