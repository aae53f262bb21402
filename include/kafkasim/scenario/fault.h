// The `faults` of a scenario (SPEC.md "faults[]"): one struct per type, in a closed variant,
// so that adding a fault type touches one place and every visit is checked by the compiler.
#pragma once

#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/random/distribution.h"
#include "kafkasim/scenario/node_ref.h"

namespace kafkasim {

/// When a fault starts, and when it ends. Without `until` it lasts to duration_ms, where every
/// fault ends anyway.
struct FaultWindow {
  Instant at;
  std::optional<Instant> until;
};

/// The process stops; ends with a restart and log recovery. With power_loss, what was not
/// flushed to disk (by Kafka or by the OS writeback) is lost.
struct CrashFault : FaultWindow {
  NodeRef target;
  bool power_loss = false;
};

/// Controlled shutdown: leadership moves away first; ends with a restart.
struct ShutdownFault : FaultWindow {
  NodeRef target;
};

/// The process freezes (a long GC pause, a stuck disk); ends by resuming.
struct PauseFault : FaultWindow {
  NodeRef target;
};

/// Nodes on different sides cannot reach each other; unnamed nodes reach everyone.
struct PartitionFault : FaultWindow {
  std::vector<std::vector<NodeRef>> sides;
};

/// Extra one-way delay on the links touching `targets`, or on the link `between` two nodes.
/// Exactly one of the two is set.
struct DelayFault : FaultWindow {
  std::vector<NodeRef> targets;
  std::optional<std::pair<NodeRef, NodeRef>> between;
  Dist extra_ms = Dist::constant(0);
};

/// Every append and flush on that broker takes `extra_ms` more.
struct SlowDiskFault : FaultWindow {
  NodeRef target;
  Dist extra_ms = Dist::constant(0);
};

/// ZooKeeper expires that broker's session now; `until` has no effect on it (the broker
/// re-registers as soon as it reconnects).
struct ZkSessionExpireFault : FaultWindow {
  NodeRef target;
};

using Fault = std::variant<CrashFault, ShutdownFault, PauseFault, PartitionFault, DelayFault,
                           SlowDiskFault, ZkSessionExpireFault>;

/// The `type` a scenario writes: "crash", "shutdown", ..., "zk_session_expire".
std::string_view fault_type_name(const Fault& fault);

inline const FaultWindow& fault_window(const Fault& fault) {
  return std::visit([](const auto& f) -> const FaultWindow& { return f; }, fault);
}

}  // namespace kafkasim
