#include "kafkasim/run/fault_report.h"

#include <algorithm>
#include <string>
#include <type_traits>
#include <vector>

namespace kafkasim {

namespace {

using nlohmann::ordered_json;

std::vector<std::string> names(const std::vector<NodeRef>& nodes) {
  std::vector<std::string> out;
  for (const NodeRef& node : nodes)
    out.push_back(node.to_string());
  return out;
}

/// The fields that say whom the fault hits, by the scenario's key names.
void add_subject(const Fault& fault, ordered_json& out) {
  std::visit(
      [&out](const auto& f) {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, PartitionFault>) {
          ordered_json sides = ordered_json::array();
          for (const std::vector<NodeRef>& side : f.sides)
            sides.push_back(names(side));
          out["sides"] = sides;
        } else if constexpr (std::is_same_v<F, DelayFault>) {
          if (f.between) {
            out["between"] = {f.between->first.to_string(), f.between->second.to_string()};
          } else {
            out["targets"] = names(f.targets);
          }
        } else {
          out["target"] = f.target.to_string();
          if constexpr (std::is_same_v<F, CrashFault>) out["power_loss"] = f.power_loss;
        }
      },
      fault);
}

}  // namespace

ordered_json faults_json(const Scenario& scenario) {
  ordered_json list = ordered_json::array();
  const Instant end = Instant::start() + scenario.duration;
  for (const Fault& fault : scenario.faults) {
    ordered_json out;
    out["type"] = std::string(fault_type_name(fault));
    add_subject(fault, out);
    const FaultWindow& window = fault_window(fault);
    out["at_ms"] = to_ms(window.at);
    // Every fault ends at duration_ms (SPEC.md), whatever its until_ms says.
    out["until_ms"] = to_ms(std::min(window.until.value_or(end), end));
    list.push_back(out);
  }
  return list;
}

}  // namespace kafkasim
