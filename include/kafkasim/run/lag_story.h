// A consumer group's backlogs, told in the timeline (SPEC.md "--timeline"): when a group falls
// behind (a burst, a crashed or slow member, a leader that stalls), the line that matters to a
// student of peak shaving is how high the lag peaked, when, and when it had drained again.
//
// The rule, written out in every line so nothing is hidden: a backlog starts when the group's
// lag (SPEC.md consumer_lag) reaches kBacklogStart records; it has drained when the lag is back
// at or under 1% of its peak (at least kBacklogDrained records, a group's usual lag when it keeps
// up: records on their way); a backlog still open at the end of the run is told then. A backlog
// shorter than kBacklogMinDuration is not told: a fetch round trip at a high rate makes such
// blips all the time, and they are not what a student should look at.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafkasim/core/time.h"

namespace kafkasim {

inline constexpr std::int64_t kBacklogStart = 100;
inline constexpr std::int64_t kBacklogDrained = 10;
inline constexpr Duration kBacklogMinDuration = std::chrono::seconds(1);

class LagStory {
 public:
  /// One entry per group, by its index; `scenario_start` is the timeline's time 0.
  LagStory(std::vector<std::string> group_names, Instant scenario_start);

  /// A sample of `group`'s lag at `now`; returns a timeline line when a backlog has drained.
  std::optional<std::string> observe(std::size_t group, std::int64_t lag, Instant now);
  /// The lines for the backlogs still open at the end of the run (`lag` by group, at `now`).
  std::vector<std::string> unfinished(const std::vector<std::int64_t>& lag, Instant now) const;

 private:
  struct Backlog {
    bool open = false;
    Instant started_at;
    std::int64_t peak = 0;
    Instant peak_at;
  };

  std::string seconds(Instant t) const;  // "60.012 s"
  static std::int64_t drained_level(std::int64_t peak);

  std::vector<std::string> names_;
  std::vector<Backlog> backlogs_;
  Instant scenario_start_;
};

}  // namespace kafkasim
