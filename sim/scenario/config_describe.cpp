// The table of simulated settings as plain data (config_table.h), for the JSON Schema test
// and for documentation: names, JSON types, ranges and Kafka's defaults.
#include <limits>

#include "config_entries.h"
#include "kafkasim/scenario/config_table.h"

namespace kafkasim {

namespace {

using scenario_detail::Entry;
using scenario_detail::Unit;

std::string default_text(std::int32_t v, Unit) {
  return std::to_string(v);
}
std::string default_text(std::int64_t v, Unit) {
  return std::to_string(v);
}
std::string default_text(bool v, Unit) {
  return v ? "true" : "false";
}
std::string default_text(Duration v, Unit unit) {
  if (v == Duration::max()) return std::to_string(std::numeric_limits<std::int64_t>::max());
  const std::int64_t per = unit == Unit::seconds ? 1'000'000'000 : 1'000'000;
  return std::to_string(v.count() / per);
}
std::string default_text(AckMode v, Unit) {
  return v == AckMode::none ? "\"0\"" : v == AckMode::async ? "\"1\"" : "\"all\"";
}
std::string default_text(OffsetReset v, Unit) {
  return "\"" + std::string(to_string(v)) + "\"";
}
std::string default_text(AssignmentStrategy v, Unit) {
  return "\"" + std::string(to_string(v)) + "\"";
}
template <class V>
std::string default_text(const std::optional<V>& v, Unit unit) {
  return v ? default_text(*v, unit) : "null";
}

// The JSON type and choices of a field, told by its C++ type.
struct TypeOf {
  ConfigKeyInfo& info;
  void operator()(std::int32_t) const { info.type = ConfigValueType::int32; }
  void operator()(std::int64_t) const { info.type = ConfigValueType::int64; }
  void operator()(bool) const { info.type = ConfigValueType::boolean; }
  void operator()(Duration) const {
    info.type = info.max > std::numeric_limits<std::int32_t>::max() ? ConfigValueType::int64
                                                                    : ConfigValueType::int32;
  }
  void operator()(AckMode) const { info.type = ConfigValueType::acks; }
  void operator()(OffsetReset) const {
    info.type = ConfigValueType::choice;
    info.choices = scenario_detail::kOffsetResets;
  }
  void operator()(AssignmentStrategy) const {
    info.type = ConfigValueType::choice;
    info.choices = scenario_detail::kAssignors;
  }
  template <class V>
  void operator()(const std::optional<V>&) const {
    info.nullable = true;
    (*this)(V{});
  }
};

template <class C>
std::vector<ConfigKeyInfo> describe_entries(const std::vector<Entry<C>>& entries) {
  static const C defaults{};
  std::vector<ConfigKeyInfo> infos;
  for (const Entry<C>& e : entries) {
    ConfigKeyInfo info;
    info.name = e.name;
    info.min = e.min;
    info.max = e.max;
    info.doc = e.doc;
    std::visit(
        [&](auto member) {
          TypeOf{info}(defaults.*member);
          info.default_json = default_text(defaults.*member, e.unit);
        },
        e.field);
    infos.push_back(std::move(info));
  }
  return infos;
}

}  // namespace

std::string_view to_string(ConfigScope scope) {
  switch (scope) {
    case ConfigScope::broker:
      return "broker";
    case ConfigScope::topic:
      return "topic";
    case ConfigScope::producer:
      return "producer";
    case ConfigScope::consumer:
      return "consumer";
  }
  return "?";
}

std::vector<ConfigKeyInfo> modeled_config_keys(ConfigScope scope) {
  switch (scope) {
    case ConfigScope::broker:
      return describe_entries(scenario_detail::broker_entries());
    case ConfigScope::topic:
      return describe_entries(scenario_detail::topic_entries());
    case ConfigScope::producer:
      return describe_entries(scenario_detail::producer_entries());
    case ConfigScope::consumer:
      return describe_entries(scenario_detail::consumer_entries());
  }
  return {};
}

std::vector<std::string_view> modeled_config_names(ConfigScope scope) {
  std::vector<std::string_view> names;
  for (const ConfigKeyInfo& info : modeled_config_keys(scope))
    names.push_back(info.name);
  return names;
}

}  // namespace kafkasim
