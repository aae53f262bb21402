// The --trace of a run (issue 5 item 6): Chrome trace-event JSON with one track per broker,
// ZooKeeper and client, requests as complete ("X") events that never overlap on one thread,
// faults, elections and ISR changes as instant ("i") events, and only what overlaps the window.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/trace.h"
#include "kafkasim/scenario/loader.h"
#include "scenario_fixture.h"

using namespace kafkasim;
using kafkasim::test::load;
using nlohmann::json;

namespace {

RunResult traced(const Scenario& scenario, AckMode mode, double from_ms, double to_ms) {
  RunRecording recording;
  recording.trace = TraceWindow{duration_from_ms(from_ms), duration_from_ms(to_ms)};
  return run_scenario(scenario, mode, 1, RunChecks::none, recording);
}

struct Parsed {
  json events;
  std::map<std::pair<int, int>, std::string> threads;  // (pid, tid) -> name
  std::map<int, std::string> processes;
};

Parsed parse(const std::string& text) {
  Parsed p;
  const json document = json::parse(text);  // throws (fails the test) if not valid JSON
  REQUIRE(document.contains("traceEvents"));
  p.events = document.at("traceEvents");
  for (const json& e : p.events) {
    if (e.at("ph") != "M") continue;
    if (e.at("name") == "thread_name") {
      p.threads[{e.at("pid").get<int>(), e.at("tid").get<int>()}] = e.at("args").at("name");
    }
    if (e.at("name") == "process_name") p.processes[e.at("pid")] = e.at("args").at("name");
  }
  return p;
}

/// The thread name of an event.
std::string thread_of(const Parsed& p, const json& e) {
  return p.threads.at({e.at("pid").get<int>(), e.at("tid").get<int>()});
}

}  // namespace

TEST_CASE("trace: valid JSON, a process per run, a track per broker, ZooKeeper and client") {
  const Scenario scenario = load("leader-crash");
  const std::vector<RunResult> runs{traced(scenario, AckMode::async, 9000, 17000),
                                    traced(scenario, AckMode::isr, 9000, 17000)};
  const Parsed p = parse(trace_json(runs));
  CHECK(p.processes.at(1) == "acks=async seed=1");
  CHECK(p.processes.at(2) == "acks=isr seed=1");
  std::set<std::string> names;
  for (const auto& [key, name] : p.threads) {
    if (key.first == 1) names.insert(name);
  }
  for (const char* track : {"cluster", "broker-1", "broker-2", "broker-3", "zookeeper", "app"})
    CHECK_MESSAGE(names.count(track) == 1, track);
  // What the window holds: the crash on broker-1's track, the election on the controller's,
  // ZooKeeper's expiry of broker-1's session on ZooKeeper's, produce and fetch slices on the
  // brokers, the producer's requests on its own track.
  std::multiset<std::pair<std::string, std::string>> seen;  // (thread, name), run 1
  for (const json& e : p.events) {
    if (e.at("ph") == "M" || e.at("pid") != 1) continue;
    seen.insert({thread_of(p, e), e.at("name")});
  }
  CHECK(seen.count({"broker-1", "crash"}) == 1);
  CHECK(seen.count({"broker-2", "leader election"}) == 1);  // broker-2 is the controller
  CHECK(seen.count({"zookeeper", "session expired"}) == 1);
  CHECK(seen.count({"broker-1", "Produce"}) > 0);
  CHECK(seen.count({"broker-1", "Fetch"}) > 0);
  // orders-0's new leader gets its LeaderAndIsr, and another for the __consumer_offsets
  // partitions broker-1 led (the flagship's group runs the group coordinator): on the broker's
  // lanes ("broker-3", "broker-3 #2", ...), one per request handled at the same time.
  std::size_t leader_and_isr = 0;
  for (const auto& [thread, name] : seen)
    leader_and_isr += thread.rfind("broker-3", 0) == 0 && name == "LeaderAndIsr" ? 1 : 0;
  CHECK(leader_and_isr == 2);
  CHECK(seen.count({"app", "Produce"}) > 0);
  bool zookeeper_request = false;
  for (const auto& [thread, name] : seen)
    zookeeper_request =
        zookeeper_request || (thread == "zookeeper" && name.rfind("ZooKeeper ", 0) == 0);
  CHECK(zookeeper_request);
}

TEST_CASE("trace: the window is respected, slices never overlap on a thread, ts in microseconds") {
  const Scenario scenario = load("leader-crash");
  const double from_ms = 9900;
  const double to_ms = 10100;
  const Parsed p = parse(trace_json({traced(scenario, AckMode::isr, from_ms, to_ms)}));
  std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> slices;
  std::size_t complete = 0;
  for (const json& e : p.events) {
    const std::string ph = e.at("ph");
    if (ph == "M") continue;
    const double ts = e.at("ts");
    if (ph == "X") {
      ++complete;
      const double dur = e.at("dur");
      CHECK(dur >= 0);
      CHECK(ts + dur >= from_ms * 1000);
      CHECK(ts <= to_ms * 1000);
      slices[{e.at("pid").get<int>(), e.at("tid").get<int>()}].push_back({ts, ts + dur});
    } else {
      CHECK(ph == "i");
      CHECK(ts >= from_ms * 1000);
      CHECK(ts <= to_ms * 1000);
    }
  }
  CHECK(complete > 10);
  for (auto& [thread, list] : slices) {
    std::sort(list.begin(), list.end());
    for (std::size_t i = 1; i < list.size(); ++i)
      CHECK(list[i].first >= list[i - 1].second);
  }
}

TEST_CASE("trace: a narrower window keeps fewer events; without --trace nothing is recorded") {
  const Scenario scenario = load("leader-crash");
  const RunResult wide = traced(scenario, AckMode::async, 0, 20000);
  const RunResult narrow = traced(scenario, AckMode::async, 9990, 10010);
  CHECK(narrow.trace.events.size() * 10 < wide.trace.events.size());
  CHECK(run_scenario(scenario, AckMode::async, 1).trace.events.empty());
}
