// The top level of a scenario (SPEC.md "Top level").
#include <limits>

#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

const std::vector<std::string_view> kTopLevelKeys{
    "$schema", "name",    "description", "seed",      "duration_ms", "settle_ms", "acks",
    "cluster", "network", "topics",      "producers", "consumers",   "faults",    "lesson"};

void read_seed(const ObjectReader& top, Draft& draft, Diagnostics& diagnostics) {
  const Json* seed = top.find("seed");
  if (seed == nullptr) return;
  // A seed is any 64-bit unsigned value; nlohmann reads non-negative literals as unsigned.
  if (seed->is_number_unsigned()) {
    draft.scenario.seed = seed->get<std::uint64_t>();
  } else {
    diagnostics.error("/seed", describe(*seed), "an integer in [0, 18446744073709551615]");
  }
}

void read_acks(const ObjectReader& top, Draft& draft, Diagnostics& diagnostics) {
  const Json* acks = as_array(top.find("acks"), "/acks", diagnostics,
                              "a non-empty list of modes (none, async, isr, sync)");
  if (acks == nullptr) return;
  std::vector<AckMode> modes;
  for (std::size_t i = 0; i < acks->size(); ++i) {
    const Json& v = (*acks)[i];
    std::optional<AckMode> mode;
    if (v.is_string()) mode = parse_ack_mode(v.get<std::string>());
    if (v.is_number_integer()) mode = parse_ack_mode(std::to_string(v.get<std::int64_t>()));
    if (!mode) {
      diagnostics.error(
          pointer_child("/acks", i), describe(v),
          "one of \"none\", \"async\", \"isr\", \"sync\" (or Kafka's 0, 1, \"all\", -1)");
    } else if (std::find(modes.begin(), modes.end(), *mode) != modes.end()) {
      diagnostics.error(pointer_child("/acks", i), describe(v), "each mode once");
    } else {
      modes.push_back(*mode);
    }
  }
  if (acks->empty()) diagnostics.error("/acks", "[]", "a non-empty list of modes");
  if (!modes.empty()) draft.scenario.acks = modes;
}

}  // namespace

const Json* as_array(const Json* value, const std::string& pointer, Diagnostics& diagnostics,
                     std::string_view expected) {
  if (value == nullptr) return nullptr;
  if (!value->is_array()) {
    diagnostics.error(pointer, describe(*value), std::string(expected));
    return nullptr;
  }
  return value;
}

void read_top_level(const Json& root, Draft& draft, Diagnostics& diagnostics) {
  const ObjectReader top(root, "", diagnostics, kTopLevelKeys);
  if (!top.is_object()) return;
  Scenario& s = draft.scenario;
  if (auto name = top.string("name", Need::required)) {
    if (name->empty()) diagnostics.error("/name", "\"\"", "a non-empty string");
    s.name = *name;
  }
  if (auto description = top.string("description")) s.description = *description;
  read_seed(top, draft, diagnostics);
  if (auto duration = top.duration_ms("duration_ms", Sign::positive, Need::required)) {
    s.duration = *duration;
    draft.duration_known = true;
  }
  if (auto settle = top.duration_ms("settle_ms", Sign::non_negative)) s.settle = *settle;
  read_acks(top, draft, diagnostics);
  const Json* cluster = top.find("cluster", Need::required, "an object");
  if (cluster != nullptr) read_cluster(cluster, draft, diagnostics);
  read_network(top.find("network"), draft, diagnostics);
  read_topics(top.find("topics", Need::required, "a list of topics"), draft, diagnostics);
  read_producers(top.find("producers"), draft, diagnostics);
  read_consumers(top.find("consumers"), draft, diagnostics);
  read_faults(top.find("faults"), draft, diagnostics);
  read_lesson(top.find("lesson"), draft, diagnostics);
}

}  // namespace kafkasim::scenario_detail
