// Extra one-way delays (SPEC.md fault `delay`): a DIST drawn once per message, either on every
// message to or from a set of target nodes ("the links touching them"), or on messages between
// two named nodes in both directions. Delays may overlap; their draws add. A message between
// two targets of the same delay is delayed once, not twice: it is one trip, whatever the
// topology, so a scenario behaves the same with or without switches.
//
// Each delay draws from its own stream, Rng::stream(seed, "network/delay-<n>"), n counting the
// delays started in the run from 0, so a delay does not shift the link latencies' draws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "kafkasim/core/strong_id.h"
#include "kafkasim/core/time.h"
#include "kafkasim/random/distribution.h"
#include "kafkasim/random/rng.h"

namespace kafkasim {

/// Names one extra delay, to end it.
using DelayHandle = StrongId<struct DelayHandleTag, std::uint32_t>;

class ExtraDelays {
 public:
  ExtraDelays(std::size_t endpoint_count, std::uint64_t seed);

  /// Delays every message sent to or from any of `targets` (switches among them are ignored).
  DelayHandle add_touching(std::span<const NodeId> targets, const Dist& extra_ms);
  /// Delays every message between a and b, either way.
  DelayHandle add_between(NodeId a, NodeId b, const Dist& extra_ms);
  /// Ends a delay; returns false when the handle is unknown or already ended.
  bool end(DelayHandle handle);

  /// The total extra delay of one message from `from` to `to`: one draw per active delay that
  /// applies, in the order the delays started.
  Duration sample(NodeId from, NodeId to) {
    if (active_.empty()) return Duration::zero();
    return sample_active(from, to);
  }

 private:
  Duration sample_active(NodeId from, NodeId to);

  struct Delay {
    DelayHandle handle;
    Dist extra_ms;
    Rng rng;
    std::vector<bool> touches;  // per endpoint, for a targets delay; empty for a between delay
    NodeId a;
    NodeId b;
  };
  std::size_t endpoint_count_;
  std::uint64_t seed_;
  std::uint32_t started_ = 0;
  std::vector<Delay> active_;  // in the order they started
};

}  // namespace kafkasim
