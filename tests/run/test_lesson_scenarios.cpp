// The lessons of the first half of the course (issue 14): the message-queue model and Kafka's
// parts, each a scenario of scenarios/ run end to end. Each check is what the lesson teaches,
// bounded by the scenario's own rates and settings (named in the comment), not by a measured
// figure: docs/teaching/lessons.md quotes the measured figures, and tests/docs checks those.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <string>

#include "kafkasim/client/murmur2.h"
#include "kafkasim/run/cluster_run.h"
#include "scenario_fixture.h"

using namespace kafkasim;
using kafkasim::test::load;
using kafkasim::test::timeline_count;
using kafkasim::test::timeline_has;
using kafkasim::test::timeline_seconds;

namespace {

const PartitionReport& partition(const RunResult& run, const std::string& name) {
  for (const PartitionReport& p : run.partitions)
    if (p.name == name) return p;
  FAIL("no partition " << name);
  return run.partitions.front();
}

void check_accounted(const RunResult& run) {
  CHECK(run.acknowledged + run.failed + run.abandoned + run.pending == run.produced);
}

}  // namespace

TEST_CASE("async call chain: the producer is answered long before the consumer's work is done") {
  const Scenario scenario = load("async-call-chain");
  // Services B, C and D: 30 ms of processing per request, after the request reaches the
  // consumer (replication, then a fetch): the end-to-end latency is at least the 30 ms.
  constexpr double work_ms = 30;
  const RunResult async = run_scenario(scenario, AckMode::async, scenario.seed);
  const RunResult isr = run_scenario(scenario, AckMode::isr, scenario.seed);
  for (const RunResult* run : {&async, &isr}) {
    REQUIRE(run->consumer_groups.size() == 1);
    const ConsumerGroupReport& backend = run->consumer_groups[0];
    CHECK(run->acknowledged == run->produced);
    CHECK(backend.consumed == run->produced);
    // 20 requests/s, 50 ms apart, constant: the backend, busy 30 ms of every 50, keeps up, so
    // a request waits for no other and its end-to-end latency is the work plus the way there.
    CHECK(backend.end_to_end_latency.p50_ms >= work_ms);
    CHECK(backend.end_to_end_latency.p50_ms < 2 * work_ms);
    // Only the requests of the first 3 s wait longer: the group's first join waits
    // group.initial.rebalance.delay.ms (3000 ms) before the backend reads anything.
    CHECK(backend.end_to_end_latency.max_ms > 3000);
    CHECK(backend.end_to_end_latency.max_ms < 3000 + 2 * work_ms);
    // The user's wait: one produce round trip (acks=1) or a replication round more (acks=all),
    // a few milliseconds at 0.5 ms per hop, far below the 30 ms of work.
    CHECK(run->latency.p50_ms < 10);
    CHECK(backend.end_to_end_latency.p50_ms > run->latency.p50_ms + work_ms - 1);
  }
  // acks=all waits for the followers' fetch: the user waits longer than with acks=1.
  CHECK(isr.latency.p50_ms > async.latency.p50_ms);
}

TEST_CASE("decoupling: a consumer group crashes, the producer carries on") {
  const Scenario scenario = load("consumer-crash");
  // The shop sends 1000 messages/s; billing-0 is down from 12 s to 22 s.
  constexpr double rate = 1000, down_s = 10;
  for (AckMode mode : {AckMode::async, AckMode::isr}) {
    CAPTURE(to_string(mode));
    const RunResult run = run_scenario(scenario, mode, scenario.seed);
    // The producer notices nothing: every message acknowledged, none failed, no stall (a
    // stall would be the 10 s outage; the produce path never touches the consumer).
    CHECK(run.failed == 0);
    CHECK(run.acknowledged == run.produced);
    CHECK(run.latency.max_ms < 100);
    check_accounted(run);
    REQUIRE(run.consumer_groups.size() == 1);
    const ConsumerGroupReport& billing = run.consumer_groups[0];
    // The messages waited in the log: the lag reached at least the outage's worth, and at most
    // that plus the restarted member's rebalance (ZooKeeper registration and claims, a few
    // seconds at most).
    CHECK(billing.max_lag >= rate * down_s * 0.95);
    CHECK(billing.max_lag <= rate * (down_s + 5));
    CHECK(billing.lag_at_end == 0);
    CHECK(billing.consumed == run.produced);
    // At least once: what billing processed after its last commit (auto.commit.interval.ms is
    // 5000, so at most 5 s of messages) is processed again by the restarted member.
    CHECK(billing.redelivered > 0);
    CHECK(billing.redelivered <= rate * 5);
    CHECK(timeline_has(run, "billing-0 crashed"));
  }
}

