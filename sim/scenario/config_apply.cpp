// Filling typed configs from JSON objects of Kafka names, and describing the table to the
// schema test and the documentation. A modeled name is read and range-checked; a real but
// unmodeled Kafka name is a warning; anything else is an error with the nearest valid name.
#include <algorithm>
#include <limits>

#include "config_entries.h"
#include "config_parse.h"
#include "kafkasim/scenario/config_table.h"
#include "kafkasim/scenario/json_pointer.h"
#include "kafkasim/scenario/nearest_name.h"

namespace kafkasim {

namespace scenario_detail {

namespace {

std::int64_t ns_per(Unit unit) {
  return unit == Unit::seconds ? 1'000'000'000 : 1'000'000;
}

// Kafka's Long.MaxValue ms means "never": saturate instead of overflowing nanoseconds.
Duration to_duration(std::int64_t count, Unit unit) {
  const std::int64_t scale = ns_per(unit);
  if (count > std::numeric_limits<std::int64_t>::max() / scale) return Duration::max();
  return Duration(count * scale);
}

struct Target {
  const Json& value;
  const std::string& pointer;
  Diagnostics& diagnostics;
  std::int64_t min;
  std::int64_t max;
  Unit unit;

  std::optional<std::int64_t> integer() const {
    return read_integer(value, pointer, diagnostics, min, max);
  }
};

bool assign(std::int32_t& field, const Target& t) {
  const auto v = t.integer();
  if (v) field = static_cast<std::int32_t>(*v);
  return v.has_value();
}

bool assign(std::int64_t& field, const Target& t) {
  const auto v = t.integer();
  if (v) field = *v;
  return v.has_value();
}

bool assign(bool& field, const Target& t) {
  const auto v = read_bool(t.value, t.pointer, t.diagnostics);
  if (v) field = *v;
  return v.has_value();
}

bool assign(Duration& field, const Target& t) {
  const auto v = t.integer();
  if (v) field = to_duration(*v, t.unit);
  return v.has_value();
}

bool assign(AckMode& field, const Target& t) {
  // Kafka's acks is a string ("all", "-1", "0", "1"); people also write the number.
  std::optional<AckMode> mode;
  if (t.value.is_string()) mode = parse_ack_mode(t.value.get<std::string>());
  if (t.value.is_number_integer())
    mode = parse_ack_mode(std::to_string(t.value.get<std::int64_t>()));
  const bool kafka_spelling = t.value.is_number_integer() ||
                              (t.value.is_string() && t.value.get<std::string>().size() <= 3);
  if (!mode || !kafka_spelling || *mode == AckMode::sync) {
    t.diagnostics.error(t.pointer, describe(t.value),
                        expected_choice(kKafkaAcks) + " or the integers -1, 0, 1");
    return false;
  }
  field = *mode;
  return true;
}

bool assign(OffsetReset& field, const Target& t) {
  const auto v = read_choice(t.value, t.pointer, t.diagnostics, kOffsetResets);
  if (v)
    field = *v == "earliest" ? OffsetReset::earliest
            : *v == "latest" ? OffsetReset::latest
                             : OffsetReset::none;
  return v.has_value();
}

bool assign(AssignmentStrategy& field, const Target& t) {
  const auto v = read_choice(t.value, t.pointer, t.diagnostics, kAssignors);
  if (v) {
    // kAssignors lists the short names, then the same three as class names.
    const auto at = std::find(kAssignors.begin(), kAssignors.end(), *v) - kAssignors.begin();
    field = static_cast<AssignmentStrategy>(at % 3);
  }
  return v.has_value();
}

// null sets an optional setting back to "not set" (log.flush.interval.ms's Kafka default;
// for a topic, the broker's value).
template <class V>
bool assign(std::optional<V>& field, const Target& t) {
  if (t.value.is_null()) {
    field.reset();
    return true;
  }
  V v{};
  if (!assign(v, t)) return false;
  // emplace rather than `field = v`: GCC 12 at -O3 warns falsely (stringop-overflow) on the
  // assignment of an optional<bool>.
  field.emplace(v);
  return true;
}

template <class C>
const Entry<C>* find_entry(const std::vector<Entry<C>>& entries, std::string_view name) {
  for (const Entry<C>& e : entries) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

template <class C>
std::vector<std::string_view> entry_names(const std::vector<Entry<C>>& entries) {
  std::vector<std::string_view> names;
  for (const Entry<C>& e : entries)
    names.push_back(e.name);
  return names;
}

template <class C>
ParsedConfig<C> parse_config(ConfigScope scope, const std::vector<Entry<C>>& entries,
                             const Json* value, const std::string& pointer,
                             Diagnostics& diagnostics) {
  ParsedConfig<C> parsed;
  if (value == nullptr) return parsed;
  if (!value->is_object()) {
    diagnostics.error(pointer, describe(*value),
                      "an object of Kafka " + std::string(to_string(scope)) + " settings");
    return parsed;
  }
  const std::vector<std::string_view> known = known_unmodeled_config_names(scope);
  std::vector<std::string_view> candidates = entry_names(entries);
  candidates.insert(candidates.end(), known.begin(), known.end());
  for (const auto& [name, v] : value->items()) {
    const std::string at = pointer_child(pointer, name);
    if (const Entry<C>* e = find_entry(entries, name)) {
      const Target target{v, at, diagnostics, e->min, e->max, e->unit};
      const bool ok =
          std::visit([&](auto member) { return assign(parsed.config.*member, target); }, e->field);
      if (ok) parsed.explicitly_set.insert(name);
    } else if (std::binary_search(known.begin(), known.end(), std::string_view(name))) {
      diagnostics.note(Severity::warning, at, "known Kafka setting, not simulated: ignored");
    } else {
      diagnostics.unknown_key(at, name, nearest_name(name, candidates));
    }
  }
  return parsed;
}

}  // namespace

ParsedConfig<BrokerConfig> parse_broker_config(const Json* value, const std::string& pointer,
                                               Diagnostics& diagnostics) {
  return parse_config(ConfigScope::broker, broker_entries(), value, pointer, diagnostics);
}

ParsedConfig<TopicConfig> parse_topic_config(const Json* value, const std::string& pointer,
                                             Diagnostics& diagnostics) {
  return parse_config(ConfigScope::topic, topic_entries(), value, pointer, diagnostics);
}

ParsedConfig<ProducerConfig> parse_producer_config(const Json* value, const std::string& pointer,
                                                   Diagnostics& diagnostics) {
  return parse_config(ConfigScope::producer, producer_entries(), value, pointer, diagnostics);
}

ParsedConfig<ConsumerConfig> parse_consumer_config(const Json* value, const std::string& pointer,
                                                   Diagnostics& diagnostics) {
  return parse_config(ConfigScope::consumer, consumer_entries(), value, pointer, diagnostics);
}

}  // namespace scenario_detail

}  // namespace kafkasim
