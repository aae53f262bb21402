// What each fault type does when it starts and when it ends (SPEC.md "faults[]"). Faults are
// data: every type of scenario/fault.h has one start_fault and one stop_fault overload here,
// and the injector visits the fault to call them, so a type without its pair does not compile
// and adding a type touches its scenario parsing and one pair of functions. The faults on one
// node's process act through Process (network/process.h), whatever the node is.
//   fault_process.cpp  crash, shutdown, pause, slow_disk, zk_session_expire
//   fault_network.cpp  partition, delay
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cluster.h"
#include "kafkasim/network/network.h"
#include "kafkasim/network/process.h"
#include "kafkasim/scenario/fault.h"

namespace kafkasim {

/// What a fault acted on, to undo it at its end.
struct ActiveFault {
  std::vector<NodeId> nodes;
  std::optional<PartitionHandle> partition;
  std::optional<DelayHandle> delay;
  bool started = false;
  /// The fault ended while its process was still stopping (a controlled shutdown that outlasted
  /// the fault's window): it restarts as soon as the process has stopped, as an operator's
  /// restart waits for the old process to exit.
  bool restart_when_stopped = false;
};

/// The cluster as faults see it: roles resolved to nodes, nodes to processes and names, and the
/// timeline.
class FaultContext {
 public:
  explicit FaultContext(Cluster& cluster) : cluster_(cluster) {}

  Cluster& cluster() { return cluster_; }
  Instant now() const { return cluster_.engine().now(); }
  /// The node `ref` names now (a role such as leader-of: or controller may name none).
  std::optional<NodeId> resolve(const NodeRef& ref);
  /// The node's name in the scenario.
  std::string describe(NodeId node) const;

  /// The node a fault on one process acts on, and how the timeline names it.
  struct Target {
    NodeId node;
    Process& process;
    std::string who;  // e.g. "broker-1 (it led orders-0)"
  };
  /// Resolves a fault's target and records it in `active`. When the role names no node now, the
  /// timeline says the fault was skipped and there is none.
  std::optional<Target> target(const NodeRef& ref, std::string_view type, ActiveFault& active);
  /// The process of an endpoint node. Precondition: `node` is an endpoint of the cluster.
  Process& process(NodeId node);

  void note(std::string_view label, std::optional<NodeId> node, const std::string& line);

 private:
  Cluster& cluster_;
};

/// A crash or shutdown fault whose process was still stopping when it ended, now stopped:
/// restart it (ActiveFault::restart_when_stopped).
void restart_stopped(FaultContext& context, ActiveFault& active);

// Each returns with active.started set when the fault took effect (its stop then undoes it).
void start_fault(FaultContext& context, const CrashFault& fault, ActiveFault& active);
void stop_fault(FaultContext& context, const CrashFault& fault, ActiveFault& active);
void start_fault(FaultContext& context, const ShutdownFault& fault, ActiveFault& active);
void stop_fault(FaultContext& context, const ShutdownFault& fault, ActiveFault& active);
void start_fault(FaultContext& context, const PauseFault& fault, ActiveFault& active);
void stop_fault(FaultContext& context, const PauseFault& fault, ActiveFault& active);
void start_fault(FaultContext& context, const SlowDiskFault& fault, ActiveFault& active);
void stop_fault(FaultContext& context, const SlowDiskFault& fault, ActiveFault& active);
void start_fault(FaultContext& context, const ZkSessionExpireFault& fault, ActiveFault& active);
void stop_fault(FaultContext& context, const ZkSessionExpireFault& fault, ActiveFault& active);
void start_fault(FaultContext& context, const PartitionFault& fault, ActiveFault& active);
void stop_fault(FaultContext& context, const PartitionFault& fault, ActiveFault& active);
void start_fault(FaultContext& context, const DelayFault& fault, ActiveFault& active);
void stop_fault(FaultContext& context, const DelayFault& fault, ActiveFault& active);

}  // namespace kafkasim