TEST_CASE("partitioners: explicit, key hash (murmur2), round-robin and sticky") {
  const Scenario scenario = load("partitioners");
  const RunResult run = run_scenario(scenario, AckMode::async, scenario.seed);
  REQUIRE(run.lost_acknowledged == 0);
  REQUIRE(run.duplicates == 0);
  REQUIRE(run.acknowledged == run.produced);
  // 1000 messages/s for 10 s per producer, constant arrivals: 10,000 each, and every message
  // acknowledged once, so a partition's high watermark counts the messages it received.
  constexpr std::int64_t per_producer = 10000;
  auto hw = [&](const std::string& topic, int p) {
    return partition(run, topic + "-" + std::to_string(p)).high_watermark;
  };
  auto total = [&](const std::string& topic) {
    std::int64_t sum = 0;
    for (int p = 0; p < 4; ++p)
      sum += hw(topic, p);
    return sum;
  };
  // explicit: the producer's `partition` 2 takes everything.
  for (int p = 0; p < 4; ++p)
    CHECK(hw("explicit", p) == (p == 2 ? per_producer : 0));
  // round-robin: dealt in turn, a quarter each.
  for (int p = 0; p < 4; ++p)
    CHECK(hw("round-robin", p) == per_producer / 4);
  // keyed: murmur2("key-<k>") modulo 4 for the 8 keys; a partition no key hashes to gets
  // nothing, and one that several hash to gets more.
  std::array<int, 4> keys_per_partition{};
  for (std::int64_t k = 0; k < 8; ++k)
    ++keys_per_partition[static_cast<std::size_t>(partition_for_key(k, 4))];
  CHECK(total("keyed") == per_producer);
  for (int p = 0; p < 4; ++p) {
    CAPTURE(p);
    if (keys_per_partition[static_cast<std::size_t>(p)] == 0) {
      CHECK(hw("keyed", p) == 0);
    } else {
      // Keys are drawn uniformly: about 1250 messages per key (8 keys), within 4 standard
      // deviations of the binomial count.
      const double expected = per_producer * keys_per_partition[static_cast<std::size_t>(p)] / 8.0;
      CHECK(std::abs(static_cast<double>(hw("keyed", p)) - expected) < 4 * std::sqrt(expected));
    }
  }
  // sticky: every message somewhere, but batch by batch, not a quarter each.
  CHECK(total("sticky") == per_producer);
  bool all_equal = true;
  for (int p = 0; p < 4; ++p)
    all_equal = all_equal && hw("sticky", p) == per_producer / 4;
  CHECK_FALSE(all_equal);
  // The partitions' leaders are spread over the brokers (Kafka's replica assignment).
  CHECK(partition(run, "keyed-0").leader != partition(run, "keyed-1").leader);
}

TEST_CASE(
    "order per key: retries with several requests in flight reorder, one or idempotence not") {
  const Scenario scenario = load("order-per-key");
  const RunResult plain = run_scenario(scenario, AckMode::isr, scenario.seed);
  // The leader's crash fails the requests in flight; retried, they land after requests sent
  // behind them to the new leader.
  CHECK(plain.reordered > 0);
  CHECK(plain.lost_acknowledged == 0);
  check_accounted(plain);
  const RunResult one = run_scenario(
      load("order-per-key", {"/producers/0/config/max.in.flight.requests.per.connection=1"}),
      AckMode::isr, scenario.seed);
  CHECK(one.reordered == 0);
  const RunResult idempotent =
      run_scenario(load("order-per-key", {"/producers/0/config/enable.idempotence=true"}),
                   AckMode::isr, scenario.seed);
  CHECK(idempotent.reordered == 0);
  CHECK(idempotent.duplicates == 0);
  for (const RunResult* run : {&one, &idempotent}) {
    CHECK(run->produced == plain.produced);  // the same sends: only the producer's rule differs
    CHECK(run->lost_acknowledged == 0);
    check_accounted(*run);
  }
}

TEST_CASE("one consumer per partition: a third member of a group on two partitions idles") {
  const Scenario scenario = load("consumers-beyond-partitions");
  const RunResult run = run_scenario(scenario, AckMode::isr, scenario.seed);
  REQUIRE(run.consumer_groups.size() == 1);
  // Three members, two partitions: at the first rebalance exactly one owns nothing.
  CHECK(timeline_count(run, "rebalanced (3 member(s)): owns nothing") >= 1);
  CHECK(timeline_count(run, "rebalanced (3 member(s)): owns orders-0") >= 1);
  CHECK(timeline_count(run, "rebalanced (3 member(s)): owns orders-1") >= 1);
  // billing-0 crashes at 10 s; once its ZooKeeper session expires (6 s, in 2 s ticks) the two
  // left rebalance and both partitions are owned again, one each.
  const double expired = timeline_seconds(run, "rebalanced (2 member(s))");
  CHECK(expired > 10 + 4);
  CHECK(expired < 10 + 10);
  CHECK(timeline_count(run, "rebalanced (2 member(s)): owns nothing") == 0);
  const ConsumerGroupReport& g = run.consumer_groups[0];
  CHECK(g.consumed == run.produced);
  CHECK(g.lag_at_end == 0);
}
