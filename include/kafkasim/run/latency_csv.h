// `--latency-csv FILE` (our extension of SPEC.md): each run's latency distribution, as the
// non-empty buckets of its histogram, so a plot can draw the full CDF rather than the report's
// six percentiles. Tidy CSV, header `acks,seed,lower_ms,upper_ms,count`: `count` acknowledged
// records of that run had a send()-to-acknowledgement latency in [lower_ms, upper_ms). Buckets
// are at most 1/128 of their lower bound wide (LatencyHistogram), clamped to the run's exact
// minimum and maximum; bounds are printed to the nanosecond.
#pragma once

#include <string>
#include <vector>

#include "kafkasim/run/run_result.h"

namespace kafkasim {

std::string latency_csv(const std::vector<RunResult>& runs);

}  // namespace kafkasim
