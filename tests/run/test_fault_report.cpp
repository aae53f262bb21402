// The report's list of faults (for plots): every fault type's node fields as the scenario writes
// them, and until_ms filled in and capped at duration_ms.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "kafkasim/run/cluster_run.h"
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

TEST_CASE("fault_nodes: the node each fault hit, a role resolved when the fault starts") {
  // leader-crash: broker-1 leads orders-0 when it is crashed at 10 s; the partition at 50 s
  // names its sides as written. A pause of the controller at 5 s hits the controller then, and
  // a crash of leader-of:orders-0 at 20 s, while the partition has no leader (broker-1 is down
  // and its session has not expired yet), finds no node.
  const std::string extra = R"([
    {"type": "crash", "target": "leader-of:orders-0", "at_ms": 10000, "until_ms": 40000},
    {"type": "partition", "sides": [["broker-2"], ["broker-1", "broker-3", "zookeeper"]],
     "at_ms": 50000, "until_ms": 53000},
    {"type": "pause", "target": "controller", "at_ms": 5000, "until_ms": 5100},
    {"type": "crash", "target": "leader-of:orders-0", "at_ms": 11000, "until_ms": 12000}])";
  const LoadResult loaded = load_scenario_file(
      std::string(KAFKASIM_SOURCE_DIR) + "/scenarios/leader-crash.json", {"/faults=" + extra});
  REQUIRE(loaded.ok());
  const RunResult r = run_scenario(*loaded.scenario, AckMode::async, loaded.scenario->seed);
  REQUIRE(r.fault_nodes.size() == 4);
  CHECK(r.fault_nodes[0] == std::vector<std::string>{"broker-1"});
  CHECK(r.fault_nodes[1].empty());
  REQUIRE(r.fault_nodes[2].size() == 1);
  CHECK(r.fault_nodes[2][0].rfind("broker-", 0) == 0);
  CHECK(r.fault_nodes[3].empty());
}
