#include "kafkasim/run/load_change_notes.h"

#include <cassert>
#include <cmath>
#include <cstdio>

namespace kafkasim {

namespace {

// "1000", "2.5": a rate as the scenario would write it.
std::string rate_text(double per_s) {
  char text[32];
  if (per_s == std::floor(per_s) && per_s < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", per_s);
  } else {
    std::snprintf(text, sizeof text, "%g", per_s);
  }
  return std::string(text) + " messages/s";
}

}  // namespace

void schedule_load_change_notes(const std::vector<ProducerSpec>& producers,
                                const std::vector<NodeId>& nodes, Instant scenario_start,
                                Instant end, Timeline& timeline) {
  assert(producers.size() == nodes.size());
  for (std::size_t i = 0; i < producers.size(); ++i) {
    const ProducerSpec& p = producers[i];
    // The rate in force at start_ms: rate_per_s, or the last change at or before it.
    double rate = p.rate_per_s;
    for (const RateChange& change : p.rate_changes) {
      if (change.at <= p.start) rate = change.rate_per_s;
    }
    // A producer that starts with the scenario is not a change; one that starts later is.
    if (p.start > scenario_start) {
      timeline.schedule_note(
          p.start, "load change", nodes[i],
          "producer " + p.name + " starts sending, " + rate_text(rate) + " (start_ms)");
    }
    for (const RateChange& change : p.rate_changes) {
      if (change.at <= p.start || change.at >= end || (p.stop && change.at >= *p.stop)) continue;
      if (change.rate_per_s == rate) continue;
      timeline.schedule_note(change.at, "load change", nodes[i],
                             "producer " + p.name + " goes from " + rate_text(rate) + " to " +
                                 rate_text(change.rate_per_s) + " (rate_changes)");
      rate = change.rate_per_s;
    }
    if (p.stop && *p.stop < end) {
      timeline.schedule_note(*p.stop, "load change", nodes[i],
                             "producer " + p.name + " stops sending (stop_ms)");
    }
  }
}

}  // namespace kafkasim
