#include "recording_args.h"

#include <cstdio>

namespace kafkasim::cli {

std::optional<RunRecording> recording_from(const RecordingArgs& args) {
  RunRecording recording;
  if (!args.series.empty()) {
    recording.series_interval = std::chrono::milliseconds(args.series_interval_ms);
  }
  if (!args.trace_window_ms.empty() && args.trace.empty()) {
    std::fputs("kafkasim: --trace-window-ms needs --trace FILE\n", stderr);
    return std::nullopt;
  }
  if (args.trace.empty()) return recording;
  TraceWindow window;
  if (!args.trace_window_ms.empty()) {
    double from = 0;
    double to = 0;
    char rest = 0;
    if (std::sscanf(args.trace_window_ms.c_str(), "%lf,%lf%c", &from, &to, &rest) != 2 ||
        !(from >= 0) || !(to > from) || to > 1e12) {
      std::fprintf(stderr,
                   "kafkasim: --trace-window-ms: found \"%s\", expected A,B in ms of scenario "
                   "time with 0 <= A < B\n",
                   args.trace_window_ms.c_str());
      return std::nullopt;
    }
    window.from = duration_from_ms(from);
    window.to = duration_from_ms(to);
  }
  recording.trace = window;
  return recording;
}

}  // namespace kafkasim::cli
