// Progress of `kafkasim run` on stderr (issue 5 item 7): for runs longer than a few seconds of
// wall time, and only when stderr is a terminal, one line rewritten in place every half second:
// the share of the scenario time simulated over all runs, and the runs done. Nothing is written
// to a file or a pipe, so captured output never depends on the machine's speed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace kafkasim::cli {

class Progress {
 public:
  /// One run per entry, of that much scenario time (duration plus settling). Shows nothing
  /// unless stderr is a terminal.
  explicit Progress(std::vector<std::int64_t> scenario_ms);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Where run `index` reports the scenario time it has simulated (RunRecording::progress_ms);
  /// nullptr when progress is not shown.
  std::atomic<std::int64_t>* simulated_ms(std::size_t index);
  void run_done() { done_.fetch_add(1, std::memory_order_relaxed); }

 private:
  void show();

  std::vector<std::int64_t> scenario_ms_;  // by run
  std::int64_t total_ms_ = 0;
  std::unique_ptr<std::atomic<std::int64_t>[]> simulated_;
  std::size_t runs_;
  std::atomic<std::size_t> done_{0};
  bool enabled_;
  bool shown_ = false;
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kafkasim::cli
