// The `network` section of a scenario, as typed values (SPEC.md "network"). The scenario loader
// fills it; the network builds its graph from it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kafkasim/random/distribution.h"

namespace kafkasim {

/// An override for, or (with switches) an edge of, the network graph between two named nodes.
struct LinkSpec {
  std::string a;
  std::string b;
  std::optional<Dist> latency_ms;       // default: NetworkSpec::latency_ms
  std::optional<double> bandwidth_mbps;  // default: NetworkSpec::bandwidth_mbps
};

struct NetworkSpec {
  /// One-way delay of every link (SPEC default 0.5 ms).
  Dist latency_ms = Dist::constant(0.5);
  /// A message of B bytes also takes B*8/bandwidth to send (SPEC default 10000 Mbit/s).
  double bandwidth_mbps = 10000.0;
  std::vector<LinkSpec> links;
  /// Switch names. Without switches every pair of nodes has its own direct link; with them the
  /// links describe the graph, and messages follow the path of least mean latency.
  std::vector<std::string> switches;
};

}  // namespace kafkasim
