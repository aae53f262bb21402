// The scenarios of scenarios/ (issue 3, "Scenarios, with tests that assert what Kafka users
// know"), each run end to end under the modes it compares, with the outcome a Kafka user expects.
// The bounds come from the model's rules (replica.lag.time.max.ms and its check period, the
// ZooKeeper session timeout, the fault times), not from measured noise: each names the rule.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/report.h"
#include "kafkasim/scenario/loader.h"
#include "scenario_fixture.h"

using namespace kafkasim;
using kafkasim::test::load;
using kafkasim::test::timeline_has;

namespace {

struct Runs {
  RunResult none;
  RunResult async;
  RunResult isr;
  RunResult sync;
};

Runs run_all(const std::string& name, bool with_none = false) {
  const Scenario scenario = load(name);
  Runs runs;
  if (with_none) runs.none = run_scenario(scenario, AckMode::none, 1);
  runs.async = run_scenario(scenario, AckMode::async, 1);
  runs.isr = run_scenario(scenario, AckMode::isr, 1);
  runs.sync = run_scenario(scenario, AckMode::sync, 1);
  return runs;
}

// Every record is accounted for: acknowledged, failed, abandoned in a producer crash, or still
// pending in the producer.
void check_accounted(const RunResult& run) {
  CHECK(run.acknowledged + run.failed + run.abandoned + run.pending == run.produced);
}

}  // namespace

TEST_CASE(
    "zombie leader: async loses what the zombie acknowledged and stalls once it tries to shrink "
    "its ISR; isr and sync lose nothing") {
  const Runs r = run_all("zombie-leader");
  CHECK(r.async.produced == r.isr.produced);
  CHECK(r.async.produced == r.sync.produced);
  // The zombie acknowledges from the partition (10 s) until its ISR shrink (23 s), then the
  // produces that waited for the shrink's lock go on when it learns its session expired after
  // the heal (25 s + the ZooKeeper client's reconnect, 26.6 s): at 1000 msg/s, 13,000, and at
  // most the 3.6 s of sends that waited more.
  CHECK(r.async.lost_acknowledged > 13000);
  CHECK(r.async.lost_acknowledged < 13000 + 3700);
  CHECK(r.isr.lost_acknowledged == 0);
  CHECK(r.sync.lost_acknowledged == 0);
  REQUIRE_FALSE(r.async.lost_examples.empty());
  for (const LostExample& e : r.async.lost_examples) {
    // Only the zombie had it, and its truncation as a follower removed it.
    CHECK(e.held_by == std::vector<std::string>{"broker-1"});
    CHECK(e.removed_by.find("broker-1") != std::string::npos);
  }
  for (const RunResult* run : {&r.async, &r.isr, &r.sync}) {
    // The zombie cannot shrink its ISR: the write goes to ZooKeeper, which it cannot reach.
    CHECK(run->isr_shrinks == 0);
    // One clean election (broker-2) after the session timeout; nothing unclean.
    CHECK(run->leader_elections == 1);
    CHECK(run->unclean_leader_elections == 0);
    CHECK(run->offline_ms == 0);
    check_accounted(*run);
  }
  // Partition.maybeShrinkIsr holds leaderIsrUpdateLock over the write: from 23 s every acks=1
  // produce waits for it, until the write fails with the expired session at about 26.6 s.
  CHECK(timeline_has(r.async,
                     "24.000 s  broker-1's ISR shrink of orders-0 from [broker-1, broker-2, "
                     "broker-3] to [broker-1], written to ZooKeeper at 23.000 s, is unanswered"));
  CHECK(timeline_has(r.async, "broker-1's ISR write for orders-0 failed (SESSIONEXPIRED"));
  CHECK(r.async.latency.max_ms > 3000);
  CHECK(r.async.latency.max_ms < 4000);
  // acks=all writes sent to the zombie wait for the heal (15 s after the partition), then
  // are answered by the new leader.
  CHECK(r.isr.latency.max_ms > 14000);
  CHECK(r.isr.latency.max_ms < 18000);
}

