// The fault layer (SPEC.md "faults[]"): each scenario fault starts at its at_ms and ends at its
// until_ms, or at duration_ms, where every fault ends. Faults are data; each type's start and
// end are one pair of functions (fault_actions.h). Roles (leader-of:, controller) are resolved
// when the fault starts. The injector is an actor, so faults happen in the engine's order like
// anything else; it also starts the producers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cluster.h"
#include "fault_actions.h"
#include "kafkasim/engine/engine.h"
#include "kafkasim/scenario/fault.h"

namespace kafkasim {

class FaultInjector final : public Actor, public ProcessListener {
 public:
  /// `faults` are in engine time (already shifted by the boot); `end` is duration_ms.
  FaultInjector(Cluster& cluster, std::vector<Fault> faults, Instant producers_start, Instant end);

  void on_timer(TimerCookie cookie) override;
  void on_process_stopped(Process& process) override;

  /// Per fault, the names of the nodes it hit when it started (RunResult::fault_nodes).
  std::vector<std::vector<std::string>> nodes_hit() const { return nodes_hit_; }

 private:
  void start(std::size_t index);
  void stop(std::size_t index);

  Cluster& cluster_;
  FaultContext context_;
  std::vector<Fault> faults_;
  std::vector<ActiveFault> active_;
  std::vector<std::vector<std::string>> nodes_hit_;
  ActorId actor_;
};

}  // namespace kafkasim
