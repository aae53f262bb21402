#include "kafkasim/run/lag_story.h"

#include <algorithm>
#include <cassert>
#include <cstdio>

namespace kafkasim {

LagStory::LagStory(std::vector<std::string> group_names, Instant scenario_start)
    : names_(std::move(group_names)), backlogs_(names_.size()), scenario_start_(scenario_start) {}

std::string LagStory::seconds(Instant t) const {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", to_ms(t - scenario_start_) / 1000.0);
  return text;
}

std::int64_t LagStory::drained_level(std::int64_t peak) {
  return std::max(kBacklogDrained, peak / 100);
}

std::optional<std::string> LagStory::observe(std::size_t group, std::int64_t lag, Instant now) {
  assert(group < backlogs_.size() && lag >= 0);
  Backlog& b = backlogs_[group];
  if (!b.open) {
    if (lag < kBacklogStart) return std::nullopt;
    b = Backlog{true, now, lag, now};
    return std::nullopt;
  }
  if (lag > b.peak) {
    b.peak = lag;
    b.peak_at = now;
  }
  const std::int64_t level = drained_level(b.peak);
  if (lag > level) return std::nullopt;
  b.open = false;
  if (now - b.started_at < kBacklogMinDuration) return std::nullopt;
  return "group " + names_[group] + "'s backlog drained: its lag peaked at " +
         std::to_string(b.peak) + " records at " + seconds(b.peak_at) + " and is back at " +
         std::to_string(level) + " or fewer (1% of the peak, at least " +
         std::to_string(kBacklogDrained) + ")";
}

std::vector<std::string> LagStory::unfinished(const std::vector<std::int64_t>& lag,
                                              Instant now) const {
  assert(lag.size() == backlogs_.size());
  std::vector<std::string> lines;
  for (std::size_t g = 0; g < backlogs_.size(); ++g) {
    const Backlog& b = backlogs_[g];
    if (!b.open || now - b.started_at < kBacklogMinDuration) continue;
    lines.push_back("group " + names_[g] + "'s backlog never drained: its lag peaked at " +
                    std::to_string(b.peak) + " records at " + seconds(b.peak_at) + " and is " +
                    std::to_string(lag[g]) + " at the end");
  }
  return lines;
}

}  // namespace kafkasim
