// The timeline of the flagship scenario (issue 5 item 1, SPEC.md "--timeline"): a student must be
// able to retell the story from it. It names the crash, the ZooKeeper session expiry that lets the
// controller act, the clean election and why that replica, the truncation that removes the
// acknowledged records in acks=1 (and none in acks=all), and each mode's verdict.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/report.h"
#include "kafkasim/scenario/loader.h"
#include "scenario_fixture.h"

using namespace kafkasim;
using kafkasim::test::find_line;
using kafkasim::test::load;

TEST_CASE("leader-crash timeline: the crash, the expiry, the election and the loss, in order") {
  const Scenario scenario = load("leader-crash");
  const RunResult async = run_scenario(scenario, AckMode::async, 1);
  const RunResult isr = run_scenario(scenario, AckMode::isr, 1);
  for (const RunResult* run : {&async, &isr}) {
    // The fault at its scenario time, naming the partition the broker led.
    const int crash = find_line(*run, {"10.000 s", "broker-1 (it led orders-0) crashed"});
    // ZooKeeper's side: the session times out 6 s later (zookeeper.session.timeout.ms).
    const int expiry = find_line(*run, {"16.000 s", "ZooKeeper expired the session of broker-1"});
    // The controller's clean election, and why broker-3: the first live ISR replica.
    const int election = find_line(
        *run, {"orders-0 -> broker-3 (clean, leader epoch 1", "first live replica of the ISR"});
    REQUIRE(crash >= 0);
    REQUIRE(expiry > crash);
    REQUIRE(election > expiry);
    // broker-2 had more of broker-1's log than broker-3 and truncates to the new leader.
    CHECK(find_line(*run, {"broker-2 truncated", "of orders-0", "KIP-101"}) > election);
    CHECK(find_line(*run, {"broker-1 restarted"}) > election);
  }
  // The loss: in acks=1 the truncated records had been acknowledged; in acks=all none had.
  CHECK(find_line(async, {"broker-2 truncated", "0 of them acknowledged"}) < 0);
  CHECK(find_line(async, {"broker-2 truncated", "of them acknowledged to the producer"}) >= 0);
  CHECK(find_line(isr, {"broker-2 truncated", "; 0 of them acknowledged"}) >= 0);
  const std::string story = timelines({async, isr});
  CHECK(story.find("verdict, acks=async: " + std::to_string(async.lost_acknowledged) + " of " +
                   std::to_string(async.acknowledged) + " acknowledged message(s) LOST") !=
        std::string::npos);
  CHECK(story.find("verdict, acks=isr: no acknowledged message lost") != std::string::npos);
  // The verdict says when the lost records were acknowledged: just before the crash.
  REQUIRE(async.partitions.size() == 1);
  CHECK(async.partitions[0].lost_acknowledged_from_ms > 9000);
  CHECK(async.partitions[0].lost_acknowledged_to_ms <= 10000);
  CHECK(story.find("orders-0: " + std::to_string(async.lost_acknowledged) +
                   " lost, acknowledged between ") != std::string::npos);
}

TEST_CASE("timeline: the lost records' truncation counts them as acknowledged") {
  // Every acknowledged record lost in leader-crash under acks=1 was removed by broker-1's
  // truncation when it came back (it held them all); the line counts exactly those.
  const RunResult async = run_scenario(load("leader-crash"), AckMode::async, 1);
  REQUIRE(async.lost_acknowledged > 0);
  CHECK(find_line(async, {"broker-1 truncated", "; " + std::to_string(async.lost_acknowledged) +
                                                    " of them acknowledged"}) >= 0);
}

TEST_CASE("timeline: a power loss reads cause first, then the truncation it causes") {
  const RunResult run = run_scenario(load("power-loss"), AckMode::isr, 1);
  const int fault = find_line(run, {"broker-1", "lost power"});
  const int truncation = find_line(run, {"broker-1 truncated", "neither fsynced"});
  REQUIRE(fault >= 0);
  CHECK(truncation > fault);
}

TEST_CASE("timeline: a controller election names the controller it replaces") {
  const RunResult run = run_scenario(load("controller-failover"), AckMode::isr, 1);
  CHECK(find_line(run, {"broker-3 became controller (controller epoch 2)",
                        "the previous controller was broker-2"}) >= 0);
}

TEST_CASE("timeline: an ISR shrink says why, and the first NOT_ENOUGH_REPLICAS is told once") {
  const RunResult run = run_scenario(load("unclean-election-min-isr-2"), AckMode::isr, 1);
  CHECK(find_line(run, {"broker-1 shrank the ISR of orders-0", "replica.lag.time.max.ms"}) >= 0);
  int refusals = 0;
  for (const std::string& line : run.timeline)
    refusals += line.find("NOT_ENOUGH_REPLICAS") != std::string::npos ? 1 : 0;
  CHECK(refusals == 1);
}
