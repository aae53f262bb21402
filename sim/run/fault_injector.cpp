#include "fault_injector.h"

#include <type_traits>

namespace kafkasim {

namespace {
constexpr TimerCookie kStartProducers = ~TimerCookie{0};
TimerCookie start_cookie(std::size_t index) {
  return index * 2;
}
TimerCookie stop_cookie(std::size_t index) {
  return index * 2 + 1;
}
}  // namespace

FaultInjector::FaultInjector(Cluster& cluster, std::vector<Fault> faults, Instant producers_start,
                             Instant end)
    : cluster_(cluster), faults_(std::move(faults)), active_(faults_.size()) {
  Engine& engine = cluster_.engine();
  actor_ = engine.add_actor(*this);
  engine.set_timer(producers_start, actor_, kStartProducers);
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    const FaultWindow& window = fault_window(faults_[i]);
    engine.set_timer(window.at, actor_, start_cookie(i));
    const Instant until = window.until ? std::min(*window.until, end) : end;
    engine.set_timer(until, actor_, stop_cookie(i));
  }
}

void FaultInjector::on_timer(TimerCookie cookie) {
  if (cookie == kStartProducers) {
    cluster_.start_producers();
    return;
  }
  const std::size_t index = cookie / 2;
  if (cookie % 2 == 0) {
    start(index);
  } else {
    stop(index);
  }
}

std::optional<NodeId> FaultInjector::resolve(const NodeRef& ref) {
  switch (ref.kind) {
    case NodeRef::Kind::node:
      return cluster_.network().topology().at(ref.node);
    case NodeRef::Kind::leader_of: {
      const std::int32_t topic = cluster_.layout().topic_index(ref.topic);
      if (topic < 0) return std::nullopt;
      const TopicPartition tp{TopicIndex(static_cast<std::uint32_t>(topic)), ref.partition};
      if (Broker* b = cluster_.current_leader(tp)) return b->node();
      return std::nullopt;
    }
    case NodeRef::Kind::controller:
      if (Broker* b = cluster_.current_controller()) return b->node();
      return std::nullopt;
  }
  return std::nullopt;
}

std::string FaultInjector::describe(NodeId node) const {
  return cluster_.network().topology().name(node);
}

void FaultInjector::crash_node(NodeId node, bool power_loss) {
  if (Broker* b = cluster_.broker_at(node)) {
    b->crash(power_loss);
    cluster_.ledger().on_broker_up(b->id(), false, cluster_.engine().now());
  } else if (node == cluster_.layout().zookeeper) {
    cluster_.zookeeper().crash(power_loss ? CrashKind::power_loss : CrashKind::process);
  } else if (Consumer* c = cluster_.consumer_at(node)) {
    // A consumer's process loses its memory; it comes back as a new group member.
    c->crash(power_loss);
  } else if (Producer* p = cluster_.producer_at(node)) {
    // The application's process dies with what it held; its peers see the connections reset.
    cluster_.network().crash(node, power_loss ? CrashKind::power_loss : CrashKind::process);
    p->crash();
  }
}

void FaultInjector::restart_node(NodeId node) {
  if (Broker* b = cluster_.broker_at(node)) {
    b->start();
    cluster_.ledger().on_broker_up(b->id(), true, cluster_.engine().now());
  } else if (node == cluster_.layout().zookeeper) {
    cluster_.zookeeper().restart();
  } else if (Consumer* c = cluster_.consumer_at(node)) {
    c->start();
  } else if (Producer* p = cluster_.producer_at(node)) {
    cluster_.network().restart(node);
    p->restart();
  }
}

