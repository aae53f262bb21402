// The timeline tells the queue's story too (issue 14 item 4): load changes, a group's backlog
// (its lag peak and when it drained), rebalances with their cause, and the controller's
// LeaderAndIsr reaching each broker. Unit tests of the parts, then the shipped scenarios.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/lag_story.h"
#include "kafkasim/run/load_change_notes.h"
#include "kafkasim/run/loss_checker.h"
#include "kafkasim/run/report.h"
#include "kafkasim/run/timeline.h"
#include "scenario_fixture.h"

using namespace kafkasim;
using kafkasim::test::find_line;
using kafkasim::test::load;
using kafkasim::test::timeline_count;

namespace {

Instant at_ms(std::int64_t ms) {
  return Instant::start() + std::chrono::milliseconds(ms);
}

}  // namespace

TEST_CASE("lag story: a backlog is told when it drains, with its peak and when") {
  LagStory story({"billing"}, at_ms(0));
  CHECK_FALSE(story.observe(0, 5, at_ms(1000)));     // keeping up
  CHECK_FALSE(story.observe(0, 500, at_ms(2000)));   // a backlog starts
  CHECK_FALSE(story.observe(0, 8000, at_ms(3000)));  // the peak
  CHECK_FALSE(story.observe(0, 81, at_ms(4000)));    // not yet under 1% of 8000
  const std::optional<std::string> line = story.observe(0, 80, at_ms(5000));
  REQUIRE(line);
  CHECK(line->find("billing") != std::string::npos);
  CHECK(line->find("peaked at 8000 records at 3.000 s") != std::string::npos);
  CHECK(line->find("back at 80 or fewer") != std::string::npos);
  // Closed: nothing is open at the end.
  CHECK(story.unfinished({80}, at_ms(6000)).empty());
}

TEST_CASE("lag story: a blip shorter than kBacklogMinDuration is not a backlog") {
  LagStory story({"billing"}, at_ms(0));
  CHECK_FALSE(story.observe(0, 400, at_ms(1000)));
  CHECK_FALSE(story.observe(0, 3, at_ms(1100)));  // drained after 100 ms: not told
  CHECK(story.unfinished({3}, at_ms(2000)).empty());
}

TEST_CASE("lag story: a backlog still open at the end is told with the lag then") {
  LagStory story({"a", "b"}, at_ms(0));
  CHECK_FALSE(story.observe(1, 200, at_ms(1000)));
  CHECK_FALSE(story.observe(1, 900, at_ms(4000)));
  const std::vector<std::string> lines = story.unfinished({0, 700}, at_ms(9000));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("group b's backlog never drained") != std::string::npos);
  CHECK(lines[0].find("peaked at 900 records at 4.000 s and is 700 at the end") !=
        std::string::npos);
}

TEST_CASE("timeline: scheduled lines are written in time order among the others") {
  ClusterLayout layout;
  LossChecker losses(layout, {}, at_ms(0), [](TopicPartition, Offset) { return 0ULL; });
  Timeline timeline(layout, at_ms(100), losses);
  timeline.schedule_note(at_ms(50), "load change", std::nullopt, "before the start: dropped");
  timeline.schedule_note(at_ms(300), "load change", std::nullopt, "second");
  timeline.schedule_note(at_ms(200), "load change", std::nullopt, "first");
  timeline.schedule_note(at_ms(900), "load change", std::nullopt, "after the last event");
  timeline.note(at_ms(250), "between");
  timeline.note(at_ms(300), "same instant, after the scheduled one");
  timeline.flush_scheduled(at_ms(1000));
  const std::vector<std::string> want = {
      "    0.100 s  first", "    0.150 s  between", "    0.200 s  second",
      "    0.200 s  same instant, after the scheduled one", "    0.800 s  after the last event"};
  CHECK(timeline.lines() == want);
}

TEST_CASE("load change notes: a later start, each rate change, an early stop") {
  ClusterLayout layout;
  LossChecker losses(layout, {}, at_ms(0), [](TopicPartition, Offset) { return 0ULL; });
  Timeline timeline(layout, at_ms(0), losses);
  ProducerSpec p;
  p.name = "app";
  p.rate_per_s = 500;
  p.start = at_ms(2000);
  p.stop = at_ms(9000);
  p.rate_changes = {
      {at_ms(1000), 700}, {at_ms(4000), 3000}, {at_ms(5000), 3000}, {at_ms(6000), 2.5}};
  schedule_load_change_notes({p}, {NodeId(0)}, at_ms(0), at_ms(10000), timeline);
  timeline.flush_scheduled(at_ms(10000));
  const std::vector<std::string> want = {
      "    2.000 s  producer app starts sending, 700 messages/s (start_ms)",
      "    4.000 s  producer app goes from 700 messages/s to 3000 messages/s (rate_changes)",
      "    6.000 s  producer app goes from 3000 messages/s to 2.5 messages/s (rate_changes)",
      "    9.000 s  producer app stops sending (stop_ms)"};
  CHECK(timeline.lines() == want);
}

