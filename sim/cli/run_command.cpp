// `kafkasim run SCENARIO.json`: simulate the scenario under each acknowledgement mode (and seed)
// and print the comparison table (SPEC.md "Command line").
#include <atomic>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "commands.h"
#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/report.h"
#include "kafkasim/run/series.h"
#include "kafkasim/run/trace.h"
#include "kafkasim/scenario/loader.h"
#include "progress.h"

namespace kafkasim::cli {

namespace {

struct RunOptions {
  std::string file;
  std::string acks;
  std::optional<std::uint64_t> seed;
  std::uint64_t seeds = 1;
  std::vector<std::string> overrides;
  std::string json;
  std::string csv;
  bool timeline = false;
  bool check_invariants = false;
  std::string series;
  std::int64_t series_interval_ms = 100;
  std::string trace;
  std::string trace_window_ms;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
};

/// "async,isr" or Kafka's spellings "1,all"; nullopt and a message when a name is unknown.
std::optional<std::vector<AckMode>> parse_modes(const std::string& list) {
  std::vector<AckMode> modes;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto mode = parse_ack_mode(item);
    if (!mode) {
      std::fprintf(stderr,
                   "kafkasim: --acks: unknown mode \"%s\" (expected none, async, isr, sync, "
                   "or 0, 1, all, -1)\n",
                   item.c_str());
      return std::nullopt;
    }
    modes.push_back(*mode);
  }
  if (modes.empty()) return std::nullopt;
  return modes;
}

/// Runs every (seed, mode) pair; each run is single-threaded and independent, so they may run on
/// `jobs` threads: results land in their own slots, in a fixed order, whatever the scheduling.
/// A run that throws (an invariant violated) keeps its error in its slot, not ending the process
/// from a worker thread; once every run is done, the first error in that fixed order is
/// rethrown, so the message does not depend on `jobs` either.
std::vector<RunResult> run_all(const Scenario& scenario, const std::vector<AckMode>& modes,
                               std::uint64_t first_seed, std::uint64_t seeds, unsigned jobs,
                               RunChecks checks, const RunRecording& recording = {}) {
  struct Job {
    AckMode mode;
    std::uint64_t seed;
  };
  std::vector<Job> work;
  for (std::uint64_t s = 0; s < seeds; ++s) {
    for (AckMode mode : modes)
      work.push_back({mode, first_seed + s});
  }
  std::vector<RunResult> results(work.size());
  std::vector<std::exception_ptr> errors(work.size());
  std::atomic<std::size_t> next{0};
  Progress progress(work.size(),
                    (scenario.duration + scenario.settle) / std::chrono::milliseconds(1));
  auto worker = [&] {
    for (std::size_t i = next++; i < work.size(); i = next++) {
      try {
        RunRecording run_recording = recording;
        run_recording.progress_ms = progress.simulated_ms(i);
        results[i] = run_scenario(scenario, work[i].mode, work[i].seed, checks, run_recording);
      } catch (...) {
        errors[i] = std::current_exception();
      }
      progress.run_done();
    }
  };
  std::vector<std::thread> threads;
  const unsigned count = std::min<unsigned>(jobs, static_cast<unsigned>(work.size()));
  for (unsigned t = 1; t < count; ++t)
    threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads)
    t.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return results;
}

/// --series-interval-ms and --trace-window-ms as the runs take them; nullopt and a message on
/// stderr when they are wrong.
std::optional<RunRecording> recording_options(const RunOptions& options) {
  RunRecording recording;
  if (!options.series.empty()) {
    recording.series_interval = std::chrono::milliseconds(options.series_interval_ms);
  }
  if (!options.trace_window_ms.empty() && options.trace.empty()) {
    std::fputs("kafkasim: --trace-window-ms needs --trace FILE\n", stderr);
    return std::nullopt;
  }
  if (options.trace.empty()) return recording;
  TraceWindow window;
  if (!options.trace_window_ms.empty()) {
    double from = 0;
    double to = 0;
    char rest = 0;
    if (std::sscanf(options.trace_window_ms.c_str(), "%lf,%lf%c", &from, &to, &rest) != 2 ||
        !(from >= 0) || !(to > from) || to > 1e12) {
      std::fprintf(stderr,
                   "kafkasim: --trace-window-ms: found \"%s\", expected A,B in ms of scenario "
                   "time with 0 <= A < B\n",
                   options.trace_window_ms.c_str());
      return std::nullopt;
    }
    window.from = duration_from_ms(from);
    window.to = duration_from_ms(to);
  }
  recording.trace = window;
  return recording;
}

