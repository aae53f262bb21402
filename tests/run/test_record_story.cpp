// A record's story (record_story.h) and the page's other views of a run: the cluster's states
// sampled with the series (cluster_states.h) and the traffic counted from the trace (traffic.h).
// The leader-crash lesson under acks=1 loses records that only the crashed leader had: the
// story of one of them names its append, its acknowledgement and the truncation that removed it.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/cluster_states.h"
#include "kafkasim/run/record_story.h"
#include "kafkasim/run/traffic.h"
#include "scenario_fixture.h"

using namespace kafkasim;
using kafkasim::test::load;

namespace {

/// The leader-crash lesson's run under `mode`, traced over its whole length: made once per mode
/// for all the cases below (a traced run takes a few seconds).
const RunResult& traced_run(AckMode mode) {
  static std::map<AckMode, RunResult> runs;
  auto it = runs.find(mode);
  if (it == runs.end()) {
    RunRecording recording;
    recording.trace = TraceWindow{};
    it = runs.emplace(mode, run_scenario(load("leader-crash"), mode, 1, RunChecks::none, recording))
             .first;
  }
  return it->second;
}

const StoryStep* find_kind(const RecordStory& story, const std::string& kind) {
  for (const StoryStep& s : story.steps) {
    if (s.kind == kind) return &s;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("record story: a lost record's send, append, acknowledgement and truncation") {
  const RunResult& run = traced_run(AckMode::async);
  REQUIRE(!run.lost_examples.empty());
  const LostExample& lost = run.lost_examples.front();
  const RecordStory story = record_story(run, lost.id);
  CHECK(story.error.empty());
  CHECK(story.offset == lost.offset);
  CHECK(story.leader == lost.held_by.front());
  const StoryStep* send = find_kind(story, "send");
  const StoryStep* append = find_kind(story, "append");
  const StoryStep* acknowledged = find_kind(story, "acknowledged");
  const StoryStep* truncation = find_kind(story, "truncation");
  REQUIRE(send != nullptr);
  REQUIRE(append != nullptr);
  REQUIRE(acknowledged != nullptr);
  REQUIRE(truncation != nullptr);
  CHECK(send->at_ms <= append->at_ms);
  CHECK(append->at_ms <= acknowledged->at_ms);
  CHECK(acknowledged->at_ms == doctest::Approx(lost.acknowledged_at_ms).epsilon(1e-9));
  // The report's removed_by names the broker and the instant of the truncation the story tells.
  CHECK(lost.removed_by.find(truncation->node) != std::string::npos);
  CHECK(truncation->text.find("truncated") != std::string::npos);
  CHECK(find_kind(story, "crash") != nullptr);
  CHECK(find_kind(story, "election") != nullptr);
  // Steps are in time order.
  for (std::size_t i = 1; i < story.steps.size(); ++i)
    CHECK(story.steps[i - 1].at_ms <= story.steps[i].at_ms);
}

TEST_CASE("record story: under acks=all a committed record is fetched by every follower") {
  const RunResult& run = traced_run(AckMode::isr);
  const RecordStory story = record_story(run, "app/orders-0/100");
  REQUIRE(story.error.empty());
  CHECK(story.offset >= 0);
  std::size_t fetches = 0;
  for (const StoryStep& s : story.steps)
    fetches += s.kind == "fetch" ? 1 : 0;
  CHECK(fetches == 2);  // replication factor 3: two followers
  const StoryStep* committed = find_kind(story, "high_watermark");
  const StoryStep* acknowledged = find_kind(story, "acknowledged");
  REQUIRE(committed != nullptr);
  REQUIRE(acknowledged != nullptr);
  CHECK(committed->at_ms <= acknowledged->at_ms);  // acks=all answers once it is committed
  CHECK(find_kind(story, "truncation") == nullptr);
}

TEST_CASE("record story: a malformed id or an untraced run is said, not guessed") {
  CHECK(!record_story(RunResult{}, "app/orders-0/1").error.empty());
  const RunResult& run = traced_run(AckMode::async);
  CHECK(record_story(run, "app-orders-0-1").error.find("expected") != std::string::npos);
  CHECK(record_story(run, "nobody/orders-0/1").error.find("nobody") != std::string::npos);
}

TEST_CASE("cluster states: the crashed leader down, no leader, then a new leader and epoch") {
  const Scenario scenario = load("leader-crash");
  RunRecording recording;
  recording.series_interval = std::chrono::milliseconds(100);
  recording.cluster_states = true;
  const RunResult run = run_scenario(scenario, AckMode::isr, 1, RunChecks::none, recording);
  const ClusterStates& states = run.cluster_states;
  REQUIRE(!states.samples.empty());
  CHECK(states.kinds.front() == "broker");
  const auto json = nlohmann::json::parse(cluster_states_json({run}));
  CHECK(json.at(0).at("samples").size() == states.samples.size());
  const ClusterState& first = states.samples.front();
  REQUIRE(first.partitions.size() == states.partitions.size());
  const std::int32_t leader = first.partitions.front().leader;
  REQUIRE(leader >= 0);
  CHECK(first.controller >= 0);
  CHECK(first.zk_session.at(static_cast<std::size_t>(leader)));
  bool down = false;
  bool offline = false;
  bool new_leader = false;
  for (const ClusterState& s : states.samples) {
    down = down || s.status.at(static_cast<std::size_t>(leader)) == NodeStatus::down;
    offline = offline || (down && s.partitions.front().leader == -1);
    new_leader =
        new_leader ||
        (offline && s.partitions.front().leader >= 0 && s.partitions.front().leader != leader &&
         s.partitions.front().leader_epoch > first.partitions.front().leader_epoch);
  }
  CHECK(down);
  CHECK(offline);
  CHECK(new_leader);
  // Sampling the states changes nothing of the run.
  CHECK(run.events == run_scenario(scenario, AckMode::isr, 1).events);
}

TEST_CASE("traffic: produce and follower fetches counted per link and interval") {
  const RunResult& run = traced_run(AckMode::isr);
  const auto json = nlohmann::json::parse(traffic_json(run.trace, 100));
  CHECK(json.at("bucket_ms") == 100);
  bool produce = false;
  bool follower = false;
  for (const auto& link : json.at("links")) {
    produce = produce || link.at(2) == "Produce";
    follower = follower || link.at(2) == "Fetch (follower)";
  }
  CHECK(produce);
  CHECK(follower);
  CHECK(json.at("counts").size() > 100);
}
