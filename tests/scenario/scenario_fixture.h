// A small valid scenario for the loader tests, and helpers to break it one key at a time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "kafkasim/scenario/loader.h"

namespace kafkasim::test {

inline nlohmann::json valid_scenario() {
  return nlohmann::json::parse(R"({
    "name": "fixture",
    "duration_ms": 60000,
    "cluster": {"brokers": 3},
    "topics": [
      {"name": "orders", "partitions": 1, "replication_factor": 3},
      {"name": "my-topic", "partitions": 4, "replication_factor": 2}
    ],
    "producers": [{"name": "app", "topic": "orders", "rate_per_s": 100}],
    "consumers": [{"group": "billing", "topic": "my-topic", "members": 2}],
    "faults": [{"type": "crash", "target": "leader-of:orders-0", "at_ms": 10000, "until_ms": 20000}]
  })");
}

inline LoadResult load(const nlohmann::json& scenario, const std::vector<std::string>& sets = {}) {
  return load_scenario_text(scenario.dump(2), "test.json", sets);
}

/// The first diagnostic at `pointer`, or nullptr.
inline const Diagnostic* at(const LoadResult& result, std::string_view pointer) {
  for (const Diagnostic& d : result.diagnostics.items()) {
    if (d.pointer == pointer) return &d;
  }
  return nullptr;
}

/// All diagnostics, formatted, for failure messages.
inline std::string all(const LoadResult& result) {
  return format_all(result.diagnostics, "test.json");
}

/// Expects exactly one error, at `pointer`, and returns its formatted line.
inline std::string single_error(const LoadResult& result, std::string_view pointer) {
  INFO(all(result));
  CHECK(result.diagnostics.error_count() == 1);
  const Diagnostic* d = at(result, pointer);
  REQUIRE(d != nullptr);
  CHECK(d->severity == Severity::error);
  CHECK_FALSE(result.ok());
  return format(*d, "test.json");
}

}  // namespace kafkasim::test
