// The report's list of faults (for plots): every fault type's node fields as the scenario writes
// them, and until_ms filled in and capped at duration_ms.
#include <doctest/doctest.h>

#include <string>

#include "kafkasim/run/fault_report.h"
#include "kafkasim/scenario/loader.h"

using namespace kafkasim;

TEST_CASE("faults_json: type, node fields, at_ms and until_ms (defaulted and capped)") {
  const std::string faults = R"([
    {"type": "crash", "target": "leader-of:orders-0", "power_loss": true, "at_ms": 1000,
     "until_ms": 99000},
    {"type": "partition", "sides": [["broker-2"], ["broker-1", "zookeeper"]], "at_ms": 2000,
     "until_ms": 3000},
    {"type": "delay", "between": ["broker-1", "broker-3"], "extra_ms": 5, "at_ms": 2500},
    {"type": "pause", "target": "controller", "at_ms": 4000, "until_ms": 4500}])";
  const LoadResult loaded = load_scenario_file(
      std::string(KAFKASIM_SOURCE_DIR) + "/scenarios/leader-crash.json",
      {"/duration_ms=10000", "/producers/0/rate_changes=[]", "/faults=" + faults});
  REQUIRE(loaded.ok());
  const nlohmann::ordered_json list = faults_json(*loaded.scenario);
  REQUIRE(list.size() == 4);
  CHECK(list[0].dump() ==
        R"({"type":"crash","target":"leader-of:orders-0","power_loss":true,"at_ms":1000.0,)"
        R"("until_ms":10000.0})");
  CHECK(list[1].dump() ==
        R"({"type":"partition","sides":[["broker-2"],["broker-1","zookeeper"]],"at_ms":2000.0,)"
        R"("until_ms":3000.0})");
  CHECK(list[2].dump() ==
        R"({"type":"delay","between":["broker-1","broker-3"],"at_ms":2500.0,"until_ms":10000.0})");
  CHECK(list[3].dump() ==
        R"({"type":"pause","target":"controller","at_ms":4000.0,"until_ms":4500.0})");
}
