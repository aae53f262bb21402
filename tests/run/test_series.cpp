// The --series of a run (SPEC.md "--series"): every metric, values that tell the flagship's
// story (the crashed broker is down 10-40 s, the ISR shrinks, acknowledgements add up to the
// summary), and a run with a series (or a trace, or progress) gives the same results as one
// without.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/report.h"
#include "kafkasim/run/series.h"
#include "kafkasim/scenario/loader.h"
#include "scenario_fixture.h"

using namespace kafkasim;
using kafkasim::test::load;

namespace {

RunResult with_series(const Scenario& scenario, AckMode mode, std::int64_t interval_ms = 100) {
  RunRecording recording;
  recording.series_interval = std::chrono::milliseconds(interval_ms);
  return run_scenario(scenario, mode, 1, RunChecks::none, recording);
}

/// metric -> subject -> time_ms -> value
using Table = std::map<std::string, std::map<std::string, std::map<std::int64_t, double>>>;

Table table(const RunResult& run) {
  Table t;
  for (const SeriesRow& row : run.series.rows)
    t[std::string(to_string(row.metric))][run.series.subjects[row.subject]][row.time_ms] =
        row.value;
  return t;
}

}  // namespace

TEST_CASE("series: every metric, sampled on the interval's grid, in the documented order") {
  const Scenario scenario = load("leader-crash");
  const RunResult run = with_series(scenario, AckMode::async);
  const Table t = table(run);
  for (const char* metric : {"isr_size", "high_watermark", "log_end_offset", "acked",
                             "latency_p99_ms", "consumer_lag", "broker_up"}) {
    CHECK_MESSAGE(t.count(metric) == 1, metric);
  }
  // The flagship's one group, by its name. Its consumer (5,000/s) falls behind once the load
  // triples to 6,000/s at 20 s: the sampled lag peaks near the run's max_lag (sampled every
  // millisecond), never above it.
  REQUIRE(t.at("consumer_lag").count("billing") == 1);
  double peak = 0;
  for (const auto& [time_ms, lag] : t.at("consumer_lag").at("billing"))
    peak = std::max(peak, lag);
  REQUIRE(run.consumer_groups.size() == 1);
  const auto max_lag = static_cast<double>(run.consumer_groups[0].max_lag);
  CHECK(max_lag > 10'000);
  CHECK(peak <= max_lag);
  CHECK(peak >= 0.95 * max_lag);
  CHECK(t.at("log_end_offset").size() == 3);  // orders-0/broker-1, -2, -3
  CHECK(t.at("log_end_offset").count("orders-0/broker-2") == 1);
  CHECK(t.at("broker_up").size() == 3);
  CHECK(t.at("acked").count("app") == 1);
  // Samples at 0, 100, ..., duration + settle (90 s), every subject of a gap-free metric each time.
  const auto& up = t.at("broker_up").at("broker-1");
  CHECK(up.size() == 901);
  CHECK(up.begin()->first == 0);
  CHECK(up.rbegin()->first == 90000);
  // Rows by time, then metric in the SPEC's order, then subject.
  for (std::size_t i = 1; i < run.series.rows.size(); ++i) {
    const SeriesRow& a = run.series.rows[i - 1];
    const SeriesRow& b = run.series.rows[i];
    CHECK((a.time_ms < b.time_ms || (a.time_ms == b.time_ms && a.metric <= b.metric)));
  }
}

TEST_CASE("series: the crashed broker is down from 10 s to 40 s, the partition leaderless 6 s") {
  const RunResult run = with_series(load("leader-crash"), AckMode::async);
  const Table t = table(run);
  const auto& up = t.at("broker_up").at("broker-1");
  CHECK(up.at(9900) == 1);
  CHECK(up.at(10000) == 0);  // the fault's timer comes before the sampler's at the same instant
  CHECK(up.at(39900) == 0);
  CHECK(up.at(40100) == 1);
  for (const auto& [time, value] : t.at("broker_up").at("broker-2"))
    CHECK(value == 1);
  // No live leader from the crash to the election after the ZooKeeper session timeout (6 s):
  // isr_size 0 and no high_watermark row; then broker-3 leads with ISR [broker-3, broker-2].
  const auto& isr = t.at("isr_size").at("orders-0");
  const auto& hw = t.at("high_watermark").at("orders-0");
  CHECK(isr.at(9900) == 3);
  CHECK(isr.at(12000) == 0);
  CHECK(hw.count(12000) == 0);
  CHECK(isr.at(17000) == 2);
  CHECK(hw.count(17000) == 1);
  CHECK(isr.at(80000) == 3);  // broker-1 caught up and rejoined
  // The high watermark never passes the largest log end offset of the replicas.
  for (const auto& [time, value] : hw) {
    double largest = 0;
    for (const auto& [replica, ends] : t.at("log_end_offset"))
      largest = std::max(largest, ends.at(time));
    CHECK(value <= largest);
  }
  // Acknowledgements per interval add up to the run's count; each interval's p99 is bounded by
  // the run's maximum latency.
  double acked = 0;
  for (const auto& [time, value] : t.at("acked").at("app"))
    acked += value;
  CHECK(acked == static_cast<double>(run.acknowledged));
  for (const auto& [time, value] : t.at("latency_p99_ms").at("app")) {
    CHECK(value > 0);
    CHECK(value <= run.latency.max_ms * 1.01);
  }
  // During the outage async's producer waits: no acknowledgement between 11 s and 16 s.
  CHECK(t.at("acked").at("app").at(13000) == 0);
  CHECK(t.at("latency_p99_ms").at("app").count(13000) == 0);
}

TEST_CASE("series: the leader's own ISR shrink shows as isr_size 1") {
  // unclean-election-min-isr-2: broker-1 is cut off from its followers at 5 s and shrinks the
  // ISR to itself after replica.lag.time.max.ms (at 18 s); it crashes at 20 s.
  const RunResult run = with_series(load("unclean-election-min-isr-2"), AckMode::isr, 500);
  const Table t = table(run);  // held: a reference into a temporary would dangle
  const auto& isr = t.at("isr_size").at("orders-0");
  CHECK(isr.at(4500) == 3);
  CHECK(isr.at(19000) == 1);
}

TEST_CASE("series, trace and progress change no result") {
  const Scenario scenario = load("leader-crash");
  std::vector<RunResult> plain;
  std::vector<RunResult> recorded;
  std::atomic<std::int64_t> progress{0};
  for (AckMode mode : {AckMode::async, AckMode::isr}) {
    plain.push_back(run_scenario(scenario, mode, 1));
    RunRecording recording;
    recording.series_interval = std::chrono::milliseconds(100);
    recording.trace = TraceWindow{std::chrono::seconds(9), std::chrono::seconds(17)};
    recording.progress_ms = &progress;
    recorded.push_back(run_scenario(scenario, mode, 1, RunChecks::none, recording));
  }
  CHECK(summary_csv(scenario, plain) == summary_csv(scenario, recorded));
  CHECK(report_json(scenario, plain, 1, 1).dump() == report_json(scenario, recorded, 1, 1).dump());
  CHECK(timelines(plain) == timelines(recorded));
  CHECK(progress.load() == 90000);  // duration + settle, in ms
  // Nothing is recorded unless asked for.
  CHECK(plain[0].series.rows.empty());
  CHECK(plain[0].trace.events.empty());
}

TEST_CASE("series CSV: the SPEC's header, integer counts, latencies with three decimals") {
  const Scenario scenario = load("leader-crash");
  const RunResult run = with_series(scenario, AckMode::isr, 1000);
  const std::string csv = series_csv({run});
  CHECK(csv.rfind("acks,seed,time_ms,metric,subject,value\n", 0) == 0);
  CHECK(csv.find("\nisr,1,0,isr_size,orders-0,3\n") != std::string::npos);
  CHECK(csv.find("\nisr,1,10000,broker_up,broker-1,0\n") != std::string::npos);
  CHECK(csv.find(",log_end_offset,orders-0/broker-3,") != std::string::npos);
  const auto p99 = csv.find(",latency_p99_ms,app,");
  REQUIRE(p99 != std::string::npos);
  const std::string value = csv.substr(p99 + 20, csv.find('\n', p99) - p99 - 20);
  CHECK(value.size() > 4);
  CHECK(value[value.size() - 4] == '.');
}

namespace {

/// consumers-beyond-partitions with numbers to compute by hand: the producer writes 1,000
/// messages/s round-robin to orders-0 and orders-1 for 2 s, then stops (1,000 records each);
/// the group's 3 members start at 5 s and each processes one record per 5 ms (200/s). The range
/// assignor gives orders-0 to billing-0, orders-1 to billing-1 and nothing to billing-2.
Table partition_and_member_lag(const std::string& coordination) {
  const Scenario scenario =
      load("consumers-beyond-partitions",
           {"/faults=[]", "/producers/0/stop_ms=2000", "/consumers/0/start_ms=5000",
            "/consumers/0/processing_ms=5", "/consumers/0/coordination=\"" + coordination + "\"",
            "/duration_ms=20000", "/settle_ms=5000"});
  return table(with_series(scenario, AckMode::isr, 500));
}

}  // namespace

TEST_CASE(
    "series: partition_lag is each partition's share of the group's lag, member_lag that of the "
    "partitions the member owns (both coordinations)") {
  for (const std::string coordination : {"zookeeper", "coordinator"}) {
    CAPTURE(coordination);
    const Table t = partition_and_member_lag(coordination);
    const auto& group = t.at("consumer_lag").at("billing");
    const auto& p0 = t.at("partition_lag").at("billing/orders-0");
    const auto& p1 = t.at("partition_lag").at("billing/orders-1");
    const auto& m0 = t.at("member_lag").at("billing-0");
    const auto& m1 = t.at("member_lag").at("billing-1");
    const auto& m2 = t.at("member_lag").at("billing-2");
    CHECK(t.at("partition_lag").size() == 2);
    CHECK(t.at("member_lag").size() == 3);
    // At 3 s everything is written and committed, nothing consumed: 1,000 per partition, and no
    // member owns anything yet.
    CHECK(p0.at(3000) == 1000);
    CHECK(p1.at(3000) == 1000);
    CHECK(group.at(3000) == 2000);
    CHECK(m0.at(3000) == 0);
    CHECK(m1.at(3000) == 0);
    // Every sample: the partitions add up to the group; a member's lag is its partition's or,
    // while it owns nothing (before its first assignment), 0; the idle member's is always 0.
    std::int64_t first_owned = -1;
    for (const auto& [time, lag] : group) {
      CAPTURE(time);
      CHECK(p0.at(time) + p1.at(time) == lag);
      CHECK((m0.at(time) == 0 || m0.at(time) == p0.at(time)));
      CHECK((m1.at(time) == 0 || m1.at(time) == p1.at(time)));
      CHECK(m2.at(time) == 0);
      if (first_owned < 0 && m0.at(time) > 0) first_owned = time;
    }
    // Once billing-0 holds orders-0 it drains it at 200 records/s: 1 s later 200 fewer (give or
    // take the one record in progress at each end), and all of it by the end.
    REQUIRE(first_owned >= 5000);
    CHECK(m0.at(first_owned) == p0.at(first_owned));
    const double drained = p0.at(first_owned) - p0.at(first_owned + 1000);
    CHECK(drained >= 199);
    CHECK(drained <= 201);
    CHECK(m0.at(first_owned + 1000) == p0.at(first_owned + 1000));
    CHECK(p0.at(25000) == 0);
    CHECK(m0.at(25000) == 0);
  }
}
