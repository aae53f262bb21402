// What `kafkasim run` does between reading its options and writing its outputs, for the
// command line and the browser page (web/) alike: the modes an --acks list names, the runs a
// scenario and the options ask for (in the report's order), and the report's bytes. Sharing
// them keeps the page's report byte-identical to the command line's (SPEC.md "Additions").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafkasim/run/run_result.h"
#include "kafkasim/scenario/ack_mode.h"
#include "kafkasim/scenario/scenario.h"

namespace kafkasim {

/// One run to make: a scenario under one mode and one seed.
struct RunJob {
  const Scenario* scenario = nullptr;
  AckMode mode = AckMode::async;
  std::uint64_t seed = 1;
};

/// "async,isr" or Kafka's spellings "1,all". nullopt when a name is unknown, with `error` set
/// to the message (the command line's words, after its "kafkasim: ").
std::optional<std::vector<AckMode>> parse_ack_modes(const std::string& list, std::string& error);

/// Every (seed, mode) pair, seeds outermost: the order of the report's runs.
std::vector<RunJob> plan_runs(const Scenario& scenario, const std::vector<AckMode>& modes,
                              std::uint64_t first_seed, std::uint64_t seeds);

/// The bytes `kafkasim run --json` writes (report.h's report_json, indented by 2, a newline).
std::string report_json_text(const Scenario& scenario, const std::vector<RunResult>& results,
                             std::uint64_t first_seed, std::uint64_t seeds);

/// The table `kafkasim run` prints: one column per run; with several seeds, which would be
/// too many columns to read, one per mode with the mean and its confidence interval.
std::string run_table(const Scenario& scenario, const std::vector<RunResult>& results,
                      std::uint64_t first_seed, std::uint64_t seeds);

}  // namespace kafkasim
