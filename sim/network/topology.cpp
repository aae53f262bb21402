#include "kafkasim/network/topology.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/property_map/property_map.hpp>

namespace kafkasim {

namespace {

// Dijkstra runs on integers so that equal sums are exactly equal: a link weighs its mean
// latency in nanoseconds times kHopUnit, plus one. A path's length is then (mean latency,
// hop count) in lexicographic order, and every link weighs at least 1, so walking a route back
// from its destination always makes progress, even across links of zero latency.
constexpr std::int64_t kHopUnit = 1024;
constexpr std::int64_t kUnreachable = std::numeric_limits<std::int64_t>::max();

std::int64_t link_weight(const DirectedLink& link) {
  const double mean_ns = std::max(0.0, link.latency_ms.mean() * 1e6);
  return std::llround(mean_ns) * kHopUnit + 1;
}

struct EdgeProps {
  std::int64_t weight = 0;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                    EdgeProps>;

// Keeps the edges a message from `source` may use: those leaving a switch or the source itself.
// Hosts do not forward traffic, so no route passes through a third endpoint.
struct ForwardingEdges {
  const Graph* graph = nullptr;
  const std::vector<NodeKind>* kinds = nullptr;
  std::size_t source = 0;
  bool operator()(Graph::edge_descriptor edge) const {
    const std::size_t from = boost::source(edge, *graph);
    return from == source || (*kinds)[from] == NodeKind::network_switch;
  }
};

// Dijkstra from one source over the edges a message from it may use: the least (mean latency,
// hops) to every node, kUnreachable where there is no path.
std::vector<std::int64_t> shortest_distances(const Graph& graph, const std::vector<NodeKind>& kinds,
                                             std::size_t source) {
  const ForwardingEdges keep{&graph, &kinds, source};
  const boost::filtered_graph<Graph, ForwardingEdges> usable(graph, keep);
  std::vector<std::int64_t> distance(boost::num_vertices(graph), kUnreachable);
  boost::dijkstra_shortest_paths(usable, static_cast<Graph::vertex_descriptor>(source),
                                 boost::weight_map(boost::get(&EdgeProps::weight, graph))
                                     .distance_map(boost::make_iterator_property_map(
                                         distance.begin(), boost::get(boost::vertex_index, graph)))
                                     .distance_inf(kUnreachable));
  return distance;
}

std::pair<std::uint32_t, std::uint32_t> unordered(NodeId a, NodeId b) {
  return std::minmax(a.value(), b.value());
}

}  // namespace

std::optional<NodeId> Topology::find(std::string_view name) const {
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

NodeId Topology::at(std::string_view name) const {
  if (const auto node = find(name)) return *node;
  throw TopologyError("network: no node named '" + std::string(name) + "'");
}

void Topology::add_node(std::string name, NodeKind kind) {
  const NodeId id(static_cast<std::uint32_t>(names_.size()));
  if (!by_name_.emplace(name, id).second) {
    throw TopologyError("network: the name '" + name + "' is given to two nodes");
  }
  names_.push_back(std::move(name));
  kinds_.push_back(kind);
  in_links_.emplace_back();
}

LinkIndex Topology::add_link_pair(NodeId a, NodeId b, const Dist& latency_ms,
                                  double bandwidth_mbps) {
  const auto first = static_cast<LinkIndex>(links_.size());
  links_.push_back(DirectedLink{a, b, latency_ms, bandwidth_mbps});
  links_.push_back(DirectedLink{b, a, latency_ms, bandwidth_mbps});
  in_links_[b.value()].push_back(first);
  in_links_[a.value()].push_back(first + 1);
  return first;
}

Topology Topology::build(std::span<const NodeDecl> endpoints, const NetworkSpec& spec) {
  Topology topology;
  for (const NodeDecl& node : endpoints) {
    if (node.kind == NodeKind::network_switch) {
      throw TopologyError("network: '" + node.name + "' is a switch; switches come from the spec");
    }
    topology.add_node(node.name, node.kind);
  }
  topology.endpoint_count_ = endpoints.size();
  for (const std::string& name : spec.switches)
    topology.add_node(name, NodeKind::network_switch);
  if (spec.switches.empty()) {
    topology.build_mesh(spec);
  } else {
    topology.build_switched(spec);
  }
  return topology;
}

void Topology::build_mesh(const NetworkSpec& spec) {
  // The overrides by unordered pair, checked first so that a bad one is reported even when it
  // would be shadowed.
  std::map<std::pair<std::uint32_t, std::uint32_t>, const LinkSpec*> overrides;
  for (const LinkSpec& link : spec.links) {
    const NodeId a = at(link.a);
    const NodeId b = at(link.b);
    if (a == b) throw TopologyError("network: a link joins '" + link.a + "' to itself");
    if (!overrides.emplace(unordered(a, b), &link).second) {
      throw TopologyError("network: two links between '" + link.a + "' and '" + link.b + "'");
    }
  }
  const auto n = static_cast<std::uint32_t>(endpoint_count_);
  // links_[pair_link[i*n + j]] is the link i -> j.
  std::vector<LinkIndex> pair_link(static_cast<std::size_t>(n) * n, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::uint32_t j = i + 1; j < n; ++j) {
      Dist latency = spec.latency_ms;
      double bandwidth = spec.bandwidth_mbps;
      if (const auto it = overrides.find({i, j}); it != overrides.end()) {
        latency = it->second->latency_ms.value_or(latency);
        bandwidth = it->second->bandwidth_mbps.value_or(bandwidth);
      }
      const LinkIndex first = add_link_pair(NodeId(i), NodeId(j), latency, bandwidth);
      pair_link[i * n + j] = first;
      pair_link[j * n + i] = first + 1;
    }
  }
  std::vector<std::vector<LinkIndex>> routes(static_cast<std::size_t>(n) * n);
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::uint32_t j = 0; j < n; ++j) {
      if (i != j) routes[i * n + j].push_back(pair_link[i * n + j]);
    }
  }
  store_routes(routes);
}

