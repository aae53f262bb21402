#include "kafkasim/run/aggregate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "kafkasim/stats/confidence_interval.h"
#include "run_fields.h"
#include "text_table.h"

namespace kafkasim {

namespace {

using nlohmann::ordered_json;
using Path = std::vector<std::string>;

/// Every number under `value`, with its path, in document order.
void flatten(const ordered_json& value, Path& path, std::vector<std::pair<Path, double>>& out) {
  if (value.is_number()) {
    out.emplace_back(path, value.get<double>());
  } else if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      path.push_back(key);
      flatten(child, path, out);
      path.pop_back();
    }
  } else if (value.is_array()) {
    // Only arrays of named groups: an element is found again in the next run by its name.
    for (const ordered_json& element : value) {
      if (!element.is_object() || !element.contains("group") || !element["group"].is_string())
        continue;
      path.push_back(element["group"].get<std::string>());
      flatten(element, path, out);
      path.pop_back();
    }
  }
}

/// The samples of one field over a mode's runs, fields in order of first appearance.
struct ModeSamples {
  std::string mode;
  std::uint64_t runs = 0;
  std::vector<std::pair<Path, std::vector<double>>> fields;
  std::map<Path, std::size_t> index;

  void add(const Path& path, double sample) {
    auto [it, inserted] = index.try_emplace(path, fields.size());
    if (inserted) fields.emplace_back(path, std::vector<double>{});
    fields[it->second].second.push_back(sample);
  }
};

ordered_json interval_json(const ConfidenceInterval& ci) {
  return {{"mean", ci.mean},
          {"half_width", ci.half_width},
          {"ci95", {ci.mean - ci.half_width, ci.mean + ci.half_width}}};
}

/// "latency_ms" / "p99" -> "latency p99 ms": the unit of a parent moves to the end;
/// "consumer_groups" / "billing" / "consumed" -> "group billing consumed", as the per-run table.
std::string label_of(const Path& path) {
  std::string label;
  std::string unit;
  for (std::size_t i = 0; i < path.size(); ++i) {
    std::string part = path[i] == "consumer_groups" ? "group" : path[i];
    constexpr std::string_view kMs = "_ms";
    if (part.size() > kMs.size() && part.ends_with(kMs)) {
      part.resize(part.size() - kMs.size());
      unit = " ms";
    }
    label += (label.empty() ? "" : " ") + part;
  }
  std::replace(label.begin(), label.end(), '_', ' ');
  return label + unit;
}

/// Enough decimals for a teacher to compare modes, not more.
std::string mean_plus_minus(const ordered_json& field) {
  const double mean = field["mean"].get<double>();
  const double half_width = field["half_width"].get<double>();
  const double magnitude = std::max(std::abs(mean), half_width);
  const bool whole = mean == std::round(mean) && half_width == std::round(half_width);
  const int decimals = whole || magnitude >= 1000 ? 0 : magnitude >= 10 ? 1 : 2;
  return report_detail::fixed(mean, decimals) + " ± " + report_detail::fixed(half_width, decimals);
}

bool is_interval(const ordered_json& node) {
  return node.is_object() && node.contains("mean") && node.contains("half_width");
}

/// The paths of the intervals under `node`, in document order.
void interval_paths(const ordered_json& node, Path& path, std::vector<Path>& out) {
  for (const auto& [key, child] : node.items()) {
    if (!child.is_object()) continue;
    path.push_back(key);
    if (is_interval(child)) {
      out.push_back(path);
    } else {
      interval_paths(child, path, out);
    }
    path.pop_back();
  }
}

const ordered_json* find_path(const ordered_json& node, const Path& path) {
  const ordered_json* at = &node;
  for (const std::string& key : path) {
    if (!at->is_object() || !at->contains(key)) return nullptr;
    at = &(*at)[key];
  }
  return at;
}

}  // namespace

ordered_json aggregate_json(const ordered_json& runs) {
  std::vector<ModeSamples> modes;
  for (const ordered_json& run : runs) {
    const std::string mode = run.value("acks", "");
    auto it = std::find_if(modes.begin(), modes.end(),
                           [&](const ModeSamples& m) { return m.mode == mode; });
    if (it == modes.end()) it = modes.insert(modes.end(), ModeSamples{mode, 0, {}, {}});
    ++it->runs;
    std::vector<std::pair<Path, double>> numbers;
    Path path;
    for (const auto& [key, value] : run.items()) {
      if (!report_detail::is_summary_key(key)) continue;
      path.assign(1, key);
      flatten(value, path, numbers);
    }
    for (const auto& [field, sample] : numbers)
      it->add(field, sample);
  }
  ordered_json aggregate = ordered_json::object();
  for (const ModeSamples& m : modes) {
    ordered_json out;
    out["runs"] = m.runs;
    for (const auto& [path, samples] : m.fields) {
      ordered_json* node = &out;
      for (std::size_t i = 0; i + 1 < path.size(); ++i)
        node = &(*node)[path[i]];
      (*node)[path.back()] = interval_json(confidence_interval_95(samples));
    }
    aggregate[m.mode] = std::move(out);
  }
  return aggregate;
}

std::string aggregate_table(const Scenario& scenario, const ordered_json& aggregate,
                            std::uint64_t first_seed, std::uint64_t seeds) {
  using report_detail::TextRow;
  std::vector<TextRow> rows;
  TextRow modes{"mode", {}};
  TextRow runs{"runs", {}};
  for (const auto& [mode, fields] : aggregate.items()) {
    modes.cells.push_back(mode);
    runs.cells.push_back(std::to_string(fields.value("runs", std::uint64_t{0})));
  }
  rows.push_back(std::move(modes));
  rows.push_back(std::move(runs));
  std::vector<Path> paths;
  if (!aggregate.empty()) {
    Path path;
    interval_paths(aggregate.begin().value(), path, paths);
  }
  for (const Path& path : paths) {
    TextRow row{label_of(path), {}};
    for (const auto& [mode, fields] : aggregate.items()) {
      const ordered_json* field = find_path(fields, path);
      row.cells.push_back(field != nullptr && is_interval(*field) ? mean_plus_minus(*field) : "-");
    }
    rows.push_back(std::move(row));
  }
  const std::string last_seed = std::to_string(first_seed + seeds - 1);
  return report_detail::table_heading(scenario) + "Mean ± half-width of the 95% confidence " +
         "interval (Student t) over seeds " + std::to_string(first_seed) + ".." + last_seed +
         ":\n\n" + report_detail::render_rows(rows);
}

}  // namespace kafkasim
