#include "kafkasim/run/run_plan.h"

#include <sstream>

#include "kafkasim/run/aggregate.h"
#include "kafkasim/run/report.h"
#include "kafkasim/scenario/nearest_name.h"

namespace kafkasim {

std::optional<std::vector<AckMode>> parse_ack_modes(const std::string& list, std::string& error) {
  std::vector<AckMode> modes;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto mode = parse_ack_mode(item);
    if (!mode) {
      // Names only: a number one digit off ("2") is not a typo of 0 or 1.
      const std::string_view nearest =
          item.empty() ? "" : nearest_name(item, {"none", "async", "isr", "sync", "all"});
      error = "--acks: unknown mode \"" + item +
              "\" (expected none, async, isr, sync, or Kafka's 0, 1, all, -1)" +
              (nearest.empty() ? "" : "; did you mean \"" + std::string(nearest) + "\"?");
      return std::nullopt;
    }
    modes.push_back(*mode);
  }
  if (modes.empty()) {
    error = "--acks: no mode given (expected e.g. --acks async,isr)";
    return std::nullopt;
  }
  return modes;
}

std::vector<RunJob> plan_runs(const Scenario& scenario, const std::vector<AckMode>& modes,
                              std::uint64_t first_seed, std::uint64_t seeds) {
  std::vector<RunJob> jobs;
  for (std::uint64_t s = 0; s < seeds; ++s) {
    for (AckMode mode : modes)
      jobs.push_back({&scenario, mode, first_seed + s});
  }
  return jobs;
}

std::string report_json_text(const Scenario& scenario, const std::vector<RunResult>& results,
                             std::uint64_t first_seed, std::uint64_t seeds) {
  return report_json(scenario, results, first_seed, seeds).dump(2) + "\n";
}

std::string run_table(const Scenario& scenario, const std::vector<RunResult>& results,
                      std::uint64_t first_seed, std::uint64_t seeds) {
  if (seeds == 1) return comparison_table(scenario, results);
  return aggregate_table(scenario, report_json(scenario, results, first_seed, seeds)["aggregate"],
                         first_seed, seeds);
}

}  // namespace kafkasim