void FaultInjector::start(std::size_t index) {
  Active& active = active_[index];
  Ledger& ledger = cluster_.ledger();
  const Instant now = cluster_.engine().now();
  const std::string type(fault_type_name(faults_[index]));
  std::visit(
      [&](const auto& f) {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, PartitionFault>) {
          std::vector<std::vector<NodeId>> sides;
          std::string text;
          for (const auto& side : f.sides) {
            sides.emplace_back();
            text += text.empty() ? "[" : " | [";
            for (const NodeRef& ref : side) {
              if (auto node = resolve(ref)) {
                sides.back().push_back(*node);
                text += (text.back() == '[' ? "" : ", ") + describe(*node);
              }
            }
            text += "]";
          }
          active.partition = cluster_.network().partition(sides);
          ledger.note(now, "partition", std::nullopt, "network partition starts: " + text);
        } else if constexpr (std::is_same_v<F, DelayFault>) {
          const std::string extra = f.extra_ms.to_json();
          if (f.between) {
            auto a = resolve(f.between->first);
            auto b = resolve(f.between->second);
            if (!a || !b) return;
            active.delay = cluster_.network().add_delay_between(*a, *b, f.extra_ms);
            ledger.note(
                now, "delay", std::nullopt,
                "extra delay " + extra + " ms between " + describe(*a) + " and " + describe(*b));
          } else {
            std::string names;
            for (const NodeRef& ref : f.targets) {
              if (auto node = resolve(ref)) {
                active.nodes.push_back(*node);
                names += (names.empty() ? "" : ", ") + describe(*node);
              }
            }
            active.delay = cluster_.network().add_delay(active.nodes, f.extra_ms);
            ledger.note(now, "delay", std::nullopt,
                        "extra delay " + extra + " ms on the links of " + names);
          }
        } else {
          const auto node = resolve(f.target);
          if (!node) {
            ledger.note(now, type + " of " + f.target.to_string() + ": no such node now; skipped");
            return;
          }
          active.nodes = {*node};
          std::string led;
          if (Broker* b = cluster_.broker_at(*node)) {
            for (const TopicPartition& tp : cluster_.layout().all_partitions()) {
              const Partition* p = b->partition(tp);
              if (p != nullptr && p->is_leader()) {
                led += (led.empty() ? "" : ", ") + cluster_.layout().partition_name(tp);
              }
            }
          }
          const std::string who = describe(*node) + (led.empty() ? "" : " (it led " + led + ")");
          // The fault's line comes before what it causes (a power loss's truncations, a
          // session expiry's notes), so the timeline reads in cause-then-effect order.
          if constexpr (std::is_same_v<F, CrashFault>) {
            ledger.note(now, f.power_loss ? "power loss" : "crash", *node,
                        who + (f.power_loss ? " lost power" : " crashed"));
            crash_node(*node, f.power_loss);
          } else if constexpr (std::is_same_v<F, ShutdownFault>) {
            if (Broker* b = cluster_.broker_at(*node)) {
              ledger.note(now, "controlled shutdown", *node, who + " begins a controlled shutdown");
              b->begin_controlled_shutdown();
            } else if (Consumer* c = cluster_.consumer_at(*node)) {
              c->shutdown();  // it tells the timeline itself
            }
          } else if constexpr (std::is_same_v<F, PauseFault>) {
            ledger.note(now, "pause", *node, who + " froze (pause)");
            if (auto actor = cluster_.actor_of(*node)) cluster_.engine().pause(*actor);
            cluster_.network().pause(*node);
          } else if constexpr (std::is_same_v<F, SlowDiskFault>) {
            ledger.note(now, "slow disk", *node,
                        who + ": disk slowed by " + f.extra_ms.to_json() + " ms per write");
            if (Broker* b = cluster_.broker_at(*node)) b->set_slow_disk(f.extra_ms);
          } else if constexpr (std::is_same_v<F, ZkSessionExpireFault>) {
            ledger.note(now, "session expiry", *node, "ZooKeeper expired the session of " + who);
            cluster_.zookeeper().expire_sessions_of(*node);
          }
        }
        active.started = true;
      },
      faults_[index]);
}

void FaultInjector::stop(std::size_t index) {
  Active& active = active_[index];
  if (!active.started) return;
  active.started = false;
  Ledger& ledger = cluster_.ledger();
  const Instant now = cluster_.engine().now();
  std::visit(
      [&](const auto& f) {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, PartitionFault>) {
          cluster_.network().heal(*active.partition);
          ledger.note(now, "partition heals", std::nullopt, "network partition heals");
        } else if constexpr (std::is_same_v<F, DelayFault>) {
          cluster_.network().end_delay(*active.delay);
          ledger.note(now, "delay ends", std::nullopt, "extra delay ends");
        } else if constexpr (std::is_same_v<F, CrashFault> || std::is_same_v<F, ShutdownFault>) {
          const NodeId node = active.nodes.front();
          if (Broker* b = cluster_.broker_at(node); b != nullptr && b->is_up()) {
            return;  // a controlled shutdown that never finished: nothing to restart
          }
          restart_node(node);
          ledger.note(now, "restart", node, describe(node) + " restarted");
        } else if constexpr (std::is_same_v<F, PauseFault>) {
          const NodeId node = active.nodes.front();
          cluster_.network().resume(node);
          if (auto actor = cluster_.actor_of(node)) cluster_.engine().resume(*actor);
          ledger.note(now, "resume", node, describe(node) + " resumed");
        } else if constexpr (std::is_same_v<F, SlowDiskFault>) {
          if (Broker* b = cluster_.broker_at(active.nodes.front())) b->set_slow_disk(std::nullopt);
          ledger.note(now, "slow disk ends", active.nodes.front(),
                      describe(active.nodes.front()) + ": disk back to normal");
        }
      },
      faults_[index]);
}

}  // namespace kafkasim
