// The browser page's door into the simulator (web/README in docs/browser.md): C functions that
// the page's Web Worker calls through Emscripten's ccall, around kafkasim::TextRun, which does
// what `kafkasim run` does. Compiled only by em++ (web/build.sh); the model itself is the same
// sources as the command line's.
//
// One run set at a time: prepare, then run_next until every run is done, then the outputs.
// Strings returned point into a buffer that the next call replaces (the worker copies them).
#include <exception>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>
#include <nlohmann/json.hpp>

#include "kafkasim/run/record_story.h"
#include "kafkasim/run/report.h"
#include "kafkasim/run/text_run.h"
#include "kafkasim/run/traffic.h"

// The page's worker gives its module an onProgress(ms) to post the progress to the page.
EM_JS(void, kafkasim_progress_to_page, (double ms), {
  if (Module['onProgress']) Module['onProgress'](ms);
});

namespace {

std::unique_ptr<kafkasim::TextRun> current;
std::string request_error;  // a malformed request or a run that threw
std::string returned;       // what the last call returned

const char* give(std::string text) {
  returned = std::move(text);
  return returned.c_str();
}

/// The request: {"text", "file", "acks", "seed", "seeds", "set": [...], "series_interval_ms",
/// "cluster_states", "max_events"}; every key but "text" optional, as on the command line.
kafkasim::TextRunOptions options_from(const nlohmann::json& request) {
  kafkasim::TextRunOptions options;
  options.acks = request.value("acks", std::string());
  if (request.contains("seed") && !request["seed"].is_null())
    options.seed = request["seed"].get<std::uint64_t>();
  options.seeds = request.value("seeds", std::uint64_t{1});
  options.overrides = request.value("set", std::vector<std::string>());
  options.series_interval_ms = request.value("series_interval_ms", std::int64_t{0});
  options.cluster_states = request.value("cluster_states", false);
  options.on_progress_ms = [](std::int64_t ms) {
    kafkasim_progress_to_page(static_cast<double>(ms));
  };
  if (request.contains("max_events"))
    options.run_limits.max_events = request["max_events"].get<std::uint64_t>();
  return options;
}

}  // namespace

extern "C" {

/// Loads the scenario and plans the runs; returns how many runs there are (0: see errors()).
EMSCRIPTEN_KEEPALIVE int kafkasim_prepare(const char* request_text) {
  current.reset();
  request_error.clear();
  try {
    const nlohmann::json request = nlohmann::json::parse(request_text);
    current = std::make_unique<kafkasim::TextRun>(request.at("text").get<std::string>(),
                                                  request.value("file", std::string("scenario")),
                                                  options_from(request));
    return static_cast<int>(current->run_count());
  } catch (const std::exception& e) {
    request_error = std::string("kafkasim: bad request from the page: ") + e.what() + "\n";
    return 0;
  }
}

/// What the command line would print on stderr: the scenario's diagnostics, a bad option, or
/// the error that stopped a run.
EMSCRIPTEN_KEEPALIVE const char* kafkasim_errors() {
  return give((current ? current->errors() : std::string()) + request_error);
}

/// The diagnostics one by one, as JSON: [{"severity", "pointer", "line"}], "line" being the
/// command line's wording of it (so the page can show each next to the value it concerns).
EMSCRIPTEN_KEEPALIVE const char* kafkasim_diagnostics(const char* file_label) {
  nlohmann::json list = nlohmann::json::array();
  if (current) {
    for (const kafkasim::Diagnostic& d : current->diagnostics().items()) {
      nlohmann::json item = {
          {"severity", d.severity == kafkasim::Severity::error ? "error" : "warning"},
          {"pointer", d.pointer},
          {"line", kafkasim::format(d, file_label)}};
      if (d.position)
        item["position"] = {{"line", d.position->line}, {"column", d.position->column}};
      list.push_back(item);
    }
  }
  return give(list.dump());
}

/// Run `index`'s mode, seed and length in ms of scenario time, as JSON.
EMSCRIPTEN_KEEPALIVE const char* kafkasim_job(int index) {
  const kafkasim::RunJob& job = current->job(static_cast<std::size_t>(index));
  const double scenario_ms = (job.scenario->duration + job.scenario->settle) /
                             std::chrono::duration<double, std::milli>(1);
  return give(nlohmann::json{
      {"acks", kafkasim::to_string(job.mode)}, {"seed", job.seed}, {"scenario_ms", scenario_ms}}
                  .dump());
}

/// Makes the next run; returns the runs done, or -1 when the run threw (see errors()).
EMSCRIPTEN_KEEPALIVE int kafkasim_run_next() {
  try {
    current->run_next();
    return static_cast<int>(current->runs_done());
  } catch (const std::exception& e) {
    request_error = std::string("kafkasim: ") + e.what() + "\n";
    return -1;
  }
}

/// One output once every run is done: "report" (--json), "table", "timelines",
/// "series" (--series CSV), "timeline_runs" (JSON).
EMSCRIPTEN_KEEPALIVE const char* kafkasim_output(const char* name) {
  const std::string which = name;
  if (which == "report") return give(current->report_json());
  if (which == "table") return give(current->table());
  if (which == "timelines") return give(current->timelines());
  if (which == "series") return give(current->series_csv());
  if (which == "cluster_states") return give(current->cluster_states_json());
  if (which == "timeline_runs") {  // each run's timeline lines, for the page to link to instants
    nlohmann::json runs = nlohmann::json::array();
    for (const kafkasim::RunResult& run : current->results()) {
      // The verdict's lines after the run's, as `--timeline` prints them.
      std::vector<std::string> verdict;
      std::istringstream text(kafkasim::timeline_verdict(run));
      for (std::string line; std::getline(text, line);)
        verdict.push_back(line);
      runs.push_back({{"acks", kafkasim::to_string(run.acks)},
                      {"seed", run.seed},
                      {"lines", run.timeline},
                      {"verdict", verdict}});
    }
    return give(runs.dump());
  }
  return give("");
}

/// Makes run `index` again with its trace (TextRun::traced), for the story and the traffic
/// below; returns 1, or 0 when it threw (see errors()).
EMSCRIPTEN_KEEPALIVE int kafkasim_trace_run(int index) {
  try {
    current->traced(static_cast<std::size_t>(index));
    return 1;
  } catch (const std::exception& e) {
    request_error = std::string("kafkasim: ") + e.what() + "\n";
    return 0;
  }
}

/// The story of record `id` in the traced run (record_story.h), as JSON.
EMSCRIPTEN_KEEPALIVE const char* kafkasim_story(int index, const char* id) {
  return give(kafkasim::record_story_json(
      kafkasim::record_story(current->traced(static_cast<std::size_t>(index)), id)));
}

/// The produce and fetch traffic of the traced run per `bucket_ms` (traffic.h), as JSON.
EMSCRIPTEN_KEEPALIVE const char* kafkasim_traffic(int index, int bucket_ms) {
  return give(
      kafkasim::traffic_json(current->traced(static_cast<std::size_t>(index)).trace, bucket_ms));
}

/// `kafkasim --version`'s number.
EMSCRIPTEN_KEEPALIVE const char* kafkasim_version() {
  return KAFKASIM_VERSION;
}
}
