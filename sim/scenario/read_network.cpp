// The `network` section (SPEC.md "network"): default latency and bandwidth, per-link
// overrides and, with switches, the links that make the topology.
#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

std::optional<LinkSpec> read_link(const Json& value, const std::string& pointer,
                                  Diagnostics& diagnostics) {
  const ObjectReader reader(value, pointer, diagnostics,
                            {"between", "latency_ms", "bandwidth_mbps"});
  if (!reader.is_object()) return std::nullopt;
  LinkSpec link;
  link.latency_ms = reader.dist("latency_ms");
  link.bandwidth_mbps = reader.number("bandwidth_mbps", Sign::positive);
  const Json* between = reader.find("between", Need::required, "a list of two node names");
  if (between == nullptr) return std::nullopt;
  if (!between->is_array() || between->size() != 2 || !(*between)[0].is_string() ||
      !(*between)[1].is_string()) {
    diagnostics.error(reader.pointer_of("between"), describe(*between), "a list of two node names");
    return std::nullopt;
  }
  link.a = (*between)[0].get<std::string>();
  link.b = (*between)[1].get<std::string>();
  return link;
}

}  // namespace

void read_network(const Json* value, Draft& draft, Diagnostics& diagnostics) {
  if (value == nullptr) return;
  const ObjectReader reader(*value, "/network", diagnostics,
                            {"latency_ms", "bandwidth_mbps", "links", "switches"});
  if (!reader.is_object()) return;
  NetworkSpec& network = draft.scenario.network;
  if (auto d = reader.dist("latency_ms")) network.latency_ms = *d;
  if (auto b = reader.number("bandwidth_mbps", Sign::positive)) network.bandwidth_mbps = *b;
  if (const Json* links =
          as_array(reader.find("links"), "/network/links", diagnostics, "a list of links")) {
    for (std::size_t i = 0; i < links->size(); ++i) {
      const std::string at = pointer_child("/network/links", i);
      const std::size_t errors_before = diagnostics.error_count();
      auto link = read_link((*links)[i], at, diagnostics);
      if (link) draft.links.push_back({*link, at, no_new_errors(diagnostics, errors_before)});
    }
  }
  if (const Json* switches = as_array(reader.find("switches"), "/network/switches", diagnostics,
                                      "a list of switch names")) {
    for (std::size_t i = 0; i < switches->size(); ++i) {
      const std::string at = pointer_child("/network/switches", i);
      auto name = read_string((*switches)[i], at, diagnostics);
      if (name && name->empty()) diagnostics.error(at, "\"\"", "a non-empty switch name");
      if (name && !name->empty()) draft.switches.push_back({*name, at, true});
    }
  }
}

}  // namespace kafkasim::scenario_detail