TEST_CASE("unclean election after the ISR shrank to the leader: isr with min.insync=1 loses") {
  const Runs r = run_all("unclean-election");
  // The leader alone acknowledged from the partition (5 s) to its crash (20 s): async and isr
  // (min.insync.replicas=1) lose those; sync waited for every replica and loses nothing.
  CHECK(r.async.lost_acknowledged > 10000);
  CHECK(r.isr.lost_acknowledged > 10000);
  CHECK(r.isr.lost_acknowledged < 16000);
  CHECK(r.sync.lost_acknowledged == 0);
  REQUIRE_FALSE(r.isr.lost_examples.empty());
  for (const LostExample& e : r.isr.lost_examples) {
    CHECK(e.held_by == std::vector<std::string>{"broker-1"});
    CHECK(e.removed_by.find("broker-1") != std::string::npos);
  }
  for (const RunResult* run : {&r.async, &r.isr, &r.sync}) {
    CHECK(run->isr_shrinks == 1);  // the leader shrinks to itself once
    CHECK(run->unclean_leader_elections == 1);
    CHECK(timeline_has(*run, "unclean.leader.election.enable chose the first live replica"));
    // Offline from the crash until the controller sees the session expire (6 s).
    CHECK(run->offline_ms > 5000);
    CHECK(run->offline_ms < 8000);
    check_accounted(*run);
  }
}

TEST_CASE("unclean election with min.insync.replicas=2: isr refuses instead of losing") {
  const Scenario scenario = load("unclean-election-min-isr-2");
  const RunResult isr = run_scenario(scenario, AckMode::isr, 1);
  CHECK(isr.unclean_leader_elections == 1);
  CHECK(isr.lost_acknowledged == 0);
  CHECK(timeline_has(isr, "NOT_ENOUGH_REPLICAS"));
  check_accounted(isr);
  // The same faults with min.insync.replicas=1 lose (the test above): the setting is the cause.
  const RunResult loose = run_scenario(load("unclean-election"), AckMode::isr, 1);
  CHECK(loose.lost_acknowledged > 0);
  CHECK_FALSE(timeline_has(loose, "NOT_ENOUGH_REPLICAS"));
}

TEST_CASE("power loss of every replica: acknowledged messages lost in every mode") {
  const Runs r = run_all("power-loss", true);
  // Nothing was on disk (no fsync, and the kernel writes back after 30 s): everything
  // acknowledged before the power loss at 15 s, about 15,000 messages, is gone in every mode.
  for (const RunResult* run : {&r.none, &r.async, &r.isr, &r.sync}) {
    CHECK(run->lost_acknowledged > 14000);
    REQUIRE_FALSE(run->lost_examples.empty());
    CHECK(run->lost_examples.front().removed_by.find("power-loss") != std::string::npos);
    check_accounted(*run);
  }
  // Even a message every replica held when it was acknowledged is lost.
  CHECK(r.isr.lost_examples.front().held_by.size() == 3);
  // acks=0 also loses what it wrote into the void while the brokers were down.
  CHECK(r.none.lost_acknowledged > r.async.lost_acknowledged);
  // After the restart the producers' records are written and kept.
  CHECK(r.isr.acknowledged == r.isr.produced);
}

TEST_CASE("power loss with log.flush.interval.messages=1: nothing acknowledged is lost") {
  const Runs r = run_all("power-loss-flush-every-message", true);
  CHECK(r.async.lost_acknowledged == 0);
  CHECK(r.isr.lost_acknowledged == 0);
  CHECK(r.sync.lost_acknowledged == 0);
  // acks=0 still loses: what it sent while no broker served (down from 15 s to 20 s, then
  // restarted but unable to register, so reading no request, until their old ZooKeeper sessions
  // expire at 22 s), and what the socket buffers held unread in front of a leader that fsyncs
  // every request and reads one request per connection at a time.
  CHECK(r.none.lost_acknowledged > 8000);
  CHECK(r.none.lost_acknowledged < 11000);
  // Every append pays an fsync (2-8 ms): on the leader before acks=1 answers, and on the
  // follower too before acks=all can.
  const RunResult unflushed = run_scenario(load("power-loss"), AckMode::isr, 1);
  CHECK(r.async.latency.p50_ms > 2);
  CHECK(r.isr.latency.p50_ms > unflushed.latency.p50_ms + 4);
}

