// The optional `lesson` object (SPEC.md "Additions (second round)"): its shape only. A
// prediction's field is checked down to its first segment (a run field of the report); what
// lies below (a group's or a partition's name) is the report's to resolve.
#include <algorithm>

#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"
#include "kafkasim/scenario/lesson.h"
#include "kafkasim/scenario/nearest_name.h"

namespace kafkasim {

const std::vector<std::string_view>& lesson_run_fields() {
  // The numeric fields of a run in the JSON report (sim/run/report.cpp, report_json).
  static const std::vector<std::string_view> fields{"produced",
                                                    "acknowledged",
                                                    "failed",
                                                    "pending",
                                                    "abandoned",
                                                    "lost_acknowledged",
                                                    "duplicates",
                                                    "reordered",
                                                    "latency_ms",
                                                    "offline_ms",
                                                    "leader_elections",
                                                    "unclean_leader_elections",
                                                    "controller_elections",
                                                    "isr_shrinks",
                                                    "isr_expands",
                                                    "controller_isr_removals",
                                                    "diverged_offsets",
                                                    "partitions",
                                                    "consumer_groups",
                                                    "events"};
  return fields;
}

namespace scenario_detail {

namespace {

std::optional<LessonPrediction> read_prediction(const Json& value, const std::string& pointer,
                                                Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  const ObjectReader reader(value, pointer, diagnostics, {"ask", "field", "mode"});
  if (!reader.is_object()) return std::nullopt;
  LessonPrediction p;
  if (auto ask = reader.string("ask", Need::required)) p.ask = *ask;
  if (auto field = reader.string("field", Need::required)) {
    p.field = *field;
    const std::string first = field->substr(0, field->find('.'));
    const auto& known = lesson_run_fields();
    if (std::find(known.begin(), known.end(), first) == known.end()) {
      const std::string_view nearest = nearest_name(first, known);
      diagnostics.error(reader.pointer_of("field"), describe(*reader.find("field")),
                        "a run field of the report (produced, lost_acknowledged, latency_ms.p99, "
                        "consumer_groups.<group>.max_lag, ...)",
                        nearest.empty() ? "" : "did you mean \"" + std::string(nearest) + "\"?");
    }
  }
  if (const Json* mode = reader.find("mode", Need::required, "a mode: none, async, isr or sync")) {
    if (auto name = read_choice(*mode, reader.pointer_of("mode"), diagnostics,
                                {"none", "async", "isr", "sync"}))
      p.mode = *parse_ack_mode(*name);
  }
  if (!no_new_errors(diagnostics, errors_before)) return std::nullopt;
  return p;
}

}  // namespace

void read_lesson(const Json* value, Draft& draft, Diagnostics& diagnostics) {
  if (value == nullptr) return;
  const ObjectReader reader(*value, "/lesson", diagnostics, {"question", "predictions", "observe"});
  if (!reader.is_object()) return;
  Lesson lesson;
  if (auto question = reader.string("question", Need::required)) lesson.question = *question;
  if (auto observe = reader.string("observe", Need::required)) lesson.observe = *observe;
  const Json* predictions = as_array(reader.find("predictions"), "/lesson/predictions", diagnostics,
                                     "a list of predictions");
  if (predictions != nullptr) {
    for (std::size_t i = 0; i < predictions->size(); ++i) {
      if (auto p = read_prediction((*predictions)[i], pointer_child("/lesson/predictions", i),
                                   diagnostics))
        lesson.predictions.push_back(std::move(*p));
    }
  }
  draft.scenario.lesson = std::move(lesson);
}

}  // namespace scenario_detail

}  // namespace kafkasim
