// The load changes a scenario makes, as timeline lines (SPEC.md "--timeline"): a producer that
// starts later than the scenario, changes its rate (rate_changes) or stops before the end. They
// are scenario inputs, known before the run, so they are scheduled into the timeline rather
// than carried by engine events (the simulation stays the same, its event count included).
#pragma once

#include <vector>

#include "kafkasim/run/timeline.h"
#include "kafkasim/scenario/producer.h"

namespace kafkasim {

/// `producers` are already shifted by the boot time (shifted_by_boot); `nodes[i]` is producer
/// i's network node; the scenario runs from `scenario_start` to `end`.
void schedule_load_change_notes(const std::vector<ProducerSpec>& producers,
                                const std::vector<NodeId>& nodes, Instant scenario_start,
                                Instant end, Timeline& timeline);

}  // namespace kafkasim
