// Hostile input (issue 6): sizes that would exhaust memory or time are refused by the loader,
// before anything is allocated for a run, with the file, the JSON Pointer (or line and column)
// and what was expected; the message count has an override.
#include <doctest/doctest.h>

#include <string>

#include "scenario_fixture.h"

using namespace kafkasim;
using namespace kafkasim::test;

TEST_CASE("nesting deeper than 64 levels is refused before parsing, at its line and column") {
  const std::string deep = "{\"name\": \"x\",\n \"description\": " + std::string(100000, '[');
  const LoadResult result = load_scenario_text(deep, "deep.json");
  REQUIRE(result.diagnostics.error_count() == 1);
  CHECK(format_all(result.diagnostics, "deep.json") ==
        "deep.json:2:80: malformed JSON: objects and arrays nested deeper than 64 levels (the "
        "limit)\n");
  // Brackets inside strings are text, not nesting.
  auto valid = valid_scenario();
  valid["description"] = std::string(1000, '[') + "\\\"" + std::string(1000, '{');
  CHECK(load(valid).ok());
}

TEST_CASE("a text over 16 MiB is refused without being parsed") {
  const std::string huge = "{\"name\": \"" + std::string(LoadLimits::kMaxTextBytes, 'x') + "\"}";
  const LoadResult result = load_scenario_text(huge, "huge.json");
  REQUIRE(result.diagnostics.error_count() == 1);
  CHECK(format_all(result.diagnostics, "huge.json").find("expected at most 16777216") !=
        std::string::npos);
}

TEST_CASE("--set values and pointers are bounded like a file") {
  const LoadResult deep_value = load(valid_scenario(), {"/description=" + std::string(1000, '[')});
  CHECK_FALSE(deep_value.ok());
  std::string long_pointer;
  for (int i = 0; i < 100; ++i)
    long_pointer += "/a";
  const LoadResult deep_pointer = load(valid_scenario(), {long_pointer + "=1"});
  CHECK_FALSE(deep_pointer.ok());
  CHECK(all(deep_pointer).find("--set with a pointer of 100 tokens") != std::string::npos);
}

TEST_CASE("messages per run (rate x sending time) above the limit: an error, or an override") {
  auto s = valid_scenario();
  s["duration_ms"] = 1e9;  // 11.6 days at 1000 messages/s = 1e9 messages
  s["producers"][0]["rate_per_s"] = 1000;
  s["producers"][0]["rate_changes"] = {{{"at_ms", 5e8}, {"rate_per_s", 1}}};
  // 5e8 ms at 1000/s + 5e8 ms at 1/s = 5.005e8 messages.
  CHECK(single_error(load(s), "/producers") ==
        "test.json: /producers: found 5.005e+08 messages per run (rate_per_s x sending time, "
        "summed), expected at most 1e+08 (each costs memory and time; --max-messages N raises "
        "the limit)");
  LoadLimits raised;
  raised.max_messages = 1e9;
  CHECK(load_scenario_text(s.dump(), "test.json", {}, raised).ok());
  // stop_ms bounds the sending time.
  s["producers"][0]["stop_ms"] = 1000;
  CHECK(load(s).ok());
}

TEST_CASE("partition replicas, broker lists and DIST parameters are bounded") {
  auto replicas = valid_scenario();
  replicas["topics"][0]["partitions"] = 10000;
  replicas["topics"][1]["partitions"] = 10000;
  replicas["cluster"]["brokers"] = 1000;
  replicas["topics"][0]["replication_factor"] = 15;
  replicas["topics"][1]["replication_factor"] = 15;
  CHECK(single_error(load(replicas), "/topics/1/partitions").find("at most 200000") !=
        std::string::npos);

  auto brokers = valid_scenario();
  brokers["cluster"]["brokers"] = nlohmann::json::array();
  for (int id = 1; id <= 1001; ++id)
    brokers["cluster"]["brokers"].push_back({{"id", id}});
  CHECK(single_error(load(brokers), "/cluster/brokers") ==
        "test.json: /cluster/brokers: found a list of 1001, expected at most 1000 brokers");

  auto dist = valid_scenario();
  dist["network"] = {{"latency_ms", {{"dist", "lognormal"}, {"median", 1}, {"sigma", 1e300}}}};
  CHECK(single_error(load(dist), "/network/latency_ms/sigma") ==
        "test.json: /network/latency_ms/sigma: found 1e+300, expected at most 1e12");
  dist["network"] = {{"latency_ms", 1e13}};
  CHECK_FALSE(load(dist).ok());
}
