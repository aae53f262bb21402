// Runs on several threads (`--jobs`), for `run` and `sweep`: each run is single-threaded and
// independent of the others, so they may run in any order on any thread; results land in their
// own slots, so the output never depends on the number of threads.
#pragma once

#include <cstdint>
#include <vector>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/run_plan.h"

namespace kafkasim::cli {

/// The results in the order of `jobs`. A run that throws (an invariant violated) keeps its error
/// in its slot rather than ending the process from a worker thread; once every run is done, the
/// first error in `jobs` order is rethrown, so the message does not depend on `threads` either.
/// Every run records what `recording` asks (its progress_ms is ignored: while the runs last,
/// progress is shown on stderr when it is a terminal, see progress.h).
std::vector<RunResult> run_jobs(const std::vector<RunJob>& jobs, unsigned threads, RunChecks checks,
                                const RunRecording& recording = {});

}  // namespace kafkasim::cli
