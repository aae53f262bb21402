// The pipeline: read the file, parse JSON, apply --set overrides, read every section, run the
// cross-reference checks, and build the Scenario only if nothing was an error.
#include "kafkasim/scenario/loader.h"

#include <fstream>

#include "apply_override.h"
#include "draft.h"
#include "json_nesting.h"
#include "json_parse.h"

namespace kafkasim {

namespace {

using scenario_detail::Draft;
using scenario_detail::Json;

// load_limits.h: a text too large or too deeply nested is refused before nlohmann builds it.
bool within_text_limits(std::string_view text, Diagnostics& diagnostics) {
  if (text.size() > LoadLimits::kMaxTextBytes) {
    diagnostics.note(Severity::error, "",
                     "found " + std::to_string(text.size()) + " bytes, expected at most " +
                         std::to_string(LoadLimits::kMaxTextBytes) +
                         " (a scenario this large "
                         "is a mistake)");
    return false;
  }
  if (const auto at = scenario_detail::nesting_deeper_than(text, LoadLimits::kMaxDepth)) {
    diagnostics.malformed(*at, "objects and arrays nested deeper than " +
                                   std::to_string(LoadLimits::kMaxDepth) + " levels (the limit)");
    return false;
  }
  return true;
}

std::optional<Json> parse_json(std::string_view text, Diagnostics& diagnostics) {
  if (!within_text_limits(text, diagnostics)) return std::nullopt;
  auto parsed = scenario_detail::parse_json_text(text);
  if (auto* root = std::get_if<Json>(&parsed)) return std::move(*root);
  scenario_detail::report_json_error(text, std::get<scenario_detail::JsonParseError>(parsed),
                                     diagnostics);
  return std::nullopt;
}

template <class T>
std::vector<T> values_of(std::vector<scenario_detail::Item<T>>& items) {
  std::vector<T> values;
  for (auto& item : items)
    values.push_back(std::move(item.value));
  return values;
}

Scenario assemble(Draft& draft, std::string_view file_label) {
  Scenario scenario = std::move(draft.scenario);
  scenario.file = std::string(file_label);
  scenario.topics = values_of(draft.topics);
  scenario.producers = values_of(draft.producers);
  scenario.consumers = values_of(draft.consumers);
  scenario.faults = values_of(draft.faults);
  return scenario;
}

}  // namespace

LoadResult load_scenario_text(std::string_view text, std::string_view file_label,
                              const std::vector<std::string>& set_overrides,
                              const LoadLimits& limits) {
  LoadResult result;
  Diagnostics& diagnostics = result.diagnostics;
  std::vector<Override> overrides;
  for (const std::string& text_override : set_overrides) {
    if (auto o = parse_override(text_override, diagnostics)) overrides.push_back(*o);
  }
  std::optional<Json> root = parse_json(text, diagnostics);
  if (!root) return result;
  for (const Override& o : overrides)
    scenario_detail::apply_override(*root, o, diagnostics);
  Draft draft;
  scenario_detail::read_top_level(*root, draft, diagnostics);
  if (!root->is_object()) return result;
  scenario_detail::check_names(draft, diagnostics);
  scenario_detail::check_topics(draft, diagnostics);
  scenario_detail::check_clients(draft, diagnostics);
  scenario_detail::check_faults(draft, diagnostics);
  scenario_detail::check_network(draft, diagnostics);
  scenario_detail::check_limits(draft, limits, diagnostics);
  if (!diagnostics.has_errors()) result.scenario = assemble(draft, file_label);
  return result;
}

LoadResult load_scenario_file(const std::filesystem::path& file,
                              const std::vector<std::string>& set_overrides,
                              const LoadLimits& limits) {
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(file, ec)) {
    LoadResult result;
    result.diagnostics.note(Severity::error, "", "cannot read the file");
    return result;
  }
  // Read at most one byte more than the limit (the file may be a pipe, whose size is unknown
  // in advance): a huge file is refused without being held in memory.
  std::string text;
  char chunk[1 << 16];
  while (text.size() <= LoadLimits::kMaxTextBytes && in) {
    in.read(chunk, sizeof chunk);
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  return load_scenario_text(text, file.string(), set_overrides, limits);
}

}  // namespace kafkasim
