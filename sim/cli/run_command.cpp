// `kafkasim run SCENARIO.json`: simulate the scenario under each acknowledgement mode (and seed)
// and print the comparison table (SPEC.md "Command line").
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cli_args.h"
#include "commands.h"
#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/latency_csv.h"
#include "kafkasim/run/report.h"
#include "kafkasim/run/run_plan.h"
#include "kafkasim/run/series.h"
#include "kafkasim/run/trace.h"
#include "kafkasim/scenario/loader.h"
#include "recording_args.h"
#include "run_jobs.h"

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
  std::string latency_csv;
  bool timeline = false;
  bool check_invariants = false;
  bool check_settled = false;
  RecordingArgs recording;  // --series, --trace and their options
  LoadLimits load_limits;
  RunLimits run_limits;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
};

std::vector<RunResult> run_all(const Scenario& scenario, const std::vector<AckMode>& modes,
                               std::uint64_t first_seed, std::uint64_t seeds, unsigned jobs,
                               RunChecks checks, const RunRecording& recording) {
  return run_jobs(plan_runs(scenario, modes, first_seed, seeds), jobs, checks, recording);
}

int run(const RunOptions& options) {
  const LoadResult loaded =
      load_scenario_file(options.file, options.overrides, options.load_limits);
  std::fputs(format_all(loaded.diagnostics, options.file).c_str(), stderr);
  if (!loaded.ok()) return kExitBadInput;
  const Scenario& scenario = *loaded.scenario;
  std::vector<AckMode> modes = scenario.acks;
  if (!options.acks.empty()) {
    auto parsed = parse_modes(options.acks);
    if (!parsed) return kExitBadInput;
    modes = *parsed;
  }
  // Each output: its option's value ("" = not asked for, "-" = stdout) and how to make it.
  struct Output {
    const std::string& where;
    std::function<std::string()> text;
  };
  std::vector<RunResult> results;
  const std::uint64_t first_seed = options.seed.value_or(scenario.seed);
  if (!seeds_in_range(first_seed, options.seeds)) return kExitBadInput;
  const std::vector<Output> outputs{
      {options.json,
       [&] { return report_json_text(scenario, results, first_seed, options.seeds); }},
      {options.csv, [&] { return summary_csv(scenario, results); }},
      {options.latency_csv, [&] { return latency_csv(results); }},
      {options.recording.series, [&] { return series_csv(results); }},
      {options.recording.trace, [&] { return trace_json(results); }},
  };
  std::vector<std::string> paths;
  const Output* to_stdout = nullptr;
  for (const Output& output : outputs) {
    paths.push_back(output.where);
    if (output.where != "-") continue;
    if (to_stdout != nullptr) {
      std::fputs("kafkasim: only one output can be '-' (standard output)\n", stderr);
      return kExitBadInput;
    }
    to_stdout = &output;
  }
  if (!output_directories_exist(paths)) return kExitBadInput;
  auto recording = recording_from(options.recording);
  if (!recording) return kExitBadInput;
  recording->limits = options.run_limits;
  results = run_all(scenario, modes, first_seed, options.seeds, options.jobs,
                    options.check_settled      ? RunChecks::invariants_and_settled
                    : options.check_invariants ? RunChecks::invariants
                                               : RunChecks::none,
                    *recording);
  // Files first, each whole or not at all; then stdout.
  try {
    for (const Output& output : outputs) {
      if (!output.where.empty() && output.where != "-")
        write_file_atomically(output.where, output.text());
    }
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "kafkasim: %s\n", e.what());
    return kExitBadInput;
  }
  // An output on stdout replaces the table (and the timeline), so that it can be piped.
  if (to_stdout != nullptr) {
    std::fputs(to_stdout->text().c_str(), stdout);
    return kExitOk;
  }
  std::fputs(run_table(scenario, results, first_seed, options.seeds).c_str(), stdout);
  if (options.timeline) std::fputs(timelines(results).c_str(), stdout);
  return kExitOk;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_status) {
  CLI::App* cmd = app.add_subcommand("run", "Simulate a scenario; print the comparison table");
  auto options = std::make_shared<RunOptions>();
  cmd->add_option("scenario", options->file, "scenario file")->required();
  cmd->add_option("--acks", options->acks, kAcksHelp);
  cmd->add_option("--seed", options->seed, "first seed (default: the scenario's)")
      ->transform(integer_in(std::uint64_t{0}, std::numeric_limits<std::uint64_t>::max()));
  // Each run of --seeds x modes keeps its result until the end: bounded like the scenario.
  cmd->add_option("--seeds", options->seeds, "seeds per mode (seed, seed+1, ...)")
      ->transform(integer_in(std::uint64_t{1}, kMaxSeeds));
  cmd->add_option("--set", options->overrides, "override a value by JSON Pointer: PTR=VALUE");
  cmd->add_option("--json", options->json, "the full report as JSON ('-' = stdout, no table)");
  cmd->add_option("--csv", options->csv, "one summary row per run ('-' = stdout, no table)");
  cmd->add_option("--latency-csv", options->latency_csv,
                  "each run's latency histogram (acks,seed,lower_ms,upper_ms,count), for a CDF "
                  "('-' = stdout, no table)");
  cmd->add_option("--series", options->recording.series,
                  "time series as tidy CSV: acks,seed,time_ms,metric,subject,value ('-' = stdout, "
                  "no table)");
  cmd->add_option("--series-interval-ms", options->recording.series_interval_ms,
                  "sampling step of --series, in ms of scenario time (default 100)")
      ->transform(integer_in(std::int64_t{1}, std::int64_t{1'000'000'000'000}));
  cmd->add_option("--trace", options->recording.trace,
                  "Chrome trace-event JSON of the runs, for Perfetto or chrome://tracing ('-' = "
                  "stdout, no table)");
  cmd->add_option("--trace-window-ms", options->recording.trace_window_ms,
                  "A,B: trace only what overlaps [A, B] ms of scenario time");
  cmd->add_flag("--timeline", options->timeline, "print each run's narrative of notable events");
  cmd->add_flag("--check-invariants", options->check_invariants,
                "check the model's invariants after every event (slower); a violation stops the "
                "run with an internal error naming it");
  cmd->add_flag("--check-settled", options->check_settled,
                "--check-invariants, and at the end of settle_ms, liveness and committed data "
                "(for a scenario that settles long enough to recover from its last fault)");
  cmd->add_option("--jobs", options->jobs, "runs in parallel (output does not depend on it)")
      ->transform(integer_in(1u, kMaxJobs));
  add_limit_options(*cmd, options->load_limits);
  cmd->add_option("--max-events", options->run_limits.max_events,
                  "stop a run that processes more events than this, with an error (exit 2)")
      ->transform(integer_in(std::uint64_t{1}, std::numeric_limits<std::uint64_t>::max()))
      ->capture_default_str();
  cmd->callback([options, &exit_status] { exit_status = run(*options); });
}

}  // namespace kafkasim::cli