TEST_CASE("follower frozen longer than replica.lag.time.max.ms") {
  const Runs r = run_all("follower-freeze");
  for (const RunResult* run : {&r.async, &r.isr, &r.sync}) {
    CHECK(run->lost_acknowledged == 0);
    CHECK(run->isr_shrinks == 1);
    CHECK(run->isr_expands == 1);
    CHECK(run->leader_elections == 0);
    check_accounted(*run);
  }
  // isr: writes wait until the leader drops the frozen follower, between the lag time (10 s)
  // and the lag time plus the check period (replica.lag.time.max.ms / 2 = 5 s).
  CHECK(r.isr.latency.max_ms > 10000);
  CHECK(r.isr.latency.max_ms < 15000);
  // ... then it recovers: most writes are fast (a dozen ms: five requests in flight, each read
  // once the one before it is answered).
  CHECK(r.isr.latency.p50_ms < 15);
  // sync waits for the follower itself: until it resumes, 15 s after the freeze.
  CHECK(r.sync.latency.max_ms > 14500);
  CHECK(r.sync.latency.max_ms < 15500);
  CHECK(r.sync.latency.max_ms > r.isr.latency.max_ms);
  // acks=1 does not wait for followers.
  CHECK(r.async.latency.max_ms < 10);
}

TEST_CASE("a network partition isolating one follower") {
  const Runs r = run_all("follower-partition");
  for (const RunResult* run : {&r.async, &r.isr, &r.sync}) {
    CHECK(run->lost_acknowledged == 0);
    CHECK(run->leader_elections == 0);
    CHECK(run->offline_ms == 0);
    check_accounted(*run);
  }
  // The cut-off follower's ZooKeeper session (6 s) expires before replica.lag.time.max.ms
  // (10 s): the controller takes it out of the ISR and acks=all waits about 6 s at most.
  CHECK(timeline_has(r.isr, "ZooKeeper expired the session of broker-3"));
  CHECK(timeline_has(r.isr, "to [broker-1, broker-2] (leader epoch 1): dead replicas leave"));
  CHECK(r.isr.latency.max_ms > 5000);
  CHECK(r.isr.latency.max_ms < 9000);
  // The ISR went from 3 to 2 by the controller's hand, not the leader's: the counters say so.
  for (const RunResult* run : {&r.async, &r.isr, &r.sync}) {
    CHECK(run->controller_isr_removals == 1);
    CHECK(run->isr_shrinks == 0);
  }
  // sync waits for it until the partition heals (20 s).
  CHECK(r.sync.latency.max_ms > 19000);
  CHECK(r.async.latency.max_ms < 10);
}

TEST_CASE("a follower behind a slow link stays in the ISR and slows acks=all") {
  const Runs r = run_all("slow-follower");
  for (const RunResult* run : {&r.async, &r.isr, &r.sync}) {
    CHECK(run->lost_acknowledged == 0);
    // Slow but steady: it keeps fetching, so it is never out of the ISR.
    CHECK(run->isr_shrinks == 0);
    check_accounted(*run);
  }
  // 50 ms each way on the follower's links: acks=all waits for its fetch round trips, and with
  // one request per connection at a time the producer gets one batch committed per slow round
  // trip, too few for its load: it falls seconds behind until the delay ends (at 20 s).
  CHECK(r.isr.latency.p99_ms > 1000);
  CHECK(r.isr.latency.max_ms < 10000);
  CHECK(r.async.latency.p99_ms < 10);
}

TEST_CASE("controller failover: no partition offline, nothing lost") {
  const Runs r = run_all("controller-failover");
  for (const RunResult* run : {&r.async, &r.isr, &r.sync}) {
    CHECK(run->lost_acknowledged == 0);
    CHECK(run->controller_elections == 1);
    CHECK(timeline_has(*run, "became controller (controller epoch 2)"));
    CHECK(run->leader_elections == 0);  // the controller led no partition
    CHECK(run->offline_ms == 0);
    check_accounted(*run);
  }
  CHECK(r.async.latency.max_ms < 10);
  // The new controller takes the dead broker out of the ISR when it starts
  // (ReplicaStateMachine.startup), after the 6 s session timeout: acks=all waits about that
  // long, not until the leader's own lag check or the broker's return (10 s).
  CHECK(timeline_has(r.isr, "to [broker-1, broker-3] (leader epoch 1): dead replicas leave"));
  CHECK(r.isr.latency.max_ms > 5000);
  CHECK(r.isr.latency.max_ms < 8500);
  // sync waits for the dead replica itself, until it restarts 10 s after the crash.
  CHECK(r.sync.latency.max_ms > 9500);
}

