// A scenario's optional `lesson` (SPEC.md "Additions": the question to ask the class, the
// predictions to ask for, each naming a run field and a mode, and what to observe). The loader
// checks its shape; the command line and the browser page ask the predictions, then reveal.
#pragma once

#include <string>
#include <vector>

#include "kafkasim/scenario/ack_mode.h"

namespace kafkasim {

/// One prediction to ask for: "what will `field` of the `mode` run be?"
struct LessonPrediction {
  /// The question as put to the class ("How many acknowledged messages will async lose?").
  std::string ask;
  /// A run field of the JSON report, dotted below the run: "lost_acknowledged",
  /// "latency_ms.p99", "consumer_groups.billing.max_lag", "partitions.orders-1.high_watermark".
  std::string field;
  AckMode mode = AckMode::async;
};

struct Lesson {
  std::string question;
  std::vector<LessonPrediction> predictions;
  /// What to look at in the output once the predictions are in.
  std::string observe;
};

/// The run fields a prediction may start with (the first segment of its `field`).
const std::vector<std::string_view>& lesson_run_fields();

}  // namespace kafkasim
