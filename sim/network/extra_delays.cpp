#include "kafkasim/network/extra_delays.h"

#include <algorithm>
#include <string>

namespace kafkasim {

ExtraDelays::ExtraDelays(std::size_t endpoint_count, std::uint64_t seed)
    : endpoint_count_(endpoint_count), seed_(seed) {}

DelayHandle ExtraDelays::add_touching(std::span<const NodeId> targets, const Dist& extra_ms) {
  const DelayHandle handle(started_++);
  std::vector<bool> touches(endpoint_count_, false);
  for (const NodeId node : targets) {
    if (node.value() < endpoint_count_) touches[node.value()] = true;
  }
  const std::string stream = "network/delay-" + std::to_string(handle.value());
  active_.push_back(
      Delay{handle, extra_ms, Rng::stream(seed_, stream), std::move(touches), NodeId(), NodeId()});
  return handle;
}

DelayHandle ExtraDelays::add_between(NodeId a, NodeId b, const Dist& extra_ms) {
  const DelayHandle handle(started_++);
  const std::string stream = "network/delay-" + std::to_string(handle.value());
  active_.push_back(Delay{handle, extra_ms, Rng::stream(seed_, stream), {}, a, b});
  return handle;
}

bool ExtraDelays::end(DelayHandle handle) {
  const auto it = std::find_if(active_.begin(), active_.end(),
                               [handle](const Delay& d) { return d.handle == handle; });
  if (it == active_.end()) return false;
  active_.erase(it);  // keeps the others in start order, so sums add in a fixed order
  return true;
}

Duration ExtraDelays::sample_active(NodeId from, NodeId to) {
  Duration total = Duration::zero();
  for (Delay& delay : active_) {
    const bool applies =
        delay.touches.empty()
            ? (from == delay.a && to == delay.b) || (from == delay.b && to == delay.a)
            : delay.touches[from.value()] || delay.touches[to.value()];
    if (applies) total += delay.extra_ms.sample_ms(delay.rng);
  }
  return total;
}

}  // namespace kafkasim