void Topology::build_switched(const NetworkSpec& spec) {
  std::map<std::pair<std::uint32_t, std::uint32_t>, bool> seen;
  std::vector<bool> linked(node_count(), false);
  for (const LinkSpec& link : spec.links) {
    const NodeId a = at(link.a);
    const NodeId b = at(link.b);
    if (a == b) throw TopologyError("network: a link joins '" + link.a + "' to itself");
    if (!seen.emplace(unordered(a, b), true).second) {
      throw TopologyError("network: two links between '" + link.a + "' and '" + link.b + "'");
    }
    add_link_pair(a, b, link.latency_ms.value_or(spec.latency_ms),
                  link.bandwidth_mbps.value_or(spec.bandwidth_mbps));
    linked[a.value()] = true;
    linked[b.value()] = true;
  }
  // An endpoint the links do not mention hangs off the first switch with the default link, so a
  // scenario only has to describe the interesting part of its network.
  const NodeId first_switch(static_cast<std::uint32_t>(endpoint_count_));
  for (std::uint32_t i = 0; i < endpoint_count_; ++i) {
    if (!linked[i]) add_link_pair(NodeId(i), first_switch, spec.latency_ms, spec.bandwidth_mbps);
  }
  Graph graph(node_count());
  std::vector<std::int64_t> weights(links_.size());
  for (LinkIndex l = 0; l < links_.size(); ++l) {
    weights[l] = link_weight(links_[l]);
    boost::add_edge(links_[l].from.value(), links_[l].to.value(), EdgeProps{weights[l]}, graph);
  }
  const std::size_t n = endpoint_count_;
  std::vector<std::vector<LinkIndex>> routes(n * n);
  for (std::uint32_t i = 0; i < n; ++i) {
    walk_routes(NodeId(i), shortest_distances(graph, kinds_, i), weights, routes);
  }
  store_routes(routes);
}

// Each route walked back from its destination over links that lie on a shortest path (see the
// header for the tie rule).
void Topology::walk_routes(NodeId source, const std::vector<std::int64_t>& distance,
                           const std::vector<std::int64_t>& weights,
                           std::vector<std::vector<LinkIndex>>& into) const {
  const std::size_t n = endpoint_count_;
  for (std::uint32_t target = 0; target < n; ++target) {
    if (target == source.value()) continue;
    if (distance[target] == kUnreachable) {
      throw TopologyError("network: no path from '" + names_[source.value()] + "' to '" +
                          names_[target] + "'");
    }
    std::vector<LinkIndex>& route = into[source.value() * n + target];
    for (std::uint32_t v = target; v != source.value();) {
      LinkIndex best = 0;
      std::uint32_t best_from = std::numeric_limits<std::uint32_t>::max();
      for (const LinkIndex l : in_links_[v]) {
        const std::uint32_t u = links_[l].from.value();
        const bool forwards = u == source.value() || kinds_[u] == NodeKind::network_switch;
        if (!forwards || distance[u] == kUnreachable) continue;
        if (distance[u] + weights[l] == distance[v] && u < best_from) {
          best = l;
          best_from = u;
        }
      }
      route.push_back(best);
      v = best_from;
    }
    std::reverse(route.begin(), route.end());
  }
}

void Topology::store_routes(const std::vector<std::vector<LinkIndex>>& routes) {
  route_begin_.assign(1, 0);
  route_links_.clear();
  for (const auto& route : routes) {
    route_links_.insert(route_links_.end(), route.begin(), route.end());
    route_begin_.push_back(static_cast<std::uint32_t>(route_links_.size()));
  }
}

double Topology::mean_latency_ms(NodeId from, NodeId to) const {
  double sum = 0;
  for (const LinkIndex l : route(from, to))
    sum += links_[l].latency_ms.mean();
  return sum;
}

}  // namespace kafkasim
