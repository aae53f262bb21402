// The consumer scenarios of issue 4, each run end to end with the arithmetic a student would do
// on paper: lag grows at (arrival rate - consume rate), drains at (consume rate - arrival rate),
// a crashed member's successor redelivers what it processed since its last commit. Tolerances
// name what they absorb (the 1 ms lag sampling, a fetch round trip, a record in processing).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "../../sim/run/cluster.h"
#include "../../sim/run/fault_injector.h"
#include "kafkasim/run/cluster_run.h"
#include "kafkasim/scenario/loader.h"
#include "scenario_fixture.h"

using namespace kafkasim;
using kafkasim::test::load;
using kafkasim::test::timeline_count;
using kafkasim::test::timeline_has;

namespace {

/// The lag of group 0 every `step` of scenario time, from the live cluster's accessor
/// (Cluster::consumer_lag), the way run_scenario runs a scenario.
struct LagPoint {
  double at_ms;
  std::int64_t lag;
};

std::vector<LagPoint> lag_trace(const Scenario& scenario, AckMode mode, Duration step) {
  const Scenario shifted = shifted_by_boot(scenario);
  Cluster cluster(shifted, mode, scenario.seed);
  const Instant start = Instant::start() + kBootTime;
  const Instant end = start + scenario.duration;
  FaultInjector faults(cluster, shifted.faults, start, end);
  std::vector<LagPoint> trace;
  for (Instant t = start; t <= end + scenario.settle; t += step) {
    cluster.engine().run_until(t);
    trace.push_back({to_ms(t - start), cluster.consumer_lag(GroupIndex(0))});
  }
  return trace;
}

std::int64_t lag_at(const std::vector<LagPoint>& trace, double ms) {
  for (const LagPoint& p : trace)
    if (p.at_ms >= ms) return p.lag;
  return trace.back().lag;
}

/// The first time at or after `from_ms` when the lag is at most `threshold`.
double first_below(const std::vector<LagPoint>& trace, double from_ms, std::int64_t threshold) {
  for (const LagPoint& p : trace)
    if (p.at_ms >= from_ms && p.lag <= threshold) return p.at_ms;
  return -1;
}

}  // namespace

TEST_CASE("burst absorbed by the log: peak lag (3000-1000)x5 s, drained at 1000-500 per second") {
  const Scenario scenario = load("consumer-burst");
  // Rates of the scenario: base 500/s, burst 3000/s over [10 s, 15 s), consume 1/(1 ms).
  constexpr double base = 500, burst = 3000, consume = 1000, burst_s = 5;
  constexpr double peak = (burst - consume) * burst_s;  // 10,000
  constexpr double drain_s = peak / (consume - base);   // 20 s
  const std::vector<LagPoint> trace =
      lag_trace(scenario, AckMode::isr, std::chrono::milliseconds(10));
  std::int64_t trace_peak = 0;
  double trace_peak_at = 0;
  for (const LagPoint& p : trace) {
    if (p.lag > trace_peak) {
      trace_peak = p.lag;
      trace_peak_at = p.at_ms;
    }
  }
  // 1% covers the records of one fetch round trip and the 10 ms step of the trace.
  CHECK(std::abs(trace_peak - peak) <= peak * 0.01);
  CHECK(std::abs(trace_peak_at - 15000) <= 20);
  // The climb and the descent are straight lines of slope 2000/s and -500/s.
  CHECK(std::abs(lag_at(trace, 12500) - (burst - consume) * 2.5) <= 50);
  CHECK(std::abs(lag_at(trace, 25000) - (peak - (consume - base) * 10)) <= 50);
  // Caught up (a few records: one poll's worth at 500/s) drain_s after the burst.
  const double caught_up = first_below(trace, 15000, 5);
  CHECK(std::abs(caught_up - (15000 + drain_s * 1000)) <= 100);
  // Before the burst the consumer keeps up, once it has drained the 1,500 messages of its first
  // 3 s (its group's first join waits group.initial.rebalance.delay.ms) at 1000 - 500 per second.
  CHECK(lag_at(trace, 8000) <= 5);

  const RunResult async = run_scenario(scenario, AckMode::async, scenario.seed);
  const RunResult isr = run_scenario(scenario, AckMode::isr, scenario.seed);
  for (const RunResult* run : {&async, &isr}) {
    REQUIRE(run->consumer_groups.size() == 1);
    const ConsumerGroupReport& g = run->consumer_groups[0];
    CHECK(run->failed == 0);
    CHECK(g.consumed == run->produced);  // everything was processed, nothing twice
    CHECK(g.redelivered == 0);
    CHECK(g.lag_at_end == 0);
    CHECK(std::abs(g.max_lag - peak) <= peak * 0.01);
    CHECK(std::abs(g.max_lag_at_ms - 15000) <= 20);
    // The last message of the burst waits for the whole backlog: peak / consume rate = 10 s.
    CHECK(std::abs(g.end_to_end_latency.max_ms - peak / consume * 1000) <= 100);
    // The producers never see the backlog: a dozen ms at most (five requests in flight, each
    // read by the leader once the one before it is answered).
    CHECK(run->latency.max_ms < 15);
  }
  // The report's max_lag (sampled every millisecond) is the accessor's peak, to within the
  // 10 ms step of the trace at 2000 messages/s.
  CHECK(std::abs(isr.consumer_groups[0].max_lag - trace_peak) <= 25);
}

