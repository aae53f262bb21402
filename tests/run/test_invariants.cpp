// The invariant checker (STYLE.md point 9): each check fails on a state that breaks it, passes on
// its neighbour that does not, and the flagship scenario runs clean with every check on.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../../sim/run/cluster.h"
#include "../../sim/run/fault_injector.h"
#include "../../sim/run/invariants.h"
#include "kafkasim/run/cluster_run.h"
#include "kafkasim/scenario/loader.h"

using namespace kafkasim;

namespace {

const Instant kAt = Instant::start() + std::chrono::milliseconds(12345);

/// The message of the InvariantViolation `check` throws; fails the test if it throws nothing.
template <typename Check>
std::string violation_of(Check check) {
  try {
    check();
  } catch (const InvariantViolation& e) {
    return e.what();
  }
  FAIL("no invariant violation");
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

FollowerState follower(BrokerId broker, Offset log_end_offset) {
  FollowerState f;
  f.broker = broker;
  f.log_end_offset = log_end_offset;
  return f;
}

/// A healthy leader of orders-0: broker 1, epoch 3, HW 100, LEO 120, ISR {1, 2, 3}; the
/// followers at 110 and 100 (broker 3 exactly at the HW).
struct Fixture {
  std::vector<BrokerId> isr{BrokerId(1), BrokerId(2), BrokerId(3)};
  std::vector<FollowerState> followers{follower(BrokerId(2), 110), follower(BrokerId(3), 100)};
  LeaderView leader() const {
    return LeaderView{BrokerId(1), LeaderEpoch(3), 100, 120, isr, followers};
  }
};

}  // namespace

TEST_CASE("one leader per partition per leader epoch") {
  const Fixture f;
  LeaderView other = f.leader();
  other.broker = BrokerId(2);
  SUBCASE("two leaders in different epochs (a zombie) are allowed") {
    other.epoch = LeaderEpoch(4);
    const std::vector<LeaderView> leaders{f.leader(), other};
    CHECK_NOTHROW(check_one_leader_per_epoch("orders-0", leaders, kAt));
  }
  SUBCASE("two leaders in the same epoch are caught") {
    const std::vector<LeaderView> leaders{f.leader(), other};
    const std::string message =
        violation_of([&] { check_one_leader_per_epoch("orders-0", leaders, kAt); });
    CHECK(contains(message, "one leader per partition per leader epoch"));
    CHECK(contains(message, "partition orders-0"));
    CHECK(contains(message, "broker-1 and broker-2"));
    CHECK(contains(message, "leader epoch 3"));
    CHECK(contains(message, "virtual time 12345.000000 ms"));
    CHECK(contains(message, "scenario time 10345.000000 ms"));
  }
}

TEST_CASE("the leader's high watermark never decreases within an epoch") {
  const Fixture f;
  const LeaderView leader = f.leader();  // HW 100
  CHECK_NOTHROW(
      check_high_watermark_monotonic("orders-0", {true, LeaderEpoch(3), 90}, leader, kAt));
  CHECK_NOTHROW(
      check_high_watermark_monotonic("orders-0", {true, LeaderEpoch(3), 100}, leader, kAt));
  // A new epoch, or leadership just taken, starts afresh.
  CHECK_NOTHROW(
      check_high_watermark_monotonic("orders-0", {true, LeaderEpoch(2), 150}, leader, kAt));
  CHECK_NOTHROW(check_high_watermark_monotonic("orders-0", {}, leader, kAt));
  const std::string message = violation_of([&] {
    check_high_watermark_monotonic("orders-0", {true, LeaderEpoch(3), 101}, leader, kAt);
  });
  CHECK(contains(message, "never decreases"));
  CHECK(contains(message, "leader broker-1 in leader epoch 3"));
  CHECK(contains(message, "from 101 to 100"));
}

TEST_CASE("the leader's high watermark never exceeds the smallest LEO of its ISR") {
  Fixture f;
  CHECK_NOTHROW(check_high_watermark_bound("orders-0", f.leader(), kAt));
  SUBCASE("above an ISR member's log end offset") {
    f.followers[1].log_end_offset = 99;
    const std::string message =
        violation_of([&] { check_high_watermark_bound("orders-0", f.leader(), kAt); });
    CHECK(contains(message, "smallest log end offset of its ISR"));
    CHECK(
        contains(message, "high watermark 100 above the log end offset 99 of ISR member broker-3"));
  }
  SUBCASE("above the leader's own log end offset") {
    LeaderView leader = f.leader();
    leader.log_end_offset = 95;
    const std::string message =
        violation_of([&] { check_high_watermark_bound("orders-0", leader, kAt); });
    CHECK(contains(message, "above its own log end offset 95"));
  }
  SUBCASE("followers outside the ISR, or not yet heard from, bound nothing") {
    f.isr = {BrokerId(1), BrokerId(2)};
    f.followers[1].log_end_offset = 10;  // broker 3, out of the ISR
    CHECK_NOTHROW(check_high_watermark_bound("orders-0", f.leader(), kAt));
    f.followers[0].log_end_offset = -1;  // broker 2 has not fetched from this leader yet
    CHECK_NOTHROW(check_high_watermark_bound("orders-0", f.leader(), kAt));
  }
  SUBCASE("an ISR member that lost its tail in a power loss is exempt, and only it") {
    f.followers[1].log_end_offset = 0;  // broker 3 restarted with an empty log, still in the ISR
    const std::vector<BrokerId> lost_tail{BrokerId(3)};
    CHECK_NOTHROW(
        check_high_watermark_bound("orders-0", f.leader(), kAt, FollowerBound::checked, lost_tail));
    f.followers[0].log_end_offset = 99;  // broker 2 lost nothing: still held to the bound
    const std::string message = violation_of([&] {
      check_high_watermark_bound("orders-0", f.leader(), kAt, FollowerBound::checked, lost_tail);
    });
    CHECK(contains(message, "log end offset 99 of ISR member broker-2"));
  }
}

TEST_CASE("the leader is in its own ISR") {
  Fixture f;
  CHECK_NOTHROW(check_leader_in_isr("orders-0", f.leader(), kAt));
  f.isr = {BrokerId(2), BrokerId(3)};
  const std::string message =
      violation_of([&] { check_leader_in_isr("orders-0", f.leader(), kAt); });
  CHECK(contains(message, "the leader is in its own ISR"));
  CHECK(contains(message,
                 "leader broker-1 in leader epoch 3 is not in its ISR [broker-2, broker-3]"));
}

TEST_CASE("one controller per controller epoch") {
  std::vector<ControllerView> controllers{{BrokerId(1), ControllerEpoch(2)},
                                          {BrokerId(3), ControllerEpoch(3)}};
  CHECK_NOTHROW(check_one_controller_per_epoch(controllers, kAt));
  controllers[1].epoch = ControllerEpoch(2);
  const std::string message =
      violation_of([&] { check_one_controller_per_epoch(controllers, kAt); });
  CHECK(contains(message, "one controller per controller epoch"));
  CHECK(contains(message, "broker-1 and broker-3"));
  CHECK(contains(message, "controller epoch 2"));
}

namespace {

Scenario flagship() {
  const LoadResult loaded =
      load_scenario_file(std::string(KAFKASIM_SOURCE_DIR) + "/scenarios/leader-crash.json");
  REQUIRE(loaded.ok());
  return *loaded.scenario;
}

/// The flagship's cluster without its faults, booted and loaded for 3 s with the checker on
/// after every event; the test then breaks a replica's state by hand.
struct LiveCluster {
  Scenario scenario = shifted_by_boot(without_faults(flagship()));
  Cluster cluster{scenario, AckMode::isr, 1};
  Instant start = Instant::start() + kBootTime;
  FaultInjector injector{cluster, {}, start, start + scenario.duration};
  InvariantChecker checker{cluster};
  TopicPartition tp{TopicIndex(0), 0};

