#include "fault_injector.h"

#include <cassert>

namespace kafkasim {

namespace {
/// The injector's timers: the producers' start, and each fault's start and stop (index: the
/// fault's position in the scenario).
enum class InjectorTimer : std::uint8_t {
  start_producers,
  fault_start,
  fault_stop,
  restart_stopped,  // a process whose fault ended while it was stopping has stopped
};
}  // namespace

FaultInjector::FaultInjector(Cluster& cluster, std::vector<Fault> faults, Instant producers_start,
                             Instant end)
    : cluster_(cluster),
      context_(cluster),
      faults_(std::move(faults)),
      active_(faults_.size()),
      nodes_hit_(faults_.size()) {
  Engine& engine = cluster_.engine();
  actor_ = engine.add_actor(*this);
  engine.set_timer(producers_start, actor_, timer_cookie(InjectorTimer::start_producers));
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    const FaultWindow& window = fault_window(faults_[i]);
    engine.set_timer(window.at, actor_,
                     timer_cookie(InjectorTimer::fault_start, 0, static_cast<std::uint32_t>(i)));
    const Instant until = window.until ? std::min(*window.until, end) : end;
    engine.set_timer(until, actor_,
                     timer_cookie(InjectorTimer::fault_stop, 0, static_cast<std::uint32_t>(i)));
  }
  for (Process* process : cluster_.processes()) {
    if (process != nullptr) process->set_listener(this);
  }
}

void FaultInjector::on_process_stopped(Process& process) {
  // The restart comes as the next event, not from inside the stop that is still running.
  for (std::size_t i = 0; i < active_.size(); ++i) {
    const ActiveFault& active = active_[i];
    if (active.restart_when_stopped && active.nodes.front() == process.node()) {
      cluster_.engine().set_timer(
          cluster_.engine().now(), actor_,
          timer_cookie(InjectorTimer::restart_stopped, 0, static_cast<std::uint32_t>(i)));
    }
  }
}

void FaultInjector::on_timer(TimerCookie cookie) {
  switch (timer_kind<InjectorTimer>(cookie)) {
    case InjectorTimer::start_producers:
      cluster_.start_producers();
      break;
    case InjectorTimer::fault_start:
      start(cookie.index);
      break;
    case InjectorTimer::fault_stop:
      stop(cookie.index);
      break;
    case InjectorTimer::restart_stopped:
      restart_stopped(context_, active_[cookie.index]);
      break;
  }
}

std::optional<NodeId> FaultContext::resolve(const NodeRef& ref) {
  switch (ref.kind) {
    case NodeRef::Kind::node:
      return cluster_.network().topology().at(ref.node);
    case NodeRef::Kind::leader_of: {
      // The brokers' layout: __consumer_offsets too, when a group uses the group coordinator.
      const std::int32_t topic = cluster_.broker_layout().topic_index(ref.topic);
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

std::string FaultContext::describe(NodeId node) const {
  return cluster_.network().topology().name(node);
}

std::optional<FaultContext::Target> FaultContext::target(const NodeRef& ref, std::string_view type,
                                                         ActiveFault& active) {
  const auto node = resolve(ref);
  if (!node) {
    cluster_.ledger().note(
        now(), std::string(type) + " of " + ref.to_string() + ": no such node now; skipped");
    return std::nullopt;
  }
  active.nodes = {*node};
  // A broker's line says which partitions it led: what the fault is about to cost.
  std::string led;
  if (Broker* b = cluster_.broker_at(*node)) {
    for (const TopicPartition& tp : cluster_.layout().all_partitions()) {
      const Partition* p = b->partition(tp);
      if (p != nullptr && p->is_leader()) {
        led += (led.empty() ? "" : ", ") + cluster_.layout().partition_name(tp);
      }
    }
  }
  return Target{*node, process(*node),
                describe(*node) + (led.empty() ? "" : " (it led " + led + ")")};
}

Process& FaultContext::process(NodeId node) {
  Process* process = cluster_.process_at(node);
  assert(process != nullptr && "a fault on a node that is not an endpoint");
  return *process;
}

void FaultContext::note(std::string_view label, std::optional<NodeId> node,
                        const std::string& line) {
  cluster_.ledger().note(now(), label, node, line);
}

void FaultInjector::start(std::size_t index) {
  std::visit([&](const auto& fault) { start_fault(context_, fault, active_[index]); },
             faults_[index]);
  // The plots label a fault's band with the node it hit (a role is resolved only now).
  for (const NodeId node : active_[index].nodes)
    nodes_hit_[index].push_back(context_.describe(node));
}

void FaultInjector::stop(std::size_t index) {
  ActiveFault& active = active_[index];
  if (!active.started) return;
  active.started = false;
  std::visit([&](const auto& fault) { stop_fault(context_, fault, active); }, faults_[index]);
}

}  // namespace kafkasim