TEST_CASE("a consumer slower than the producers never catches up") {
  const Scenario scenario = load("consumer-slow");
  // The group reads from join_s on: its first join waits group.initial.rebalance.delay.ms.
  constexpr double produce = 1000, consume = 500, duration_s = 30, settle_s = 10, join_s = 3;
  const RunResult run = run_scenario(scenario, AckMode::isr, scenario.seed);
  REQUIRE(run.consumer_groups.size() == 1);
  const ConsumerGroupReport& g = run.consumer_groups[0];
  // The lag is produce x join_s at the join, grows at 500/s while the producers send, then
  // shrinks at 500/s.
  const double peak = produce * duration_s - consume * (duration_s - join_s);  // 16,500
  CHECK(std::abs(g.max_lag - peak) <= 50);
  CHECK(std::abs(g.max_lag_at_ms - duration_s * 1000) <= 20);
  CHECK(std::abs(g.lag_at_end - (peak - consume * settle_s)) <= 50);
  CHECK(std::abs(static_cast<double>(g.consumed) - consume * (duration_s + settle_s - join_s)) <=
        50);
  CHECK(g.consumed + static_cast<std::uint64_t>(g.lag_at_end) == run.produced);
  // The message sent at t is processed at join_s + 2t: the last processed (at 40 s) was sent at
  // 18.5 s.
  CHECK(std::abs(g.end_to_end_latency.max_ms - (duration_s + settle_s + join_s) / 2 * 1000) <= 100);
  CHECK(run.latency.max_ms < 15);
  const std::vector<LagPoint> trace =
      lag_trace(scenario, AckMode::isr, std::chrono::milliseconds(100));
  CHECK(std::abs(lag_at(trace, 10000) - ((produce - consume) * 10 + consume * join_s)) <= 50);
  CHECK(std::abs(lag_at(trace, 20000) - ((produce - consume) * 20 + consume * join_s)) <= 50);
}

