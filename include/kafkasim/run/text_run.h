// `kafkasim run` for a scenario given as text: what the browser page (web/) runs, compiled to
// WebAssembly from these same sources. It takes what the command line takes (--acks, --seed,
// --seeds, --set, --series-interval-ms), words its errors as the command line does, and gives
// the command line's outputs: the report JSON byte for byte, the table, the timelines, the
// series. The runs are made one at a time, on the caller's thread (a page has no threads to
// spare), so that the caller can tell its user how far they are between runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/run_plan.h"
#include "kafkasim/scenario/loader.h"

namespace kafkasim {

/// The options of `kafkasim run` that change what is simulated or recorded.
struct TextRunOptions {
  std::string acks;                     // --acks; "" = the scenario's "acks"
  std::optional<std::uint64_t> seed;    // --seed; nullopt = the scenario's "seed"
  std::uint64_t seeds = 1;              // --seeds
  std::vector<std::string> overrides;   // --set PTR=VALUE, in order
  std::int64_t series_interval_ms = 0;  // --series-interval-ms with --series; 0 = no series
  /// With a series: the cluster's state at each sample (cluster_states_json(); the page's view).
  bool cluster_states = false;
  LoadLimits load_limits;  // --max-messages
  RunLimits run_limits;    // --max-events
  /// Told the scenario time simulated so far, in ms, about once per simulated second of each
  /// run (RunRecording::on_progress_ms); empty: not told.
  std::function<void(std::int64_t)> on_progress_ms;
};

class TextRun {
 public:
  /// Loads `text` as the scenario file `file_label` (the report's scenario.file) and plans the
  /// runs. When the scenario or an option is wrong, ok() is false and errors() says why.
  TextRun(std::string_view text, std::string file_label, TextRunOptions options);
  // The planned runs point into the scenario this object holds.
  TextRun(const TextRun&) = delete;
  TextRun& operator=(const TextRun&) = delete;

  /// Whether the runs can be made.
  bool ok() const { return !jobs_.empty(); }
  /// What `kafkasim run` prints on stderr before it simulates: every diagnostic of the
  /// scenario (warnings too, with ok()), or why an option is wrong; one line each.
  const std::string& errors() const { return errors_; }
  /// The scenario's diagnostics, one by one (the page shows each next to the text).
  const Diagnostics& diagnostics() const { return loaded_.diagnostics; }

  std::size_t run_count() const { return jobs_.size(); }
  std::size_t runs_done() const { return results_.size(); }
  /// The mode and seed of run `index` (< run_count()).
  const RunJob& job(std::size_t index) const { return jobs_.at(index); }
  /// Makes the next run. Precondition: ok() and runs_done() < run_count(). Throws what
  /// run_scenario throws (RunLimitExceeded, an invariant's std::logic_error).
  void run_next();

  /// The outputs, once every run is done (precondition). report_json() is `--json`'s bytes.
  std::string report_json() const;
  std::string table() const;
  std::string timelines() const;
  std::string series_csv() const;  // empty header-only CSV unless series_interval_ms > 0
  /// The cluster's states of every run (cluster_states.h); runs without them unless asked for.
  std::string cluster_states_json() const;
  /// Run `index` (< run_count()) made again, traced over its whole length: the same run (a run
  /// is deterministic), with RunResult::trace for a record's story and the traffic. Kept until
  /// another index is asked for. Throws what run_scenario throws.
  const RunResult& traced(std::size_t index);
  const std::vector<RunResult>& results() const { return results_; }

 private:
  void require_done() const;

  TextRunOptions options_;
  LoadResult loaded_;
  std::string errors_;
  std::uint64_t first_seed_ = 1;
  std::vector<RunJob> jobs_;
  std::vector<RunResult> results_;
  std::size_t traced_index_ = 0;
  std::optional<RunResult> traced_;
};

}  // namespace kafkasim
