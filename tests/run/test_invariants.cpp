// The invariant checker (STYLE.md point 9): each check fails on a state that breaks it, passes on
// its neighbour that does not, and the flagship scenario runs clean with every check on; the
// same for the settled-state checks (liveness, committed data).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../../sim/run/cluster.h"
#include "../../sim/run/fault_injector.h"
#include "../../sim/run/invariant_checker.h"
#include "kafkasim/run/cluster_run.h"
#include "kafkasim/scenario/loader.h"
#include "record_batches.h"

using namespace kafkasim;
using kafkasim::test::batch;

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

TEST_CASE("a group's committed offset never passes the partition's highest high watermark") {
  // A consumer reads below the high watermark and commits the offset after what it processed:
  // at most the high watermark.
  CHECK_NOTHROW(check_committed_offset_bound("billing", "orders-0", 100, 100, kAt));
  CHECK_NOTHROW(check_committed_offset_bound("billing", "orders-0", 0, 100, kAt));
  const std::string message =
      violation_of([] { check_committed_offset_bound("billing", "orders-0", 101, 100, kAt); });
  CHECK(contains(message, "never passes the partition's highest high watermark"));
  CHECK(contains(message, "group billing committed offset 101 of partition orders-0"));
  CHECK(contains(message, "scenario time 10345.000000 ms"));
}

TEST_CASE("a group's committed offset never goes back") {
  CHECK_NOTHROW(check_committed_offset_monotonic("billing", "orders-0", -1, 0, kAt));
  CHECK_NOTHROW(check_committed_offset_monotonic("billing", "orders-0", 50, 50, kAt));
  CHECK_NOTHROW(check_committed_offset_monotonic("billing", "orders-0", 50, 80, kAt));
  const std::string message =
      violation_of([] { check_committed_offset_monotonic("billing", "orders-0", 80, 50, kAt); });
  CHECK(contains(message, "a group's committed offset never goes back"));
  CHECK(contains(message,
                 "group billing moved its committed offset of partition orders-0 back "
                 "from 80 to 50"));
}

TEST_CASE("one live member of a group owns each partition after settling") {
  const std::vector<std::string> one{"billing-0"};
  CHECK_NOTHROW(check_one_owner_per_partition("billing", "orders-0", one, kAt));
  const std::vector<std::string> none;
  CHECK(contains(
      violation_of([&] { check_one_owner_per_partition("billing", "orders-0", none, kAt); }),
      "partition orders-0 is owned by 0 live members of group billing"));
  const std::vector<std::string> two{"billing-0", "billing-1"};
  CHECK(contains(
      violation_of([&] { check_one_owner_per_partition("billing", "orders-0", two, kAt); }),
      "owned by 2 live members of group billing (billing-0, billing-1)"));
}

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

TEST_CASE("liveness after settling: a live leader, a full ISR of up replicas, HW at the LEO") {
  Fixture f;
  LeaderView leader = f.leader();
  leader.high_watermark = leader.log_end_offset;
  const std::vector<BrokerId> replicas{BrokerId(1), BrokerId(2), BrokerId(3)};
  CHECK_NOTHROW(check_liveness("orders-0", &leader, replicas, {}, Producers::idle, kAt));
  SUBCASE("no live leader") {
    const std::string message = violation_of(
        [&] { check_liveness("orders-0", nullptr, replicas, {}, Producers::idle, kAt); });
    CHECK(contains(message, "liveness after settling"));
    CHECK(contains(message, "partition orders-0: no live leader"));
  }
  SUBCASE("a replica still down") {
    const std::vector<BrokerId> down{BrokerId(3)};
    const std::string message = violation_of(
        [&] { check_liveness("orders-0", &leader, replicas, down, Producers::idle, kAt); });
    CHECK(contains(message, "replicas [broker-3] not up"));
  }
  SUBCASE("a replica left out of the ISR") {
    f.isr = {BrokerId(1), BrokerId(2)};
    leader = f.leader();
    leader.high_watermark = leader.log_end_offset;
    const std::string message = violation_of(
        [&] { check_liveness("orders-0", &leader, replicas, {}, Producers::idle, kAt); });
    CHECK(contains(message, "has ISR [broker-1, broker-2] without replica broker-3"));
  }
  SUBCASE("the high watermark short of the leader's log end offset") {
    leader.high_watermark = 100;
    // While producers still hold records the leader may be appending: not checked then.
    CHECK_NOTHROW(check_liveness("orders-0", &leader, replicas, {}, Producers::busy, kAt));
    const std::string message = violation_of(
        [&] { check_liveness("orders-0", &leader, replicas, {}, Producers::idle, kAt); });
    CHECK(contains(message, "high watermark 100 below its log end offset 120"));
  }
}

