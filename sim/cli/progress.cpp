#include "progress.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <unistd.h>

namespace kafkasim::cli {

namespace {
/// Runs shorter than this show nothing.
constexpr auto kQuietFor = std::chrono::seconds(2);
constexpr auto kEvery = std::chrono::milliseconds(500);
}  // namespace

Progress::Progress(std::vector<std::int64_t> scenario_ms)
    : scenario_ms_(std::move(scenario_ms)),
      simulated_(new std::atomic<std::int64_t>[scenario_ms_.size()]),
      runs_(scenario_ms_.size()),
      enabled_(isatty(fileno(stderr)) != 0) {
  for (std::size_t i = 0; i < runs_; ++i) {
    simulated_[i].store(0, std::memory_order_relaxed);
    total_ms_ += scenario_ms_[i];
  }
  total_ms_ = std::max<std::int64_t>(total_ms_, 1);
  if (!enabled_) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    if (stop_.wait_for(lock, kQuietFor, [this] { return stopping_; })) return;
    do {
      show();
    } while (!stop_.wait_for(lock, kEvery, [this] { return stopping_; }));
  });
}

Progress::~Progress() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_one();
  thread_.join();
  if (shown_) std::fputs("\r\033[K", stderr);  // erase the line: the table follows on stdout
}

std::atomic<std::int64_t>* Progress::simulated_ms(std::size_t index) {
  return enabled_ ? &simulated_[index] : nullptr;
}

void Progress::show() {
  double simulated = 0;
  for (std::size_t i = 0; i < runs_; ++i) {
    const std::int64_t ms = simulated_[i].load(std::memory_order_relaxed);
    simulated += static_cast<double>(std::clamp<std::int64_t>(ms, 0, scenario_ms_[i]));
  }
  const double share = 100.0 * simulated / static_cast<double>(total_ms_);
  std::fprintf(stderr, "\r\033[Kkafkasim: %.0f%% simulated, %zu of %zu run(s) done", share,
               done_.load(std::memory_order_relaxed), runs_);
  std::fflush(stderr);
  shown_ = true;
}

}  // namespace kafkasim::cli
