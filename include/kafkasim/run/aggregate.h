// The `aggregate` of a multi-seed report (SPEC.md "Report", issue 5): for each mode, the mean and
// the 95% confidence interval (Student t over the seeds) of every numeric summary field of its
// runs, and the table that shows them as mean ± half-width.
//
// It is computed from the runs' JSON, so that every numeric summary field a run reports is
// aggregated, fields added later included, and the aggregate has the shape of a run:
//
//   "aggregate": {
//     "async": {"runs": 5,
//               "produced": {"mean": 120010.4, "half_width": 85.2, "ci95": [119925.2, 120095.6]},
//               "latency_ms": {"p99": {"mean": ..., "half_width": ..., "ci95": [...]}, ...},
//               ...},
//     "isr": {...}}
//
// Summary fields are a run's numbers, the numbers in its objects (latency_ms), and those in its
// arrays of named groups (consumer_groups, keyed by each element's "group"): the fields of kind
// number and named_groups in the table of run fields (sim/run/run_fields.cpp). Not summary
// fields: acks and seed (they identify the run), partitions (the end state of each partition)
// and lost_examples.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "kafkasim/scenario/scenario.h"

namespace kafkasim {

/// `runs` is the report's "runs" array; modes appear in the order of their first run.
nlohmann::ordered_json aggregate_json(const nlohmann::ordered_json& runs);

/// One column per mode, one row per aggregated field: "mean ± half-width".
std::string aggregate_table(const Scenario& scenario, const nlohmann::ordered_json& aggregate,
                            std::uint64_t first_seed, std::uint64_t seeds);

}  // namespace kafkasim