TEST_CASE("load changes in the report: what the timeline tells, for the plots to mark") {
  // Two producers: the second's changes come between the first's, so the list is by time.
  ProducerSpec a;
  a.name = "app";
  a.rate_per_s = 500;
  a.start = at_ms(2000);
  a.stop = at_ms(9000);
  a.rate_changes = {{at_ms(4000), 3000}, {at_ms(5000), 3000}};
  ProducerSpec b;
  b.name = "batch";
  b.rate_per_s = 100;
  b.rate_changes = {{at_ms(3000), 200}, {at_ms(12000), 1}};  // the second is after the end
  const std::vector<LoadChange> changes = load_changes({a, b}, at_ms(0), at_ms(10000));
  REQUIRE(changes.size() == 4);
  CHECK((changes[0].at == at_ms(2000) && changes[0].producer == 0));
  CHECK((changes[0].from_per_s == 0 && changes[0].to_per_s == 500));
  CHECK(changes[0].key == "start_ms");
  CHECK((changes[1].at == at_ms(3000) && changes[1].producer == 1));
  CHECK((changes[1].from_per_s == 100 && changes[1].to_per_s == 200));
  CHECK(changes[1].key == "rate_changes");
  CHECK((changes[2].at == at_ms(4000) && changes[2].from_per_s == 500));
  CHECK(changes[2].to_per_s == 3000);
  CHECK((changes[3].at == at_ms(9000) && changes[3].from_per_s == 3000));
  CHECK((changes[3].to_per_s == 0 && changes[3].key == "stop_ms"));
  // The flagship's report: the load triples at 20 s.
  const Scenario scenario = load("leader-crash");
  const auto report = report_json(scenario, {run_scenario(scenario, AckMode::async, 1)}, 1, 1);
  const auto& listed = report.at("scenario").at("load_changes");
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("at_ms") == 20000.0);
  CHECK(listed[0].at("producer") == "app");
  CHECK(listed[0].at("from_per_s") == 2000.0);
  CHECK(listed[0].at("to_per_s") == 6000.0);
  CHECK(listed[0].at("key") == "rate_changes");
}

TEST_CASE("consumer-burst timeline: the burst, then the backlog's peak and its drain") {
  const RunResult run = run_scenario(load("consumer-burst"), AckMode::async, 1);
  const int burst = find_line(run, {"10.000 s", "goes from 500 messages/s to 3000"});
  const int calm = find_line(run, {"15.000 s", "goes from 3000 messages/s to 500"});
  // The description's arithmetic: a peak of about 10,000 at 15 s, drained about 20 s later.
  const int drained = find_line(run, {"backlog drained", "peaked at 100", "at 15.0"});
  REQUIRE(burst >= 0);
  CHECK(calm > burst);
  CHECK(drained > calm);
  // The other backlog is the group's first 3 s, before its first join (its coordinator waits
  // group.initial.rebalance.delay.ms), drained before the burst.
  CHECK(timeline_count(run, "backlog") == 2);
  CHECK(find_line(run, {"backlog drained"}) < burst);
}

TEST_CASE("consumer-slow timeline: a backlog that never drains is told at the end") {
  const RunResult run = run_scenario(load("consumer-slow"), AckMode::async, 1);
  CHECK(find_line(run, {"backlog never drained"}) == static_cast<int>(run.timeline.size()) - 1);
}

TEST_CASE("leader-crash timeline: rebalances say why; each broker's LeaderAndIsr is told") {
  // The rebalance causes are the ZooKeeper consumer's: its members watch /brokers/ids.
  const RunResult run = run_scenario(
      load("leader-crash", {"/consumers/0/coordination=\"zookeeper\""}), AckMode::async, 1);
  CHECK(find_line(run, {"billing-0 rebalanced", "cause: it joined the group"}) >= 0);
  const int expiry = find_line(run, {"16.000 s", "ZooKeeper expired the session"});
  const int rebalance = find_line(run, {"billing-0 rebalanced", "cause: the brokers changed"});
  CHECK(rebalance > expiry);
  // After the election, the new leader and the other follower learn it from the controller;
  // the crashed broker learns it when it is back.
  const int election = find_line(run, {"orders-0 -> broker-3"});
  const int leads =
      find_line(run, {"broker-3 applied the controller's LeaderAndIsr", "orders-0: leads it"});
  const int follows = find_line(
      run, {"broker-2 applied the controller's LeaderAndIsr", "orders-0: follows broker-3"});
  const int restarted = find_line(run, {"broker-1 restarted"});
  const int rejoins = find_line(
      run, {"broker-1 applied the controller's LeaderAndIsr", "orders-0: follows broker-3"});
  REQUIRE(election >= 0);
  CHECK(leads > election);
  CHECK(follows > election);
  CHECK(rejoins > restarted);
  CHECK(find_line(run, {"20.000 s", "goes from 2000 messages/s to 6000"}) > election);
}
