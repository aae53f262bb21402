#include "kafkasim/network/link_timing.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "kafkasim/core/rounding.h"

namespace kafkasim {

LinkTiming::LinkTiming(const Topology& topology, std::uint64_t seed) {
  lines_.reserve(topology.links().size());
  for (const DirectedLink& link : topology.links()) {
    const std::string stream =
        "network/" + topology.name(link.from) + "->" + topology.name(link.to);
    // Mbit/s is bits per microsecond: 1000/bandwidth ns per bit, 8000/bandwidth per byte.
    lines_.push_back(Line{Rng::stream(seed, stream), link.latency_ms, 8000.0 / link.bandwidth_mbps,
                          Instant::start()});
  }
}

Instant LinkTiming::traverse(std::span<const LinkIndex> route, std::uint32_t bytes, Instant now) {
  Instant t = now;
  for (const LinkIndex l : route) {
    Line& line = lines_[l];
    const Instant start = std::max(t, line.free_at);
    const Duration transmission(round_to_int64(static_cast<double>(bytes) * line.ns_per_byte));
    line.free_at = start + transmission;
    t = line.free_at + line.latency_ms.sample_ms(line.rng);
  }
  return t;
}

}  // namespace kafkasim
