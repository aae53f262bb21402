// The one table of Kafka settings by their Kafka names: for each scope, every setting the
// model simulates (its JSON type, range and the typed field it fills) and the real Kafka
// settings it does not simulate (accepted with a warning). The loader, the JSON Schema test
// and the documentation all read it, so they cannot drift apart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kafkasim {

enum class ConfigScope { broker, topic, producer, consumer };

std::string_view to_string(ConfigScope scope);

/// How a setting is written in JSON.
enum class ConfigValueType {
  int32,    // a JSON integer in [min, max]
  int64,    // a JSON integer in [min, max]; 9223372036854775807 is allowed
  boolean,  // true or false
  choice,   // a string, one of `choices`
  acks,     // "all", "-1", "0", "1" or the integers -1, 0, 1
};

struct ConfigKeyInfo {
  std::string_view name;
  ConfigValueType type = ConfigValueType::int32;
  std::int64_t min = 0;
  std::int64_t max = 0;
  bool nullable = false;  // JSON null allowed (log.flush.interval.ms)
  std::vector<std::string_view> choices;
  /// Kafka's default as JSON text ("1", "false", "\"range\""), or "null"; for topic settings,
  /// the broker setting it falls back to ("broker's min.insync.replicas").
  std::string default_json;
  std::string_view doc;
};

/// The settings of a scope that the model simulates, in table order.
std::vector<std::string_view> modeled_config_names(ConfigScope scope);

/// The real Kafka settings of a scope that the model accepts but ignores, sorted.
std::vector<std::string_view> known_unmodeled_config_names(ConfigScope scope);

/// Full description of every simulated setting of a scope, in table order.
std::vector<ConfigKeyInfo> modeled_config_keys(ConfigScope scope);

}  // namespace kafkasim
