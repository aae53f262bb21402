// The faults on one node's process (fault_actions.h): crash, shutdown, pause, slow_disk and
// zk_session_expire. Each line of the timeline comes before what the fault causes (a power
// loss's truncations, a session expiry's notes), so the timeline reads cause, then effect.
#include <cassert>

#include "fault_actions.h"

namespace kafkasim {

namespace {
/// The end of a crash or a shutdown: the process starts again. One still shutting down (a
/// controlled shutdown that outlasted the fault) restarts once it has stopped.
void restart(FaultContext& context, ActiveFault& active) {
  assert(active.nodes.size() == 1);
  const NodeId node = active.nodes.front();
  Process& process = context.process(node);
  if (process.is_up()) {
    active.restart_when_stopped = true;
    return;
  }
  process.start();
  context.note("restart", node, context.describe(node) + " restarted");
}

/// The broker a broker-only fault acts on. Validation allows slow_disk only on brokers.
Broker& broker_at(FaultContext& context, NodeId node) {
  Broker* broker = context.cluster().broker_at(node);
  assert(broker != nullptr);
  return *broker;
}
}  // namespace

void start_fault(FaultContext& context, const CrashFault& fault, ActiveFault& active) {
  const auto target = context.target(fault.target, "crash", active);
  if (!target) return;
  context.note(fault.power_loss ? "power loss" : "crash", target->node,
               target->who + (fault.power_loss ? " lost power" : " crashed"));
  target->process.crash(fault.power_loss ? CrashKind::power_loss : CrashKind::process);
  active.started = true;
}

void restart_stopped(FaultContext& context, ActiveFault& active) {
  assert(active.restart_when_stopped);
  active.restart_when_stopped = false;
  restart(context, active);
}

void stop_fault(FaultContext& context, const CrashFault& /*fault*/, ActiveFault& active) {
  restart(context, active);
}

void start_fault(FaultContext& context, const ShutdownFault& fault, ActiveFault& active) {
  const auto target = context.target(fault.target, "shutdown", active);
  if (!target) return;
  // A consumer tells the timeline itself (it knows whether it committed).
  if (context.cluster().broker_at(target->node) != nullptr) {
    context.note("controlled shutdown", target->node,
                 target->who + " begins a controlled shutdown");
  }
  target->process.shutdown();
  active.started = true;
}

void stop_fault(FaultContext& context, const ShutdownFault& /*fault*/, ActiveFault& active) {
  restart(context, active);
}

void start_fault(FaultContext& context, const PauseFault& fault, ActiveFault& active) {
  const auto target = context.target(fault.target, "pause", active);
  if (!target) return;
  context.note("pause", target->node, target->who + " froze (pause)");
  target->process.pause();
  active.started = true;
}

void stop_fault(FaultContext& context, const PauseFault& /*fault*/, ActiveFault& active) {
  const NodeId node = active.nodes.front();
  context.process(node).resume();
  context.note("resume", node, context.describe(node) + " resumed");
}

void start_fault(FaultContext& context, const SlowDiskFault& fault, ActiveFault& active) {
  const auto target = context.target(fault.target, "slow_disk", active);
  if (!target) return;
  context.note("slow disk", target->node,
               target->who + ": disk slowed by " + fault.extra_ms.to_json() + " ms per write");
  broker_at(context, target->node).set_slow_disk(fault.extra_ms);
  active.started = true;
}

void stop_fault(FaultContext& context, const SlowDiskFault& /*fault*/, ActiveFault& active) {
  const NodeId node = active.nodes.front();
  broker_at(context, node).set_slow_disk(std::nullopt);
  context.note("slow disk ends", node, context.describe(node) + ": disk back to normal");
}

void start_fault(FaultContext& context, const ZkSessionExpireFault& fault, ActiveFault& active) {
  const auto target = context.target(fault.target, "zk_session_expire", active);
  if (!target) return;
  context.note("session expiry", target->node, "ZooKeeper expired the session of " + target->who);
  context.cluster().zookeeper().expire_sessions_of(target->node);
  active.started = true;
}

void stop_fault(FaultContext& /*context*/, const ZkSessionExpireFault& /*fault*/,
                ActiveFault& /*active*/) {
  // Nothing to undo: the broker re-registers as soon as it reconnects.
}

}  // namespace kafkasim