  LiveCluster() {
    cluster.engine().set_after_event_hook(&InvariantChecker::after_event, &checker);
    cluster.engine().run_until(start + std::chrono::milliseconds(3000));
  }
  static Scenario without_faults(Scenario s) {
    s.faults.clear();
    return s;
  }
  Broker& leader() {
    Broker* b = cluster.current_leader(tp);
    REQUIRE(b != nullptr);
    return *b;
  }
  Broker& a_follower() {
    for (auto& b : cluster.brokers()) {
      if (b.get() != &leader()) return *b;
    }
    FAIL("no follower");
    return leader();
  }
  Partition& replica(Broker& b) { return *b.mutable_partition(tp); }
  std::string name(const Broker& b) { return "broker-" + std::to_string(b.id().value()); }
};

}  // namespace

TEST_CASE("InvariantChecker finds a broken state in a live cluster") {
  LiveCluster live;
  Broker& leader = live.leader();
  Partition& led = live.replica(leader);
  REQUIRE(led.high_watermark() > 0);
  REQUIRE(led.isr().size() == 3);
  const Instant now = live.cluster.engine().now();
  const Duration lag_max = std::chrono::milliseconds(10000);
  CHECK_NOTHROW(live.checker.check());

  SUBCASE("the leader's high watermark moved back") {
    led.update_follower_high_watermark(led.high_watermark() - 1);
    const std::string message = violation_of([&] { live.checker.check(); });
    CHECK(contains(message, "never decreases"));
    CHECK(contains(message, "partition orders-0: leader " + live.name(leader)));
  }
  SUBCASE("the leader's high watermark passed an ISR member's log end offset") {
    Broker& follower = live.a_follower();
    led.update_follower_fetch_state(follower.id(), led.high_watermark() - 1, now);
    const std::string message = violation_of([&] { live.checker.check(); });
    CHECK(contains(message, "smallest log end offset of its ISR"));
    CHECK(contains(message, "of ISR member " + live.name(follower)));
  }
  SUBCASE("the leader left its own ISR: caught after the next event, through the engine hook") {
    std::vector<BrokerId> others;
    for (BrokerId b : led.isr()) {
      if (b != leader.id()) others.push_back(b);
    }
    led.apply_isr_change(others, led.zk_version(), now, lag_max);
    CHECK_THROWS_WITH_AS(live.cluster.engine().run_until(now + std::chrono::milliseconds(100)),
                         doctest::Contains("the leader is in its own ISR"), InvariantViolation);
  }
  SUBCASE("a follower leads in the leader's epoch") {
    Broker& follower = live.a_follower();
    LeaderAndIsrPartitionState state;
    state.tp = live.tp;
    state.controller_epoch = led.controller_epoch();
    state.leader = follower.id();
    state.leader_epoch = led.leader_epoch();
    state.isr = led.isr();
    state.zk_version = led.zk_version();
    state.replicas = led.assigned_replicas();
    live.replica(follower).make_leader(state, now, lag_max);
    const std::string message = violation_of([&] { live.checker.check(); });
    CHECK(contains(message, "one leader per partition per leader epoch"));
    CHECK(contains(message, "leader epoch " + std::to_string(led.leader_epoch().value())));
  }
}

TEST_CASE("the leader crash scenario keeps every invariant, in every mode") {
  const Scenario scenario = flagship();
  for (AckMode mode : {AckMode::none, AckMode::async, AckMode::isr, AckMode::sync}) {
    CAPTURE(static_cast<int>(mode));
    RunResult checked;
    CHECK_NOTHROW(checked = run_scenario(scenario, mode, 1, RunChecks::invariants));
    // The checker only reads: the run is the same with it on.
    const RunResult plain = run_scenario(scenario, mode, 1);
    CHECK(checked.events == plain.events);
    CHECK(checked.produced == plain.produced);
    CHECK(checked.lost_acknowledged == plain.lost_acknowledged);
  }
}
