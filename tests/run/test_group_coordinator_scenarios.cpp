// Consumer groups run by Kafka 2.4's group coordinator (consumers[].coordination "coordinator"),
// end to end, against the ZooKeeper consumer where the issue compares them. Each case is named
// after the rule it checks (GroupCoordinator.scala, AbstractCoordinator.java, 2.4).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "kafkasim/run/cluster_run.h"
#include "scenario_fixture.h"

using namespace kafkasim;
using kafkasim::test::find_line;
using kafkasim::test::load;
using kafkasim::test::timeline_count;
using kafkasim::test::timeline_has;
using kafkasim::test::timeline_seconds;

namespace {

RunResult run(const std::string& name, const std::vector<std::string>& sets = {}) {
  const Scenario scenario = load(name, sets);
  return run_scenario(scenario, AckMode::isr, scenario.seed);
}

}  // namespace

TEST_CASE(
    "InitialDelayedJoin: an empty group's first rebalance waits group.initial.rebalance.delay.ms") {
  // One member: its join completes group.initial.rebalance.delay.ms (3 s) after it came.
  const RunResult one =
      run("consumer-crash-coordinator", {"/consumers/0/members=1", "/faults/0/target=billing-0"});
  const double first = timeline_seconds(one, "completes the join of generation 1");
  REQUIRE(first >= 0);
  CHECK(first >= 3.0);
  CHECK(first < 3.1);
  // A second member joined meanwhile (newMemberAdded): InitialDelayedJoin waits once more.
  const RunResult two = run("consumer-crash-coordinator");
  const double second = timeline_seconds(two, "completes the join of generation 1");
  CHECK(second >= 6.0);
  CHECK(second < 6.1);
  // ... but never past the rebalance timeout (max.poll.interval.ms): with 2 s, at 3 s.
  const RunResult capped =
      run("consumer-crash-coordinator", {"/consumers/0/config/max.poll.interval.ms=2000"});
  const double at_cap = timeline_seconds(capped, "completes the join of generation 1");
  CHECK(at_cap >= 3.0);
  CHECK(at_cap < 3.1);
  const RunResult shorter = run("consumer-crash-coordinator",
                                {"/cluster/broker_config/group.initial.rebalance.delay.ms=0"});
  CHECK(timeline_seconds(shorter, "completes the join of generation 1") < 0.1);
}

TEST_CASE(
    "DelayedHeartbeat: a crashed member is removed after session.timeout.ms, then its partitions "
    "move") {
  // billing-1 crashes at 12.5 s; the coordinator hears nothing from it for session.timeout.ms
  // (10 s) from its last heartbeat (at most heartbeat.interval.ms, 3 s, before the crash).
  const RunResult r = run("consumer-crash-coordinator");
  const double expired = timeline_seconds(r, "no heartbeat within its session timeout");
  REQUIRE(expired > 0);
  CHECK(expired >= 12.5 + 10 - 3);
  CHECK(expired <= 12.5 + 10);
  REQUIRE(r.consumer_groups.size() == 1);
  const ConsumerGroupReport& g = r.consumer_groups[0];
  CHECK(g.coordination == "coordinator");
  CHECK(g.coordinator.rfind("broker-", 0) == 0);
  // What billing-1 processed after its last commit is processed again by billing-0.
  CHECK(g.redelivered > 0);
  CHECK(g.lag_at_end == 0);
  CHECK(g.consumed == r.produced);
  // The same crash under the ZooKeeper consumer is noticed when its ZooKeeper session expires
  // (6 s): sooner than the coordinator's 10 s session.
  const RunResult zk =
      run("consumer-crash-coordinator", {"/consumers/0/coordination=\"zookeeper\""});
  const double zk_expired = timeline_seconds(zk, "ZooKeeper expired the session of billing-1");
  REQUIRE(zk_expired > 0);
  CHECK(zk_expired < expired);
}

