#include "kafkasim/bench/event_mix.h"

#include <algorithm>
#include <cstdio>

namespace kafkasim {

const std::array<const char*, EventMix::kClasses> EventMix::kClassNames = {
    "0 (now)",       "(0, 1 us]",       "(1 us, 10 us]", "(10 us, 100 us]", "(100 us, 1 ms]",
    "(1 ms, 10 ms]", "(10 ms, 100 ms]", "(100 ms, 1 s]", "(1 s, 10 s]",     "> 10 s"};

int EventMix::class_of(std::int64_t delay_ns) {
  if (delay_ns <= 0) return 0;
  int c = 1;
  for (std::int64_t bound = 1000; delay_ns > bound && c < kClasses - 1; bound *= 10)
    ++c;
  return c;
}

void EventMix::on_schedule(Instant now, const Event& event, std::size_t pending) {
  const std::int64_t delay = (event.at - now).count();
  const int c = class_of(delay);
  const bool timer = (event.data & Engine::kTimerBit) != 0;
  Kind& kind = timer ? timers_ : posts_;
  ++kind.count;
  ++kind.by_class[static_cast<std::size_t>(c)];
  ++kind.by_delay[delay];
  if (timer_class_by_seq_.size() <= event.seq) timer_class_by_seq_.resize(event.seq + 1, kClasses);
  timer_class_by_seq_[event.seq] = static_cast<std::uint8_t>(timer ? c : kClasses);
  pending_sum_ += pending;
  pending_max_ = std::max(pending_max_, pending);
}

void EventMix::on_cancel(Instant /*now*/, std::uint64_t seq) {
  ++cancelled_;
  if (seq < timer_class_by_seq_.size() && timer_class_by_seq_[seq] < kClasses) {
    ++cancelled_by_class_[timer_class_by_seq_[seq]];
  }
}

namespace {

double percent(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

std::string EventMix::report() const {
  std::string out;
  char line[256];
  const std::uint64_t all = timers_.count + posts_.count;
  std::snprintf(line, sizeof line,
                "scheduled=%llu\ntimers=%llu (%.1f%%)\nposts=%llu (%.1f%%, the network's "
                "deliveries)\ntimers_cancelled=%llu (%.1f%% of timers)\n",
                static_cast<unsigned long long>(all),
                static_cast<unsigned long long>(timers_.count), percent(timers_.count, all),
                static_cast<unsigned long long>(posts_.count), percent(posts_.count, all),
                static_cast<unsigned long long>(cancelled_), percent(cancelled_, timers_.count));
  out += line;
  std::snprintf(line, sizeof line, "pending_records_mean=%.0f\npending_records_max=%zu\n",
                all == 0 ? 0.0 : static_cast<double>(pending_sum_) / static_cast<double>(all),
                pending_max_);
  out += line;
  out += "\n| delay | timers | of which cancelled | posts |\n|---|---|---|---|\n";
  for (int c = 0; c < kClasses; ++c) {
    const auto i = static_cast<std::size_t>(c);
    std::snprintf(line, sizeof line, "| %s | %.1f%% | %.1f%% | %.1f%% |\n", kClassNames[i],
                  percent(timers_.by_class[i], timers_.count),
                  percent(cancelled_by_class_[i], timers_.by_class[i]),
                  percent(posts_.by_class[i], posts_.count));
    out += line;
  }
  const auto top = [&](const Kind& kind, const char* name) {
    std::vector<std::pair<std::uint64_t, std::int64_t>> ranked;
    ranked.reserve(kind.by_delay.size());
    for (const auto& [delay, count] : kind.by_delay)
      ranked.emplace_back(count, delay);
    // Most frequent first; ties by the shorter delay, so the listing is deterministic.
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::snprintf(line, sizeof line, "\n%s: %zu distinct delays; the most frequent:\n", name,
                  kind.by_delay.size());
    out += line;
    std::uint64_t covered = 0;
    for (std::size_t k = 0; k < std::min<std::size_t>(8, ranked.size()); ++k) {
      covered += ranked[k].first;
      std::snprintf(line, sizeof line, "  %.6f ms: %.1f%% (cumulative %.1f%%)\n",
                    static_cast<double>(ranked[k].second) / 1e6,
                    percent(ranked[k].first, kind.count), percent(covered, kind.count));
      out += line;
    }
  };
  top(timers_, "timers");
  top(posts_, "posts");
  return out;
}

}  // namespace kafkasim