int run(const RunOptions& options) {
  const LoadResult loaded = load_scenario_file(options.file, options.overrides);
  std::fputs(format_all(loaded.diagnostics, options.file).c_str(), stderr);
  if (!loaded.ok()) return kExitBadInput;
  const Scenario& scenario = *loaded.scenario;
  std::vector<AckMode> modes = scenario.acks;
  if (!options.acks.empty()) {
    auto parsed = parse_modes(options.acks);
    if (!parsed) return kExitBadInput;
    modes = *parsed;
  }
  // An output file that cannot be written is bad usage: say so before a long simulation.
  for (const std::string& file : {options.json, options.csv, options.series, options.trace}) {
    if (file.empty() || file == "-") continue;
    const std::filesystem::path parent = std::filesystem::path(file).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent)) {
      std::fprintf(stderr, "kafkasim: cannot write %s: no directory %s\n", file.c_str(),
                   parent.string().c_str());
      return kExitBadInput;
    }
  }
  const auto recording = recording_options(options);
  if (!recording) return kExitBadInput;
  const std::uint64_t first_seed = options.seed.value_or(scenario.seed);
  const std::vector<RunResult> results =
      run_all(scenario, modes, first_seed, options.seeds, options.jobs,
              options.check_invariants ? RunChecks::invariants : RunChecks::none, *recording);
  // Files first, each whole or not at all; then stdout.
  try {
    if (!options.json.empty() && options.json != "-") {
      write_file_atomically(
          options.json, report_json(scenario, results, first_seed, options.seeds).dump(2) + "\n");
    }
    if (!options.csv.empty()) write_file_atomically(options.csv, summary_csv(scenario, results));
    if (!options.series.empty()) write_file_atomically(options.series, series_csv(results));
    if (!options.trace.empty()) write_file_atomically(options.trace, trace_json(results));
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "kafkasim: %s\n", e.what());
    return kExitBadInput;
  }
  if (options.json == "-") {
    std::fputs((report_json(scenario, results, first_seed, options.seeds).dump(2) + "\n").c_str(),
               stdout);
    return kExitOk;
  }
  std::fputs(comparison_table(scenario, results).c_str(), stdout);
  if (options.timeline) std::fputs(timelines(results).c_str(), stdout);
  return kExitOk;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_status) {
  CLI::App* cmd = app.add_subcommand("run", "Simulate a scenario; print the comparison table");
  auto options = std::make_shared<RunOptions>();
  cmd->add_option("scenario", options->file, "scenario file")->required();
  cmd->add_option("--acks", options->acks,
                  "modes to compare, comma separated: none, async, isr, sync (or 0, 1, all, -1)");
  cmd->add_option("--seed", options->seed, "first seed (default: the scenario's)");
  cmd->add_option("--seeds", options->seeds, "seeds per mode (seed, seed+1, ...)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--set", options->overrides, "override a value by JSON Pointer: PTR=VALUE");
  cmd->add_option("--json", options->json, "the full report as JSON ('-' = stdout, no table)");
  cmd->add_option("--csv", options->csv, "one summary row per run");
  cmd->add_option("--series", options->series,
                  "time series as tidy CSV: acks,seed,time_ms,metric,subject,value");
  cmd->add_option("--series-interval-ms", options->series_interval_ms,
                  "sampling step of --series, in ms of scenario time (default 100)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000'000}));
  cmd->add_option("--trace", options->trace,
                  "Chrome trace-event JSON of the runs, for Perfetto or chrome://tracing");
  cmd->add_option("--trace-window-ms", options->trace_window_ms,
                  "A,B: trace only what overlaps [A, B] ms of scenario time");
  cmd->add_flag("--timeline", options->timeline, "print each run's narrative of notable events");
  cmd->add_flag("--check-invariants", options->check_invariants,
                "check the model's invariants after every event (slower); a violation stops the "
                "run with an internal error naming it");
  cmd->add_option("--jobs", options->jobs, "runs in parallel (output does not depend on it)")
      ->check(CLI::PositiveNumber);
  cmd->callback([options, &exit_status] { exit_status = run(*options); });
}

}  // namespace kafkasim::cli