TEST_CASE("max.poll.interval.ms: a member that does not poll in time leaves the group") {
  // 500 records of 5 ms per poll: 2.5 s between polls, over max.poll.interval.ms (2 s).
  const RunResult r = run("consumer-max-poll");
  REQUIRE(r.consumer_groups.size() == 1);
  const double left = timeline_seconds(r, "max.poll.interval.ms (2000 ms) exceeded");
  const double joined = timeline_seconds(r, "joined generation 1");
  REQUIRE(left > 0);
  // 2 s after the poll that followed the first join (the last poll() before the slow batch).
  CHECK(left - joined >= 2.0);
  CHECK(left - joined < 2.6);
  CHECK(timeline_has(r, "leaves the group (LeaveGroup)"));
  // It left without committing (it is no longer a member): the next owner processes again
  // what it processed.
  CHECK(r.consumer_groups[0].redelivered > 0);
  CHECK(r.consumer_groups[0].rebalances > 2);
  // With a max.poll.interval.ms above a poll's work (500 records x 2 ms = 1 s), nobody leaves.
  const RunResult calm =
      run("consumer-max-poll", {"/consumers/0/config/max.poll.interval.ms=300000"});
  CHECK_FALSE(timeline_has(calm, "exceeded since its last poll"));
  CHECK(calm.consumer_groups[0].redelivered == 0);
}

TEST_CASE(
    "coordinator failover: the new leader of the offsets partition loads the group from the log") {
  // broker-3 leads __consumer_offsets-39, the partition of "billing", and crashes at 12.5 s.
  const RunResult r = run("consumer-coordinator-crash");
  REQUIRE(r.consumer_groups.size() == 1);
  CHECK(timeline_has(r, "loaded from __consumer_offsets-39"));
  CHECK(r.consumer_groups[0].coordinator != "broker-3");
  CHECK(timeline_has(r, "marks its group coordinator broker-"));
  CHECK(timeline_count(r, "found its group coordinator") >= 4);  // 2 members, twice each
  const ConsumerGroupReport& g = r.consumer_groups[0];
  CHECK(g.consumed == r.produced);
  CHECK(g.lag_at_end == 0);
}

TEST_CASE("leader-of:__consumer_offsets-P: a fault on the group's coordinator, by its role") {
  // broker-3 leads __consumer_offsets-39, billing's partition: the same crash, named by role.
  const RunResult by_name = run("consumer-coordinator-crash");
  const RunResult by_role =
      run("consumer-coordinator-crash", {"/faults/0/target=\"leader-of:__consumer_offsets-39\""});
  CHECK(timeline_has(by_role, "12.500 s  broker-3 (it led orders-2) crashed"));
  CHECK(by_role.consumer_groups[0].consumed == by_name.consumer_groups[0].consumed);
  CHECK(by_role.consumer_groups[0].redelivered == by_name.consumer_groups[0].redelivered);
  CHECK(by_role.events == by_name.events);
}

TEST_CASE("one consumer per partition: members beyond the partitions own nothing") {
  const RunResult r = run("consumers-beyond-partitions-coordinator");
  CHECK(timeline_has(r, "(SyncGroup): owns nothing"));
  CHECK(r.consumer_groups[0].lag_at_end == 0);
}