TEST_CASE("controlled shutdown: no loss, a brief leader move") {
  const Runs r = run_all("controlled-shutdown");
  CHECK(r.isr.lost_acknowledged == 0);
  CHECK(r.sync.lost_acknowledged == 0);
  // acks=1 can lose only what the old leader acknowledged in its last moments as leader and
  // the new leader had not fetched: a few records, not a period.
  CHECK(r.async.lost_acknowledged <= 5);
  for (const RunResult* run : {&r.async, &r.isr, &r.sync}) {
    CHECK(run->leader_elections == 1);
    CHECK(run->unclean_leader_elections == 0);
    CHECK(timeline_has(*run, "(controlled shutdown, leader epoch 1"));
    // Leadership moves before the broker stops: the partition always has a live leader.
    CHECK(run->offline_ms == 0);
    check_accounted(*run);
  }
  // The producers see only a metadata refresh and a retry.
  CHECK(r.async.latency.max_ms < 500);
  CHECK(r.isr.latency.max_ms < 500);
}

TEST_CASE("producer crash: what it held is abandoned; the new process sends again, nothing lost") {
  const Runs r = run_all("producer-crash");
  for (const RunResult* run : {&r.async, &r.isr, &r.sync}) {
    CAPTURE(to_string(run->acks));
    // The same arrivals in every mode (common random numbers), none while it is down: 10,000/s
    // for 25 of the 30 s, Poisson, so within 4 standard deviations (4 x 500) of 250,000.
    CHECK(run->produced == r.async.produced);
    CHECK(run->produced > 248'000);
    CHECK(run->produced < 252'000);
    // A crash abandons at least the record sent last before it (each answer takes a round trip).
    CHECK(run->abandoned > 0);
    // The new process's batches carry a new producer epoch: the leader accepts them although
    // the abandoned records left a gap in the sequence numbers (else OUT_OF_ORDER_SEQUENCE_NUMBER
    // until delivery.timeout.ms, and every record after the restart would fail or pend).
    CHECK(run->failed == 0);
    CHECK(run->pending == 0);
    CHECK(run->lost_acknowledged == 0);
    CHECK(run->duplicates == 0);
    check_accounted(*run);
    CHECK(timeline_has(*run, "app crashed"));
    CHECK(timeline_has(*run, "app restarted"));
  }
  // acks=all holds each record until the followers have it: more is in the producer's memory.
  CHECK(r.isr.abandoned > r.async.abandoned);
}

TEST_CASE("KIP-101 scenario 1: high-watermark truncation loses, leader-epoch truncation does not") {
  // broker-1, a follower in the ISR, becomes follower again in a new leader epoch (the
  // controller took the dead broker-3 out of the ISR); before 0.11 it truncates to its own high
  // watermark, which lags the leader's by a fetch answer; the leader crashes before broker-1
  // fetches back what it removed, and broker-1 is elected cleanly.
  const RunResult hw = run_scenario(load("kip101-high-watermark"), AckMode::isr, 1);
  const RunResult epoch = run_scenario(load("kip101-leader-epoch"), AckMode::isr, 1);
  CHECK(hw.produced == epoch.produced);
  CHECK(hw.lost_acknowledged > 0);
  REQUIRE_FALSE(hw.lost_examples.empty());
  for (const LostExample& e : hw.lost_examples) {
    // The leader and broker-1 had it when it was acknowledged; broker-1's own truncation, while
    // the leader was alive, removed it.
    CHECK(e.held_by == std::vector<std::string>{"broker-2", "broker-1"});
    CHECK(e.removed_by.find("broker-1 high-watermark truncation") != std::string::npos);
  }
  CHECK(epoch.lost_acknowledged == 0);
  for (const RunResult* run : {&hw, &epoch}) {
    CHECK(run->leader_elections == 1);
    CHECK(run->unclean_leader_elections == 0);  // a clean election: broker-1 was in the ISR
    CHECK(run->diverged_offsets == 0);
    check_accounted(*run);
  }
}

TEST_CASE(
    "KIP-101 scenario 2: high-watermark truncation leaves diverged replicas, leader epochs "
    "none") {
  // broker-1 loses power, broker-2's process crashes; broker-1 returns first and leads with the
  // shorter log; broker-2 returns and, before 0.11, keeps its records above broker-1's log end.
  Scenario scenario = load("kip101-divergence");
  REQUIRE(scenario.cluster.truncation == Truncation::high_watermark);
  const RunResult hw = run_scenario(scenario, AckMode::isr, 1);
  scenario.cluster.truncation = Truncation::leader_epoch;
  const RunResult epoch = run_scenario(scenario, AckMode::isr, 1);
  CHECK(hw.diverged_offsets > 0);
  REQUIRE(hw.partitions.size() == 1);
  CHECK(hw.partitions[0].diverged_offsets == hw.diverged_offsets);
  CHECK(hw.partitions[0].diverged_replicas == std::vector<std::string>{"broker-2"});
  CHECK(epoch.diverged_offsets == 0);
  // The power loss costs the same acknowledged records under both rules.
  CHECK(hw.lost_acknowledged > 0);
  CHECK(hw.lost_acknowledged == epoch.lost_acknowledged);
  for (const RunResult* run : {&hw, &epoch}) {
    CHECK(run->unclean_leader_elections == 0);
    check_accounted(*run);
  }
}

TEST_CASE(
    "KIP-279: after two quick leader changes, leader epochs truncate to the last epoch both "
    "replicas share") {
  // broker-1 -> broker-2 (epoch 1, writing alone) -> broker-1 (unclean, epoch 2). broker-2 returns:
  // before 0.11 it keeps its epoch-1 records below its own high watermark; with leader epochs
  // broker-1, which never had epoch 1, answers with the end of epoch 0.
  Scenario scenario = load("kip279-quick-failovers");
  REQUIRE(scenario.cluster.truncation == Truncation::high_watermark);
  const RunResult hw = run_scenario(scenario, AckMode::isr, 1);
  scenario.cluster.truncation = Truncation::leader_epoch;
  const RunResult epoch = run_scenario(scenario, AckMode::isr, 1);
  CHECK(hw.diverged_offsets > 0);
  CHECK(epoch.diverged_offsets == 0);
  CHECK(timeline_has(epoch, "broker-2 truncated"));
  CHECK(timeline_has(epoch, "its new leader's end offset for its last leader epoch"));
  for (const RunResult* run : {&hw, &epoch}) {
    CHECK(run->unclean_leader_elections == 1);
    CHECK(run->lost_acknowledged > 0);  // what broker-2 acknowledged alone in epoch 1
    check_accounted(*run);
  }
}

TEST_CASE("every scenario keeps the invariants and its summary matches the checked-in CSV") {
  // The summary CSV of every scenario under its own modes and seed, as
  // scripts/scenario-summary.sh writes it. A model change that moves these numbers on purpose
  // regenerates the file with that script; the diff then shows what moved.
  const std::filesystem::path dir = std::filesystem::path(KAFKASIM_SOURCE_DIR) / "scenarios";
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::filesystem::path& path = entry.path();
    if (path.extension() == ".json" && path.filename() != "schema.json") {
      names.push_back(path.stem().string());
    }
  }
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return a + ".json" < b + ".json";  // the script's order: file names in byte order
  });
  REQUIRE(names.size() >= 13);
  std::string actual;
  for (const std::string& name : names) {
    const Scenario scenario = load(name);
    std::vector<RunResult> runs;
    for (AckMode mode : scenario.acks)
      // With the invariant checker on (a violation throws); it does not change the result.
      runs.push_back(run_scenario(scenario, mode, scenario.seed, RunChecks::invariants));
    const std::string csv = summary_csv(scenario, runs);
    actual += actual.empty() ? csv : csv.substr(csv.find('\n') + 1);
  }
  std::ifstream file(std::string(KAFKASIM_SOURCE_DIR) + "/tests/data/scenario-summary.csv",
                     std::ios::binary);
  REQUIRE(file);
  std::ostringstream expected;
  expected << file.rdbuf();
  CHECK(actual == expected.str());
}
