// Links and switches (SPEC.md "network"). Without switches every pair of nodes has a direct
// link and `links` only override some of them. With switches the links are the graph, and:
//   an endpoint (broker, zookeeper, client) named in no link is attached to the FIRST switch
//   by a link with the default latency and bandwidth.
// The loader adds those links to NetworkSpec::links itself, so the network sees a complete
// graph, and then requires every endpoint to reach every other one.
#include <numeric>
#include <set>

#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"
#include "kafkasim/scenario/nearest_name.h"

namespace kafkasim::scenario_detail {

namespace {

void check_link_names(const Item<LinkSpec>& link, const std::map<std::string, NodeKind>& nodes,
                      Diagnostics& diagnostics) {
  std::vector<std::string_view> names;
  for (const auto& [name, kind] : nodes)
    names.push_back(name);
  const std::string between = pointer_child(link.pointer, "between");
  const std::string ends[2] = {link.value.a, link.value.b};
  for (std::size_t i = 0; i < 2; ++i) {
    if (nodes.contains(ends[i])) continue;
    const std::string_view nearest = nearest_name(ends[i], names);
    diagnostics.error(pointer_child(between, i), "\"" + ends[i] + "\"", "a node or switch name",
                      nearest.empty() ? "" : "did you mean \"" + std::string(nearest) + "\"?");
  }
  if (link.value.a == link.value.b) {
    diagnostics.error(pointer_child(between, 1), "\"" + link.value.b + "\"",
                      "a node other than the first (no self-links)");
  }
}

// Union-find over node names, for connectivity.
struct Components {
  std::map<std::string, std::string> parent;
  std::string find(const std::string& x) {
    auto it = parent.find(x);
    if (it == parent.end() || it->second == x) return x;
    const std::string root = find(it->second);
    parent[x] = root;
    return root;
  }
  void join(const std::string& a, const std::string& b) { parent[find(a)] = find(b); }
};

void attach_and_check_connectivity(Draft& draft, const std::map<std::string, NodeKind>& nodes,
                                   Diagnostics& diagnostics) {
  NetworkSpec& network = draft.scenario.network;
  std::set<std::string> linked;
  Components components;
  for (const LinkSpec& l : network.links) {
    linked.insert(l.a);
    linked.insert(l.b);
    components.join(l.a, l.b);
  }
  const std::string& first_switch = network.switches.front();
  std::vector<std::string> endpoints;
  for (const auto& [name, kind] : nodes) {
    if (kind == NodeKind::network_switch) continue;
    endpoints.push_back(name);
    if (linked.contains(name)) continue;
    network.links.push_back(LinkSpec{name, first_switch, std::nullopt, std::nullopt});
    components.join(name, first_switch);
  }
  const std::string home = components.find(first_switch);
  for (const std::string& e : endpoints) {
    if (components.find(e) != home) {
      diagnostics.note(Severity::error, "/network/links",
                       "\"" + e + "\" cannot reach switch \"" + first_switch + "\"",
                       "link it, or its group of nodes, to a switch");
    }
  }
}

}  // namespace

void check_network(Draft& draft, Diagnostics& diagnostics) {
  const std::map<std::string, NodeKind> nodes = node_catalog(draft);
  std::set<std::pair<std::string, std::string>> pairs;
  bool links_ok = true;
  for (const auto& link : draft.links) {
    const std::size_t errors_before = diagnostics.error_count();
    check_link_names(link, nodes, diagnostics);
    const auto key = std::minmax(link.value.a, link.value.b);
    if (!pairs.insert({key.first, key.second}).second) {
      diagnostics.error(pointer_child(link.pointer, "between"),
                        "[\"" + link.value.a + "\", \"" + link.value.b + "\"]",
                        "a pair of nodes not linked by an earlier link");
    }
    links_ok = links_ok && link.complete && no_new_errors(diagnostics, errors_before);
    draft.scenario.network.links.push_back(link.value);
  }
  for (const auto& s : draft.switches)
    draft.scenario.network.switches.push_back(s.value);
  if (links_ok && !draft.scenario.network.switches.empty()) {
    attach_and_check_connectivity(draft, nodes, diagnostics);
  }
}

}  // namespace kafkasim::scenario_detail
