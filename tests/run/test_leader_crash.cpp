// The flagship scenario end to end: the leader of orders-0 crashes under load. Kafka users know
// the outcome: acks=1 loses acknowledged writes that the crashed leader never replicated;
// acks=all with min.insync.replicas=2, and the sync mode, lose none.
#include <doctest/doctest.h>

#include <string>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/report.h"
#include "kafkasim/scenario/loader.h"

using namespace kafkasim;

namespace {
Scenario flagship() {
  const LoadResult loaded =
      load_scenario_file(std::string(KAFKASIM_SOURCE_DIR) + "/scenarios/leader-crash.json");
  REQUIRE(loaded.ok());
  return *loaded.scenario;
}
}  // namespace

TEST_CASE("leader crash: async loses acknowledged messages, isr and sync lose none") {
  const Scenario scenario = flagship();
  const RunResult async = run_scenario(scenario, AckMode::async, 1);
  const RunResult isr = run_scenario(scenario, AckMode::isr, 1);
  const RunResult sync = run_scenario(scenario, AckMode::sync, 1);
  CHECK(async.produced > 200000);
  CHECK(async.produced == isr.produced);  // the same workload in every mode
  CHECK(async.produced == sync.produced);
  CHECK(async.lost_acknowledged > 0);
  CHECK(isr.lost_acknowledged == 0);
  CHECK(sync.lost_acknowledged == 0);
  // Every loss is explained.
  REQUIRE_FALSE(async.lost_examples.empty());
  for (const LostExample& e : async.lost_examples) {
    CHECK(e.partition == "orders-0");
    CHECK_FALSE(e.removed_by.empty());
  }
  // The crash is detected by the ZooKeeper session timeout (6 s): the partition is offline
  // about that long, and one leader election moves it.
  CHECK(async.offline_ms > 5000);
  CHECK(async.offline_ms < 8000);
  CHECK(async.leader_elections >= 1);
  // acks=1 answers before replication; acks=all waits for the ISR.
  CHECK(async.latency.p50_ms < isr.latency.p50_ms);
}

TEST_CASE("the same scenario and seed give the same report, byte for byte") {
  const Scenario scenario = flagship();
  const std::vector<RunResult> first{run_scenario(scenario, AckMode::async, 3)};
  const std::vector<RunResult> second{run_scenario(scenario, AckMode::async, 3)};
  CHECK(report_json(scenario, first, 3, 1).dump() == report_json(scenario, second, 3, 1).dump());
  const std::vector<RunResult> other{run_scenario(scenario, AckMode::async, 4)};
  CHECK(report_json(scenario, first, 3, 1).dump() != report_json(scenario, other, 3, 1).dump());
}
