// The time a message spends on the wire, hop by hop (SPEC.md "network": latency_ms and
// bandwidth_mbps).
//
// Each directed link is a serial line: a message of B bytes starts when the line is free
// (store-and-forward: after the previous hop delivered its last byte), occupies it for
// B*8/bandwidth, then takes one latency draw from the link's DIST to reach the next node. The
// line is reserved when the message is sent, which is exact for a FIFO line. Each directed link
// draws from its own stream, Rng::stream(seed, "network/<from>-><to>"), so traffic on one link
// never shifts the numbers another link sees (common random numbers across runs).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/network/topology.h"
#include "kafkasim/random/distribution.h"
#include "kafkasim/random/rng.h"

namespace kafkasim {

class LinkTiming {
 public:
  LinkTiming(const Topology& topology, std::uint64_t seed);

  /// Sends `bytes` along `route` from `now`, reserving each line; returns when the last byte
  /// reaches the end of the route. An empty route (loopback) takes no time.
  Instant traverse(std::span<const LinkIndex> route, std::uint32_t bytes, Instant now);

  /// When the directed link is next free to start a transmission (for tests and reports).
  Instant free_at(LinkIndex link) const { return lines_[link].free_at; }

 private:
  struct Line {
    Rng rng;
    Dist latency_ms;
    double ns_per_byte = 0;  // 8 bits / (bandwidth in bits per nanosecond)
    Instant free_at;
  };
  std::vector<Line> lines_;
};

}  // namespace kafkasim
