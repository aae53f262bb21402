// One record's story, told from a traced run (RunResult::trace over the whole run): the
// producer's send of the Produce request that carried it, the leader's append and the offset,
// each follower's fetch of it, the high watermark passing it, the acknowledgement, and what
// happened to it after: the leader's crash, the elections of its partition, and each truncation
// that removed it and on which broker. The browser page shows it for a record the student
// clicks (docs/browser.md); it reads only the trace and the timeline, never the model.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kafkasim {

struct RunResult;

struct StoryStep {
  double at_ms = 0;  // scenario time
  std::string node;  // where it happened: "producer-1", "broker-2"
  std::string kind;  // send, append, answer, acknowledged, fetch, high_watermark, crash,
                     // session, election, truncation
  std::string text;  // one sentence
};

struct RecordStory {
  std::string id;     // "<producer>/<partition>/<sequence>", as the report's lost_examples name it
  std::string error;  // why there is no story (a malformed id, a run without its trace)
  std::int64_t offset = -1;      // where the leader appended it; -1: no append seen
  std::string leader;            // the broker that appended it
  std::vector<StoryStep> steps;  // by time
};

/// The story of record `id` in `traced` (run with RunRecording::trace covering the run).
RecordStory record_story(const RunResult& traced, std::string_view id);

/// {"id", "offset", "leader", "error", "steps": [{"at_ms", "node", "kind", "text"}]}.
std::string record_story_json(const RecordStory& story);

}  // namespace kafkasim
