#include "run_jobs.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

namespace kafkasim::cli {

std::vector<RunResult> run_jobs(const std::vector<RunJob>& jobs, unsigned threads, RunChecks checks,
                                const RunLimits& limits) {
  std::vector<RunResult> results(jobs.size());
  std::vector<std::exception_ptr> errors(jobs.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      try {
        results[i] = run_scenario(*jobs[i].scenario, jobs[i].mode, jobs[i].seed, checks, limits);
      } catch (...) {
        errors[i] = std::current_exception();
      }
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
