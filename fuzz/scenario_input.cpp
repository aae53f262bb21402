#include "scenario_input.h"

#include <vector>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/report.h"
#include "kafkasim/scenario/loader.h"

namespace kafkasim::fuzz {

namespace {

// Bigger scenarios are still loaded and validated; only their simulation is skipped, since
// building a large cluster costs time before the event budget counts anything.
bool small_enough_to_run(const Scenario& scenario) {
  std::int64_t replicas = 0;
  for (const TopicSpec& topic : scenario.topics)
    replicas += std::int64_t{topic.partitions} * topic.replication_factor;
  return scenario.cluster.brokers.size() <= 7 && replicas <= 64 && scenario.producers.size() <= 8;
}

}  // namespace

void exercise_scenario_bytes(std::string_view bytes) {
  const LoadResult loaded = load_scenario_text(bytes, "fuzz-input.json");
  // Formatting every diagnostic exercises the describe/pointer code on hostile values.
  const std::string diagnostics = format_all(loaded.diagnostics, "fuzz-input.json");
  if (!loaded.ok() || !small_enough_to_run(*loaded.scenario)) return;
  const Scenario& scenario = *loaded.scenario;
  std::vector<RunResult> runs;
  for (const AckMode mode : scenario.acks) {
    try {
      runs.push_back(run_scenario(scenario, mode, scenario.seed, RunChecks::invariants,
                                  RunLimits{kEventBudget}));
    } catch (const RunLimitExceeded&) {
      // The budget bounds the input, as --max-events bounds a user's run: not a finding.
    }
  }
  if (runs.empty()) return;
  // The reports read every field of the results: a garbage value there shows up under UBSan.
  const std::string text = comparison_table(scenario, runs) + timelines(runs) +
                           summary_csv(scenario, runs) +
                           report_json(scenario, runs, scenario.seed, 1).dump(2);
  if (text.empty()) __builtin_trap();  // a report is never empty; this also keeps `text` used
}

}  // namespace kafkasim::fuzz
