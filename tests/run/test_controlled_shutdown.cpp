// Controlled shutdown (KafkaServer.controlledShutdown, KafkaController.doControlledShutdown) in
// the two situations the swarm test found wrong: a controller whose cached ISR is stale, and a
// shutdown that cannot move leadership and so spends its attempts. The timeline says how each
// shutdown ended.
#include <doctest/doctest.h>

#include <string>

#include "kafkasim/run/cluster_run.h"
#include "scenario_fixture.h"

using namespace kafkasim;
using kafkasim::test::load;
using kafkasim::test::timeline_seconds;

TEST_CASE("controlled shutdown: the controller elects from the ISR in ZooKeeper, not its cache") {
  // Both followers of orders-0 freeze 10–11.5 s: the leader, broker-1, shrinks the ISR to itself
  // and, once they fetch again, expands it back to all three. The controller (broker-2) hears of
  // ISR changes only through /isr_change_notification, so at 13 s its cache may still say
  // [broker-1]. Kafka's election reads the partition's state from ZooKeeper first; an election
  // from the cache would find no candidate and leave broker-1 to retry 5 s later.
  const Scenario scenario =
      load("controlled-shutdown",
           {"/cluster/broker_config/replica.lag.time.max.ms=1000",
            R"(/faults=[{"type":"pause","target":"broker-2","at_ms":10000,"until_ms":11500},)"
            R"({"type":"pause","target":"broker-3","at_ms":10000,"until_ms":11500},)"
            R"({"type":"shutdown","target":"broker-1","at_ms":13000,"until_ms":25000}])"});
  const RunResult run = run_scenario(scenario, AckMode::isr, 1);
  REQUIRE(timeline_seconds(run, "broker-1 shrank the ISR of orders-0") > 10.0);
  REQUIRE(timeline_seconds(run, "to [broker-1, broker-3, broker-2]") > 11.5);
  const double moved = timeline_seconds(run, "(controlled shutdown, leader epoch 1");
  CHECK(moved >= 13.0);
  CHECK(moved < 13.1);  // the first attempt succeeds: a few ms, not a 5 s backoff
  CHECK(run.lost_acknowledged == 0);
  CHECK(run.offline_ms == 0);
  CHECK(timeline_seconds(
            run, "broker-1 stops: its controlled shutdown succeeded after 1 attempt,") < 13.1);
}

TEST_CASE("controlled shutdown: controlled.shutdown.max.retries attempts, then an unclean stop") {
  // Links from the leader to its followers get 2 s slower at 5 s; with min.insync.replicas=1
  // the producer keeps writing, so the followers never catch up and the ISR stays [broker-1]:
  // no replica can take over. Each attempt is a 4 s round trip to the controller (broker-2, over
  // the slow link) and a 5 s backoff (controlled.shutdown.retry.backoff.ms); Kafka makes
  // max.retries = 3 attempts in all, then stops the broker anyway, at 12 + 3 × 9 = 39 s. Its
  // partition goes offline then: its only ISR member is gone and unclean election is off.
  const Scenario scenario =
      load("controlled-shutdown",
           {"/duration_ms=70000", "/cluster/broker_config/replica.lag.time.max.ms=1000",
            "/cluster/broker_config/min.insync.replicas=1",
            R"(/faults=[{"type":"delay","between":["broker-1","broker-2"],"extra_ms":2000,)"
            R"("at_ms":5000,"until_ms":70000},)"
            R"({"type":"delay","between":["broker-1","broker-3"],"extra_ms":2000,)"
            R"("at_ms":5000,"until_ms":70000},)"
            R"({"type":"shutdown","target":"broker-1","at_ms":12000,"until_ms":60000}])"});
  const RunResult run = run_scenario(scenario, AckMode::isr, 1);
  REQUIRE(timeline_seconds(run, "to [broker-1] (not caught up") > 5.0);
  CHECK(timeline_seconds(run,
                         "broker-1 gives up its controlled shutdown after 3 attempts "
                         "(controlled.shutdown.max.retries) and stops anyway, still leading "
                         "1 partition(s)") > 39.0);
  const double offline = timeline_seconds(run, "orders-0 -> no leader (offline");
  CHECK(offline > 39.0);
  CHECK(offline < 39.1);
  CHECK(timeline_seconds(run, "orders-0 -> broker-1 (clean, leader epoch 2") >= 60.0);
  CHECK(run.offline_ms > 20900);  // 39 s to 60 s
  CHECK(run.offline_ms < 21100);
}

TEST_CASE("controlled shutdown: an unanswered request times out after request.timeout.ms") {
  // broker-1 cannot reach the controller (broker-2) from 9 s: the network drops what it sends
  // there without a word. Each attempt waits request.timeout.ms (30 s) for an answer
  // (NetworkClientUtils.sendAndReceive), then the backoff (5 s): after 3 attempts broker-1
  // stops anyway, at 10 + 3 × 35 = 115 s, and the controller fails it over from its session.
  // Without the time-out the broker would wait for an answer forever and never stop.
  const Scenario scenario =
      load("controlled-shutdown",
           {"/duration_ms=150000",
            R"(/faults=[{"type":"partition","sides":[["broker-1"],["broker-2"]],"at_ms":9000,)"
            R"("until_ms":150000},{"type":"shutdown","target":"broker-1","at_ms":10000,)"
            R"("until_ms":150000}])"});
  const RunResult run = run_scenario(scenario, AckMode::isr, 1);
  const double stopped = timeline_seconds(
      run,
      "broker-1 gives up its controlled shutdown after 3 attempts "
      "(controlled.shutdown.max.retries) and stops anyway, never answered by the controller");
  CHECK(stopped > 115.0);
  CHECK(stopped < 115.1);
  CHECK(timeline_seconds(run, "orders-0 -> broker-3 (clean, leader epoch 1") > 115.0);
  CHECK(run.lost_acknowledged == 0);
}
