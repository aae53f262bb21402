// The `consumers` section (SPEC.md "consumers[]").
#include <limits>

#include "config_parse.h"
#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

// Each member is a simulated client; more than this is a typo.
constexpr std::int64_t kMaxMembers = 1000;

Item<ConsumerGroupSpec> read_group(const Json& value, const std::string& pointer,
                                   Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  const ObjectReader reader(
      value, pointer, diagnostics,
      {"group", "topic", "members", "processing_ms", "start_ms", "config", "coordination"});
  Item<ConsumerGroupSpec> item{{}, pointer, false};
  if (!reader.is_object()) return item;
  ConsumerGroupSpec& g = item.value;
  if (auto v = reader.string("group", Need::required)) g.group = *v;
  if (g.group.empty() && reader.find("group")) {
    diagnostics.error(reader.pointer_of("group"), "\"\"", "a non-empty group name");
  }
  if (auto v = reader.string("topic", Need::required)) g.topic = *v;
  if (auto v = reader.integer("members", 1, kMaxMembers)) g.members = static_cast<std::int32_t>(*v);
  if (auto v = reader.dist("processing_ms")) g.processing_ms = *v;
  if (auto v = reader.instant_ms("start_ms")) g.start = *v;
  if (auto v = reader.choice("coordination", {"coordinator", "zookeeper"})) {
    g.coordination =
        *v == "coordinator" ? GroupCoordination::coordinator : GroupCoordination::zookeeper;
  }
  g.config =
      parse_consumer_config(reader.find("config"), reader.pointer_of("config"), diagnostics).config;
  item.complete = no_new_errors(diagnostics, errors_before);
  return item;
}

}  // namespace

void read_consumers(const Json* value, Draft& draft, Diagnostics& diagnostics) {
  const Json* groups = as_array(value, "/consumers", diagnostics, "a list of consumer groups");
  if (groups == nullptr) return;
  for (std::size_t i = 0; i < groups->size(); ++i) {
    draft.consumers.push_back(
        read_group((*groups)[i], pointer_child("/consumers", i), diagnostics));
  }
}

}  // namespace kafkasim::scenario_detail
