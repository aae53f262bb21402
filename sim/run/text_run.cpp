#include "kafkasim/run/text_run.h"

#include <cassert>
#include <stdexcept>
#include <utility>

#include "kafkasim/run/cluster_states.h"
#include "kafkasim/run/report.h"
#include "kafkasim/run/series.h"

namespace kafkasim {

TextRun::TextRun(std::string_view text, std::string file_label, TextRunOptions options)
    : options_(std::move(options)),
      loaded_(load_scenario_text(text, file_label, options_.overrides, options_.load_limits)) {
  errors_ = format_all(loaded_.diagnostics, file_label);
  if (!loaded_.ok()) return;
  const Scenario& scenario = *loaded_.scenario;
  std::vector<AckMode> modes = scenario.acks;
  if (!options_.acks.empty()) {
    std::string error;
    auto parsed = parse_ack_modes(options_.acks, error);
    if (!parsed) {
      errors_ += "kafkasim: " + error + "\n";
      return;
    }
    modes = *parsed;
  }
  if (options_.seeds < 1) {
    errors_ += "kafkasim: --seeds: expected a number of seeds of at least 1\n";
    return;
  }
  first_seed_ = options_.seed.value_or(scenario.seed);
  jobs_ = plan_runs(scenario, modes, first_seed_, options_.seeds);
}

void TextRun::run_next() {
  assert(ok() && runs_done() < run_count());
  const RunJob& next = jobs_.at(results_.size());
  RunRecording recording;
  recording.limits = options_.run_limits;
  recording.on_progress_ms = options_.on_progress_ms;
  if (options_.series_interval_ms > 0)
    recording.series_interval = std::chrono::milliseconds(options_.series_interval_ms);
  recording.cluster_states = options_.cluster_states;
  results_.push_back(
      run_scenario(*next.scenario, next.mode, next.seed, RunChecks::none, recording));
}

void TextRun::require_done() const {
  if (!ok() || runs_done() != run_count())
    throw std::logic_error("TextRun: the outputs are asked for before every run is done");
}

std::string TextRun::report_json() const {
  require_done();
  return report_json_text(*loaded_.scenario, results_, first_seed_, options_.seeds);
}

std::string TextRun::table() const {
  require_done();
  return run_table(*loaded_.scenario, results_, first_seed_, options_.seeds);
}

std::string TextRun::timelines() const {
  require_done();
  return kafkasim::timelines(results_);
}

std::string TextRun::series_csv() const {
  require_done();
  return kafkasim::series_csv(results_);
}

std::string TextRun::cluster_states_json() const {
  require_done();
  return kafkasim::cluster_states_json(results_);
}

const RunResult& TextRun::traced(std::size_t index) {
  assert(ok() && index < run_count());
  if (!traced_ || traced_index_ != index) {
    traced_.reset();
    const RunJob& job = jobs_.at(index);
    RunRecording recording;
    recording.limits = options_.run_limits;
    recording.trace = TraceWindow{};
    traced_ = run_scenario(*job.scenario, job.mode, job.seed, RunChecks::none, recording);
    traced_index_ = index;
  }
  return *traced_;
}

}  // namespace kafkasim
