// The options of `kafkasim run` that ask a run to record more than its summary: --series,
// --series-interval-ms, --trace and --trace-window-ms (README "Teaching outputs").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kafkasim/run/cluster_run.h"

namespace kafkasim::cli {

struct RecordingArgs {
  std::string series;  // --series FILE
  std::int64_t series_interval_ms = 100;
  std::string trace;            // --trace FILE
  std::string trace_window_ms;  // "A,B"
};

/// What the runs record; nullopt, with a message on stderr, when a value is wrong.
std::optional<RunRecording> recording_from(const RecordingArgs& args);

}  // namespace kafkasim::cli