TEST_CASE(
    "StickyAssignor: after a member's crash the survivors keep their partitions; range moves "
    "them") {
  // Three members of billing over 4 partitions; billing-0 crashes at 12.5 s. Range gives
  // billing-1 orders-2 and billing-2 orders-3, then, for two members, 0-1 and 2-3: both
  // survivors lose what they had. The sticky leader deals generation 1 like round robin
  // (billing-1 orders-1, billing-2 orders-2), then keeps those where they are and shares out
  // billing-0's two (AbstractStickyAssignor.balance).
  const std::vector<std::string> three = {"/consumers/0/members=3", "/faults/0/target=billing-0"};
  const RunResult range = run("consumer-crash-coordinator", three);
  CHECK(find_line(range, {"billing-1", "joined generation 1", "owns orders-2"}) >= 0);
  CHECK(find_line(range, {"billing-2", "joined generation 1", "owns orders-3"}) >= 0);
  CHECK(find_line(range, {"billing-1", "joined generation 2", "owns orders-0, orders-1"}) >= 0);
  CHECK(find_line(range, {"billing-2", "joined generation 2", "owns orders-2, orders-3"}) >= 0);
  std::vector<std::string> sticky = three;
  sticky.push_back("/consumers/0/config/partition.assignment.strategy=sticky");
  const RunResult r = run("consumer-crash-coordinator", sticky);
  CHECK(timeline_has(r, "computed the sticky assignment"));
  CHECK(find_line(r, {"billing-1", "joined generation 1", "owns orders-1"}) >= 0);
  CHECK(find_line(r, {"billing-2", "joined generation 1", "owns orders-2"}) >= 0);
  CHECK(find_line(r, {"billing-1", "joined generation 2", "owns orders-0, orders-1"}) >= 0);
  CHECK(find_line(r, {"billing-2", "joined generation 2", "owns orders-2, orders-3"}) >= 0);
  // billing-0 comes back as a new member: it takes one partition from the member with two that
  // balance needs, and orders-0, orders-1 stay with billing-1.
  CHECK(find_line(r, {"billing-1", "joined generation 3", "owns orders-0, orders-1"}) >= 0);
}

TEST_CASE("a group's coordination defaults to the group coordinator (Kafka 2.4's consumer)") {
  // consumer-crash names no coordination: Kafka 2.4 runs its group through a coordinator broker.
  const Scenario plain = load("consumer-crash");
  REQUIRE(plain.consumers.size() == 1);
  CHECK(plain.consumers[0].coordination == GroupCoordination::coordinator);
  const RunResult r = run("consumer-crash");
  CHECK(r.consumer_groups[0].coordination == "coordinator");
  CHECK(r.consumer_groups[0].coordinator.rfind("broker-", 0) == 0);
  // The lessons of the course notes' consumer name theirs.
  CHECK(load("consumer-rebalance").consumers[0].coordination == GroupCoordination::zookeeper);
  CHECK(load("consumers-beyond-partitions").consumers[0].coordination ==
        GroupCoordination::zookeeper);
}

TEST_CASE("both coordinations run every shipped consumer scenario, keeping every invariant") {
  // Every scenario of scenarios/ with consumer groups, each group under the group coordinator
  // and then under ZooKeeper, in every mode of the scenario: the run ends, the per-event
  // invariants hold (the consumer groups' among them: committed offsets below the highest high
  // watermark, never going back), and the groups process what was produced.
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(KAFKASIM_SOURCE_DIR) + "/scenarios")) {
    const std::string file = entry.path().filename().string();
    if (file.ends_with(".json") && file != "schema.json")
      names.push_back(file.substr(0, file.size() - 5));
  }
  std::sort(names.begin(), names.end());
  std::size_t with_consumers = 0;
  for (const std::string& name : names) {
    const Scenario shipped = load(name);
    if (shipped.consumers.empty()) continue;
    ++with_consumers;
    for (const std::string coordination : {"coordinator", "zookeeper"}) {
      std::vector<std::string> sets;
      for (std::size_t g = 0; g < shipped.consumers.size(); ++g) {
        sets.push_back("/consumers/" + std::to_string(g) + "/coordination=\"" + coordination +
                       "\"");
      }
      const Scenario scenario = load(name, sets);
      for (const AckMode mode : scenario.acks) {
        CAPTURE(name);
        CAPTURE(coordination);
        CAPTURE(to_string(mode));
        RunResult r;
        CHECK_NOTHROW(r = run_scenario(scenario, mode, scenario.seed, RunChecks::invariants));
        REQUIRE(r.consumer_groups.size() == shipped.consumers.size());
        for (const ConsumerGroupReport& g : r.consumer_groups) {
          CHECK(g.coordination == coordination);
          CHECK(g.consumed > 0);
          CHECK(g.consumed <= r.produced);
        }
      }
    }
  }
  CHECK(with_consumers >= 12);
}