TEST_CASE("committed data: live replicas agree with the leader below the high watermark") {
  // The leader: producer 0's records 0..9 at offsets 0..9, then 10..14 in leader epoch 1.
  const std::deque<RecordBatch> leader{batch(0, 0, 6, 0), batch(0, 6, 4, 6),
                                       batch(0, 10, 5, 10, 1)};
  SUBCASE("the same records, in other batches, and a replica behind: they agree") {
    const std::deque<RecordBatch> replica{batch(0, 0, 3, 0), batch(0, 3, 7, 3),
                                          batch(0, 10, 2, 10, 1)};
    CHECK(first_divergence(leader, replica, 15) == std::nullopt);
    CHECK_NOTHROW(
        check_committed_data("orders-0", BrokerId(1), leader, BrokerId(2), replica, 15, kAt));
  }
  SUBCASE("another record at an offset below the high watermark") {
    // Offsets 8 and 9 hold producer 1's records on the replica: the logs diverged there.
    const std::deque<RecordBatch> replica{batch(0, 0, 8, 0), batch(1, 0, 2, 8),
                                          batch(0, 10, 5, 10, 1)};
    CHECK(first_divergence(leader, replica, 15) == Offset{8});
    // Above the high watermark the leader's tail is not committed: no divergence counted there.
    CHECK(first_divergence(leader, replica, 8) == std::nullopt);
    const std::string message = violation_of([&] {
      check_committed_data("orders-0", BrokerId(1), leader, BrokerId(2), replica, 15, kAt);
    });
    CHECK(contains(message, "committed data"));
    CHECK(contains(message,
                   "partition orders-0: broker-2 differs from leader broker-1 at offset 8, "
                   "below the high watermark 15"));
  }
  SUBCASE("the same record written in another leader epoch") {
    const std::deque<RecordBatch> replica{batch(0, 0, 10, 0), batch(0, 10, 5, 10, 0)};
    CHECK(first_divergence(leader, replica, 15) == Offset{10});
  }
  SUBCASE("an offset the replica lacks below both log ends") {
    const std::deque<RecordBatch> replica{batch(0, 0, 6, 0), batch(0, 7, 3, 7)};
    CHECK(first_divergence(leader, replica, 15) == Offset{6});
  }
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

/// The flagship's cluster without its faults, loaded for 2 s and then settled for 15 s, when
/// every settled-state check passes; the test then breaks the state by hand.
struct SettledCluster {
  Scenario scenario = shifted_by_boot(shortened(flagship()));
  Cluster cluster{scenario, AckMode::isr, 1};
  Instant start = Instant::start() + kBootTime;
  FaultInjector injector{cluster, {}, start, start + scenario.duration};
  TopicPartition tp{TopicIndex(0), 0};

  SettledCluster() {
    cluster.engine().run_until(start + scenario.duration + std::chrono::seconds(15));
  }
  static Scenario shortened(Scenario s) {
    s.faults.clear();
    s.duration = std::chrono::milliseconds(2000);
    return s;
  }
};

}  // namespace

TEST_CASE("InvariantChecker lists its checks by name") {
  LiveCluster live;
  const std::vector<std::string_view> names = live.checker.names();
  // The flagship has a consumer group: its committed offsets are checked too.
  CHECK(names == std::vector<std::string_view>{
                     invariant_name::kHighWatermarkMonotonic, invariant_name::kHighWatermarkBound,
                     invariant_name::kLeaderInIsr, invariant_name::kOneLeaderPerEpoch,
                     invariant_name::kOneControllerPerEpoch, invariant_name::kCommittedOffsetBound,
                     invariant_name::kCommittedOffsetMonotonic});
}

TEST_CASE("the settled-state checks find a broken state in a settled cluster") {
  SettledCluster settled;
  Broker* leader = settled.cluster.current_leader(settled.tp);
  REQUIRE(leader != nullptr);
  Partition& led = *leader->mutable_partition(settled.tp);
  REQUIRE(led.high_watermark() > 10);
  REQUIRE(led.high_watermark() == led.log().log_end_offset());
  CHECK_NOTHROW(check_settled_state(settled.cluster));
  Broker* follower = nullptr;
  for (auto& b : settled.cluster.brokers()) {
    if (b.get() != leader) follower = b.get();
  }
  REQUIRE(follower != nullptr);
  const Instant now = settled.cluster.engine().now();
  const std::string leader_name = "broker-" + std::to_string(leader->id().value());
  const std::string follower_name = "broker-" + std::to_string(follower->id().value());

  SUBCASE("liveness: a follower out of the ISR") {
    std::vector<BrokerId> isr;
    for (BrokerId b : led.isr()) {
      if (b != follower->id()) isr.push_back(b);
    }
    led.apply_isr_change(isr, led.zk_version(), now, std::chrono::milliseconds(10000));
    const std::string message = violation_of([&] { check_settled_state(settled.cluster); });
    CHECK(contains(message, "liveness after settling"));
    CHECK(contains(message, "without replica " + follower_name));
  }
  SUBCASE("liveness: the high watermark short of the leader's log end offset") {
    led.update_follower_high_watermark(led.high_watermark() - 1);
    const std::string message = violation_of([&] { check_settled_state(settled.cluster); });
    CHECK(contains(message, "liveness after settling"));
    CHECK(contains(message, "below its log end offset"));
  }
  SUBCASE("committed data: a follower's log holds other records below the high watermark") {
    PartitionLog& log = follower->mutable_partition(settled.tp)->log();
    const Offset from = led.high_watermark() - 5;
    log.truncate_to(from);
    RecordBatch other;
    other.producer = ProducerIndex(7);  // no such producer: surely not the leader's record
    other.base_offset = from;
    other.record_count = 5;
    other.leader_epoch = led.leader_epoch();
    log.append_as_follower(other, now);
    const std::string message = violation_of([&] { check_settled_state(settled.cluster); });
    CHECK(contains(message, "committed data"));
    CHECK(contains(message, follower_name + " differs from leader " + leader_name + " at offset " +
                                std::to_string(from)));
  }
}

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
    // Its 30 s of settling are enough for the crashed leader to rejoin: the settled state too.
    CHECK_NOTHROW(checked = run_scenario(scenario, mode, 1, RunChecks::invariants_and_settled));
    // The checker only reads: the run is the same with it on.
    const RunResult plain = run_scenario(scenario, mode, 1);
    CHECK(checked.events == plain.events);
    CHECK(checked.produced == plain.produced);
    CHECK(checked.lost_acknowledged == plain.lost_acknowledged);
  }
}
