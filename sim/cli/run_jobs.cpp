#include "run_jobs.h"

#include "progress.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

namespace kafkasim::cli {

std::vector<RunResult> run_jobs(const std::vector<RunJob>& jobs, unsigned threads, RunChecks checks,
                                const RunRecording& recording) {
  std::vector<RunResult> results(jobs.size());
  std::vector<std::exception_ptr> errors(jobs.size());
  std::atomic<std::size_t> next{0};
  std::vector<std::int64_t> scenario_ms;
  for (const RunJob& job : jobs) {
    scenario_ms.push_back((job.scenario->duration + job.scenario->settle) /
                          std::chrono::milliseconds(1));
  }
  Progress progress(scenario_ms);
  auto worker = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      try {
        RunRecording run_recording = recording;
        run_recording.progress_ms = progress.simulated_ms(i);
        results[i] =
            run_scenario(*jobs[i].scenario, jobs[i].mode, jobs[i].seed, checks, run_recording);
      } catch (...) {
        errors[i] = std::current_exception();
      }
      progress.run_done();
    }
  };
  std::vector<std::thread> pool;
  const unsigned count = std::min<unsigned>(threads, static_cast<unsigned>(jobs.size()));
  for (unsigned t = 1; t < count; ++t)
    pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool)
    t.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return results;
}

}  // namespace kafkasim::cli
