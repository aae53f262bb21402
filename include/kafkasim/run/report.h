// The report of a set of runs (SPEC.md "Report"): the comparison table on stdout, the JSON
// report and the summary CSV. Output depends only on the results, in the order given. The
// fields of a run are listed once, in run_fields.cpp, for all three.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kafkasim/run/run_result.h"
#include "kafkasim/scenario/scenario.h"

namespace kafkasim {

/// One column per run: the numbers a student compares across modes.
std::string comparison_table(const Scenario& scenario, const std::vector<RunResult>& runs);

/// Each run's timeline, under a heading naming its mode and seed.
std::string timelines(const std::vector<RunResult>& runs);
/// The end of one run's timeline: what the mode cost (lines ending in '\n'), as timelines()
/// prints it after the run's lines; the browser page shows the same.
std::string timeline_verdict(const RunResult& run);

nlohmann::ordered_json report_json(const Scenario& scenario, const std::vector<RunResult>& runs,
                                   std::uint64_t first_seed, std::uint64_t seeds);

/// The SPEC's columns first, in its order, then ours: a header row, then one row per run.
std::string summary_csv(const Scenario& scenario, const std::vector<RunResult>& runs);
/// The summary CSV's columns and one run's fields, unquoted (for a CSV that adds columns of
/// its own, as the sweep does; write them through CsvWriter).
std::vector<std::string> summary_csv_columns();
std::vector<std::string> summary_csv_row(const Scenario& scenario, const RunResult& run);

/// Writes the whole file or nothing: a temporary file in the same directory, then a rename.
/// Throws std::runtime_error with the reason on failure.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace kafkasim