TEST_CASE("group rebalance: a crashed member's partitions are redelivered from the last commit") {
  const Scenario scenario = load("consumer-rebalance");
  // billing-1 owns 2 of 4 partitions fed at 250/s each: 500/s. Its last auto commit was at
  // 10 s (auto.commit.interval.ms = 5000 from its start at 0); it crashes at 12.5 s.
  constexpr double member_rate = 500, since_commit_s = 2.5, session_s = 6;
  const RunResult run = run_scenario(scenario, AckMode::isr, scenario.seed);
  REQUIRE(run.consumer_groups.size() == 1);
  const ConsumerGroupReport& g = run.consumer_groups[0];
  // At most what it processed since its last commit; at least that minus the records of the
  // last fetch round trip before the crash.
  CHECK(g.redelivered <= static_cast<std::uint64_t>(member_rate * since_commit_s));
  CHECK(g.redelivered >= static_cast<std::uint64_t>(member_rate * since_commit_s) - 10);
  CHECK(g.consumed == run.produced);
  CHECK(g.lag_at_end == 0);
  // Its partitions wait at least the session timeout; the expiry falls on a 2 s tick, so the
  // takeover is at 20 s: 7.5 s of 500/s stranded, plus the redelivered backlog.
  CHECK(g.max_lag >= static_cast<std::int64_t>(member_rate * session_s));
  CHECK(g.max_lag <= static_cast<std::int64_t>(member_rate * 8 + member_rate * since_commit_s));
  CHECK(g.end_to_end_latency.max_ms >= session_s * 1000);
  CHECK(timeline_has(run, "ZooKeeper expired the session of billing-1"));
  CHECK(timeline_has(run,
                     "billing-0 rebalanced (1 member(s)): owns orders-0, orders-1, orders-2, "
                     "orders-3"));
  // The rejoin at 32.5 s, 2.5 s after billing-0's last periodic commit: both members
  // rebalance, committing before they let partitions go.
  // (The first of these lines is the group's start.)
  CHECK(timeline_count(run, "billing-1 rebalanced (2 member(s)): owns orders-2, orders-3") == 2);

  // The same crash with the member back only at duration_ms (when every fault ends, SPEC.md),
  // after the producers stopped: the join during traffic at 32.5 s redelivered nothing.
  Scenario no_rejoin = scenario;
  std::get<CrashFault>(no_rejoin.faults[0]).until = Instant::start() + scenario.duration;
  const RunResult without = run_scenario(no_rejoin, AckMode::isr, scenario.seed);
  CHECK_FALSE(timeline_has(without, "32.500 s  billing-1 restarted"));
  CHECK(without.consumer_groups[0].redelivered == g.redelivered);
  CHECK(without.consumer_groups[0].consumed == without.produced);
}

TEST_CASE(
    "leader failover under a group: acks=1 shortens the producer's latency far more than the "
    "end-to-end latency") {
  const Scenario scenario = load("consumer-leader-failover");
  const RunResult async = run_scenario(scenario, AckMode::async, scenario.seed);
  const RunResult isr = run_scenario(scenario, AckMode::isr, scenario.seed);
  REQUIRE(async.consumer_groups.size() == 1);
  REQUIRE(isr.consumer_groups.size() == 1);
  const LatencySummary& e2e_async = async.consumer_groups[0].end_to_end_latency;
  const LatencySummary& e2e_isr = isr.consumer_groups[0].end_to_end_latency;
  // acks=1 answers the producer a follower round trip sooner ...
  CHECK(async.latency.p50_ms + 1 < isr.latency.p50_ms);
  // ... but the consumer sees a message only below the high watermark in either mode, so
  // async's end-to-end latency pays the replication its producer did not wait for, and the
  // modes' end-to-end latencies differ less than their producers' do. (They are not the same:
  // acks=all's records also wait their turn at the leader, which reads one request per
  // connection at a time and the next only once the previous one is answered.)
  CHECK(e2e_isr.p50_ms - e2e_async.p50_ms < isr.latency.p50_ms - async.latency.p50_ms);
  CHECK(e2e_async.p50_ms > 2 * async.latency.p50_ms);
  for (const RunResult* run : {&async, &isr}) {
    const ConsumerGroupReport& g = run->consumer_groups[0];
    CHECK(run->leader_elections == 1);
    // Every acknowledged message that survived was processed; none the log lost.
    CHECK(g.consumed == run->acknowledged - run->lost_acknowledged);
    CHECK(g.lag_at_end == 0);
    // The failover stalls producers and consumers alike for about the session timeout.
    CHECK(g.end_to_end_latency.max_ms >= 6000);
    CHECK(g.end_to_end_latency.max_ms <= 7000);
    // The lag peaks at thousands of messages; less than 1000/s x 6 s, since the producer's backlog
    // reaches the new leader one request at a time while the group already reads.
    CHECK(g.max_lag >= 1000 * 4);
  }
}

