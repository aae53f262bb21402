// `kafkasim sweep SCENARIO.json --vary PTR=v1,v2,... [--vary ...]`: the scenario at every point
// of a grid of values (x modes x seeds), one CSV row per run (issue 5). Each point is the
// scenario with its values applied as --set overrides after the user's own --set, so a value is
// validated exactly as in `run`; every point is validated before anything runs.
#include <cstdio>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cli_args.h"
#include "commands.h"
#include "kafkasim/run/csv.h"
#include "kafkasim/run/report.h"
#include "kafkasim/scenario/loader.h"
#include "run_jobs.h"
#include "sweep_grid.h"

namespace kafkasim::cli {

namespace {

/// More points than this is surely a mistake (a sweep of a million runs takes days).
constexpr std::uint64_t kMaxPoints = 1'000'000;

struct SweepOptions {
  std::string file;
  std::vector<std::string> varies;
  std::string acks;
  std::optional<std::uint64_t> seed;
  std::uint64_t seeds = 1;
  std::vector<std::string> overrides;
  std::string csv = "-";
  std::string shard = "1/1";
  bool check_invariants = false;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
};

/// One point of this shard: its number, its values, its scenario and its runs' place.
struct Point {
  std::uint64_t number = 0;
  std::vector<std::string> values;
  Scenario scenario;
  std::size_t first_job = 0;
  std::size_t job_count = 0;
};

/// Loads every point of the grid (all shards: a bad value fails every shard alike), keeping the
/// scenarios of this shard's points. Diagnostics are printed once each, in grid order; false if
/// any point is invalid.
bool load_points(const SweepOptions& options, const SweepGrid& grid, Shard shard,
                 std::vector<Point>& points) {
  std::set<std::string> printed;
  bool ok = true;
  for (std::uint64_t number = 0; number < grid.size(); ++number) {
    std::vector<std::string> sets = options.overrides;
    for (const std::string& o : grid.overrides(number))
      sets.push_back(o);
    LoadResult loaded = load_scenario_file(options.file, sets);
    std::stringstream lines(format_all(loaded.diagnostics, options.file));
    for (std::string line; std::getline(lines, line);) {
      if (printed.insert(line).second) std::fprintf(stderr, "%s\n", line.c_str());
    }
    if (!loaded.ok()) {
      ok = false;
      continue;
    }
    if (number % shard.count == shard.index - 1)
      points.push_back({number, grid.values(number), std::move(*loaded.scenario), 0, 0});
  }
  return ok;
}

/// The summary CSV's rows of a point's runs with the point's number and values in front.
void point_rows(const Point& point, const std::vector<RunResult>& runs, CsvWriter& csv) {
  for (std::size_t job = point.first_job; job < point.first_job + point.job_count; ++job) {
    csv.field(point.number);
    for (const std::string& value : point.values)
      csv.field(value);
    for (const std::string& field : summary_csv_row(point.scenario, runs[job]))
      csv.field(field);
    csv.end_row();
  }
}

void header(const SweepGrid& grid, CsvWriter& csv) {
  csv.field("point");
  for (const Variation& v : grid.variations())
    csv.field(v.pointer);
  for (const std::string& column : summary_csv_columns())
    csv.field(column);
  csv.end_row();
}

int sweep(const SweepOptions& options) {
  std::vector<Variation> variations;
  std::set<std::string> pointers;
  for (const std::string& text : options.varies) {
    std::string error;
    auto variation = parse_variation(text, error);
    if (!variation) {
      std::fprintf(stderr, "kafkasim: %s\n", error.c_str());
      return kExitBadInput;
    }
    if (!pointers.insert(variation->pointer).second) {
      std::fprintf(stderr, "kafkasim: --vary %s: pointer varied twice\n",
                   variation->pointer.c_str());
      return kExitBadInput;
    }
    variations.push_back(std::move(*variation));
  }
  const std::optional<Shard> shard = parse_shard(options.shard);
  if (!shard) {
    std::fprintf(stderr, "kafkasim: --shard %s: expected K/N with 1 <= K <= N, e.g. 2/4\n",
                 options.shard.c_str());
    return kExitBadInput;
  }
  const SweepGrid grid(std::move(variations));
  if (grid.size() > kMaxPoints) {
    std::fprintf(stderr, "kafkasim: the grid has more than %llu points\n",
                 static_cast<unsigned long long>(kMaxPoints));
    return kExitBadInput;
  }
  std::optional<std::vector<AckMode>> modes;
  if (!options.acks.empty()) {
    modes = parse_modes(options.acks);
    if (!modes) return kExitBadInput;
  }
  if (!output_directories_exist({options.csv})) return kExitBadInput;
  std::vector<Point> points;
  if (!load_points(options, grid, *shard, points)) return kExitBadInput;

  std::vector<RunJob> jobs;
  for (Point& point : points) {
    point.first_job = jobs.size();
    const std::uint64_t first_seed = options.seed.value_or(point.scenario.seed);
    if (!seeds_in_range(first_seed, options.seeds)) return kExitBadInput;
    for (std::uint64_t s = 0; s < options.seeds; ++s) {
      for (const AckMode mode : modes ? *modes : point.scenario.acks)
        jobs.push_back({&point.scenario, mode, first_seed + s});
    }
    point.job_count = jobs.size() - point.first_job;
  }
  const std::vector<RunResult> results = run_jobs(
      jobs, options.jobs, options.check_invariants ? RunChecks::invariants : RunChecks::none);

  CsvWriter writer;
  header(grid, writer);  // an empty shard still writes it
  for (const Point& point : points)
    point_rows(point, results, writer);
  const std::string csv = writer.take();
  if (options.csv == "-") {
    std::fputs(csv.c_str(), stdout);
    return kExitOk;
  }
  try {
    write_file_atomically(options.csv, csv);
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "kafkasim: %s\n", e.what());
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace

void add_sweep_command(CLI::App& app, int& exit_status) {
  CLI::App* cmd = app.add_subcommand(
      "sweep", "Run a scenario over a grid of values; one CSV row per run (point x mode x seed)");
  auto options = std::make_shared<SweepOptions>();
  cmd->add_option("scenario", options->file, "scenario file")->required();
  cmd->add_option("--vary", options->varies,
                  "PTR=v1,v2,...: a JSON Pointer and its values (JSON, else a string); "
                  "repeatable, the grid is every combination")
      ->required();
  cmd->add_option("--acks", options->acks, kAcksHelp);
  cmd->add_option("--seed", options->seed, "first seed (default: the scenario's)")
      ->transform(integer_in(std::uint64_t{0}, std::numeric_limits<std::uint64_t>::max()));
  cmd->add_option("--seeds", options->seeds, "seeds per mode and point (seed, seed+1, ...)")
      ->transform(integer_in(std::uint64_t{1}, kMaxSeeds));
  cmd->add_option("--set", options->overrides, "override a value by JSON Pointer: PTR=VALUE");
  cmd->add_option("--csv", options->csv, "where the rows go (default '-': stdout)");
  cmd->add_option("--shard", options->shard,
                  "K/N: run only the grid points numbered K-1 modulo N (K from 1), so N "
                  "invocations split the grid");
  cmd->add_flag("--check-invariants", options->check_invariants,
                "check the model's invariants after every event (slower)");
  cmd->add_option("--jobs", options->jobs, "runs in parallel (output does not depend on it)")
      ->transform(integer_in(1u, kMaxJobs));
  cmd->callback([options, &exit_status] { exit_status = sweep(*options); });
}

}  // namespace kafkasim::cli
