// The shape of the network: which nodes exist, which links join them, and the route every
// message between two endpoints takes. A Topology is built once per run and never changes; the
// time-varying facts (link queues, partitions, crashes) live in Network.
//
// Two shapes (SPEC.md "network"):
//  - Without switches, a full mesh: every pair of endpoints has its own direct link with the
//    scenario's latency_ms and bandwidth_mbps, unless a `links` entry overrides that pair. A
//    message always takes its direct link, even when a detour through a third endpoint would be
//    faster on average: hosts do not forward traffic.
//  - With switches, the `links` are the graph. An endpoint named in no link attaches to the
//    first switch with the default latency and bandwidth (the scenario loader follows the same
//    rule). A message follows the path of least *mean* latency (Dist::mean()), found by
//    Dijkstra (boost::dijkstra_shortest_paths) once per source at build time. Only switches
//    forward: a path never passes through a third endpoint. Ties between paths of equal mean
//    latency (to the nanosecond) go to the path with fewer hops, then to the predecessor with
//    the smallest node id at each step back from the destination, so that routes depend only
//    on the scenario, never on hash or pointer order.
//
// Node ids: the endpoints get 0..E-1 in the order given to build(), the switches E.. in the
// order of NetworkSpec::switches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kafkasim/core/strong_id.h"
#include "kafkasim/network/network_spec.h"
#include "kafkasim/random/distribution.h"

namespace kafkasim {

/// What a node of the network is. Only switches forward traffic; the others are endpoints that
/// send and receive messages.
enum class NodeKind : std::uint8_t { broker, zookeeper, client, network_switch };

/// An endpoint to place in the network, named as SPEC.md "Node names" says: `broker-<id>`,
/// `zookeeper`, a producer's name, `<group>-<index>` for a consumer.
struct NodeDecl {
  std::string name;
  NodeKind kind = NodeKind::client;
};

/// A scenario whose network cannot be built: an unknown or duplicate name, a duplicate link, a
/// pair of endpoints with no path between them.
class TopologyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One direction of a link. A scenario link between a and b gives two directed links with the
/// same latency law and bandwidth, each a serial line of its own (full duplex).
struct DirectedLink {
  NodeId from;
  NodeId to;
  Dist latency_ms;
  double bandwidth_mbps = 0;
};

/// An index into Topology::links().
using LinkIndex = std::uint32_t;

class Topology {
 public:
  /// Builds the graph and every route. Throws TopologyError, naming the culprit, when a link
  /// names an unknown node or repeats a pair, a name is used twice, or (with switches) some pair
  /// of endpoints has no path.
  static Topology build(std::span<const NodeDecl> endpoints, const NetworkSpec& spec);

  /// Endpoints and switches.
  std::size_t node_count() const { return names_.size(); }
  /// Endpoints only; their ids are 0..endpoint_count()-1.
  std::size_t endpoint_count() const { return endpoint_count_; }

  const std::string& name(NodeId node) const { return names_[node.value()]; }
  NodeKind kind(NodeId node) const { return kinds_[node.value()]; }
  /// The node of that name, if any (an ordered map: no hash order anywhere).
  std::optional<NodeId> find(std::string_view name) const;
  /// The node of that name; throws TopologyError when there is none.
  NodeId at(std::string_view name) const;

  const std::vector<DirectedLink>& links() const { return links_; }

  /// The directed links a message from one endpoint to another crosses, in order. Empty from a
  /// node to itself (loopback). Preconditions: both are endpoints.
  std::span<const LinkIndex> route(NodeId from, NodeId to) const {
    const std::size_t pair = from.value() * endpoint_count_ + to.value();
    return {route_links_.data() + route_begin_[pair], route_begin_[pair + 1] - route_begin_[pair]};
  }

  /// The sum of the mean latencies along route(from, to), in milliseconds, without transmission
  /// time: what a message of no size takes on average when nothing else is happening.
  double mean_latency_ms(NodeId from, NodeId to) const;

 private:
  Topology() = default;
  void add_node(std::string name, NodeKind kind);
  LinkIndex add_link_pair(NodeId a, NodeId b, const Dist& latency_ms, double bandwidth_mbps);
  void build_mesh(const NetworkSpec& spec);
  void build_switched(const NetworkSpec& spec);
  void walk_routes(NodeId source, const std::vector<std::int64_t>& distance,
                   const std::vector<std::int64_t>& weights,
                   std::vector<std::vector<LinkIndex>>& into) const;
  void store_routes(const std::vector<std::vector<LinkIndex>>& routes);

  std::vector<std::string> names_;
  std::vector<NodeKind> kinds_;
  std::map<std::string, NodeId, std::less<>> by_name_;
  std::size_t endpoint_count_ = 0;
  std::vector<DirectedLink> links_;
  /// Directed links entering each node, for walking a route back from its destination.
  std::vector<std::vector<LinkIndex>> in_links_;
  /// route(from, to) is route_links_[route_begin_[p] .. route_begin_[p + 1]), p = from*E + to.
  std::vector<std::uint32_t> route_begin_;
  std::vector<LinkIndex> route_links_;
};

}  // namespace kafkasim