TEST_CASE("a member's clean shutdown: offsets committed, the others take over at once") {
  // consumer-rebalance with a shutdown fault instead of the crash: billing-1 stops cleanly at
  // 12.5 s (ZookeeperConsumerConnector.shutdown) and comes back at 32.5 s.
  Scenario scenario = load("consumer-rebalance");
  const CrashFault crash = std::get<CrashFault>(scenario.faults[0]);
  ShutdownFault shutdown;
  shutdown.at = crash.at;
  shutdown.until = crash.until;
  shutdown.target = crash.target;
  scenario.faults[0] = shutdown;
  const Scenario shifted = shifted_by_boot(scenario);
  Cluster cluster(shifted, AckMode::isr, scenario.seed);
  const Instant start = Instant::start() + kBootTime;
  const Instant end = start + scenario.duration;
  FaultInjector faults(cluster, shifted.faults, start, end);
  cluster.engine().run_until(start + std::chrono::milliseconds(12499));
  Consumer& leaving = *cluster.consumers()[1];
  REQUIRE(leaving.owned_partitions() == std::vector<std::int32_t>{2, 3});
  // Closing the session deletes its ephemeral nodes now: billing-0 rebalances within a few
  // ZooKeeper round trips, not after the session timeout.
  cluster.engine().run_until(start + std::chrono::milliseconds(12600));
  CHECK_FALSE(leaving.is_up());
  CHECK(cluster.consumers()[0]->owned_partitions() == std::vector<std::int32_t>{0, 1, 2, 3});
  cluster.engine().run_until(end + scenario.settle);
  const RunResult run = cluster.finish(AckMode::isr, scenario.seed);
  REQUIRE(run.consumer_groups.size() == 1);
  // The commit on shutdown covers everything billing-1 processed: nothing is redelivered,
  // neither then nor when it rejoins.
  CHECK(run.consumer_groups[0].redelivered == 0);
  CHECK(run.consumer_groups[0].consumed == run.produced);
  CHECK(timeline_has(run, "billing-1 shut down cleanly"));
  CHECK(timeline_count(run, "billing-1 rebalanced (2 member(s)): owns orders-2, orders-3") == 2);
  CHECK_FALSE(timeline_has(run, "ZooKeeper expired the session of billing-1"));
}

TEST_CASE(
    "a paused or cut-off member: its session expires, it comes back as a zombie, then rejoins") {
  // billing-1 frozen (pause) or isolated (partition) from 12.5 s to 25 s instead of crashed.
  const std::string others = R"(["broker-1","broker-2","broker-3","zookeeper","billing-0","app"])";
  for (const std::string& fault :
       {std::string(R"({"type":"pause","target":"billing-1","at_ms":12500,"until_ms":25000})"),
        R"({"type":"partition","sides":[["billing-1"],)" + others +
            R"(],"at_ms":12500,"until_ms":25000})"}) {
    CAPTURE(fault);
    const Scenario scenario = load("consumer-rebalance", {"/faults/0=" + fault});
    const RunResult run = run_scenario(scenario, AckMode::isr, scenario.seed);
    const ConsumerGroupReport& g = run.consumer_groups.at(0);
    // As after the crash: the others take over when ZooKeeper expires the session (6 s after
    // its last ping at about 12.5 s, on the next 3 s tick: ZooKeeper's default tickTime) ...
    CHECK(timeline_has(run, "19.000 s  ZooKeeper expired the session of billing-1"));
    CHECK(timeline_has(run,
                       "billing-0 rebalanced (1 member(s)): owns orders-0, orders-1, "
                       "orders-2, orders-3"));
    // ... but the member is still alive: once it can talk again it learns of the expiry, drops
    // its partitions and registers again.
    CHECK(timeline_has(run, "billing-1 learned that its ZooKeeper session expired"));
    CHECK(timeline_count(run, "billing-1 rebalanced (2 member(s)): owns orders-2, orders-3") == 2);
    // Until it learns, it works on what it had fetched, which billing-0 has processed too: more
    // than the 1,250 a crash redelivers.
    CHECK(g.redelivered > 1250);
    CHECK(g.consumed == run.produced);
    CHECK(g.lag_at_end == 0);
  }
}
