// The load changes a scenario makes: a producer that starts later than the scenario, changes its
// rate (rate_changes) or stops before the end. They are scenario inputs, known before the run:
// the timeline tells them (SPEC.md "--timeline"), scheduled rather than carried by engine events
// (the simulation stays the same, its event count included), and the report's scenario object
// lists them (load_changes) for the plots to mark.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "kafkasim/run/timeline.h"
#include "kafkasim/scenario/producer.h"

namespace kafkasim {

/// One producer's rate changing at `at`; a start comes from 0, a stop goes to 0.
struct LoadChange {
  Instant at;
  std::size_t producer = 0;  // index in the scenario's producers
  double from_per_s = 0;
  double to_per_s = 0;
  std::string_view key;  // the scenario key that makes it: start_ms, rate_changes or stop_ms
};

/// The load changes of `producers` in a scenario that runs from `scenario_start` to `end`, by
/// time, then producer: a start after scenario_start, each rate change after the start, before
/// the end and before a stop that differs from the rate in force, a stop before the end.
std::vector<LoadChange> load_changes(const std::vector<ProducerSpec>& producers,
                                     Instant scenario_start, Instant end);

/// "1000 messages/s", "2.5 messages/s": a rate as the scenario would write it.
std::string load_rate_text(double per_s);

/// `producers` are already shifted by the boot time (shifted_by_boot); `nodes[i]` is producer
/// i's network node; the scenario runs from `scenario_start` to `end`.
void schedule_load_change_notes(const std::vector<ProducerSpec>& producers,
                                const std::vector<NodeId>& nodes, Instant scenario_start,
                                Instant end, Timeline& timeline);

}  // namespace kafkasim
