#include "kafkasim/run/load_change_notes.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

namespace kafkasim {

std::string load_rate_text(double per_s) {
  char text[32];
  if (per_s == std::floor(per_s) && per_s < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", per_s);
  } else {
    std::snprintf(text, sizeof text, "%g", per_s);
  }
  return std::string(text) + " messages/s";
}

std::vector<LoadChange> load_changes(const std::vector<ProducerSpec>& producers,
                                     Instant scenario_start, Instant end) {
  std::vector<LoadChange> changes;
  for (std::size_t i = 0; i < producers.size(); ++i) {
    const ProducerSpec& p = producers[i];
    // The rate in force at start_ms: rate_per_s, or the last change at or before it.
    double rate = p.rate_per_s;
    for (const RateChange& change : p.rate_changes) {
      if (change.at <= p.start) rate = change.rate_per_s;
    }
    // A producer that starts with the scenario is not a change; one that starts later is.
    if (p.start > scenario_start) changes.push_back({p.start, i, 0, rate, "start_ms"});
    for (const RateChange& change : p.rate_changes) {
      if (change.at <= p.start || change.at >= end || (p.stop && change.at >= *p.stop)) continue;
      if (change.rate_per_s == rate) continue;
      changes.push_back({change.at, i, rate, change.rate_per_s, "rate_changes"});
      rate = change.rate_per_s;
    }
    if (p.stop && *p.stop < end) changes.push_back({*p.stop, i, rate, 0, "stop_ms"});
  }
  std::stable_sort(changes.begin(), changes.end(),
                   [](const LoadChange& a, const LoadChange& b) { return a.at < b.at; });
  return changes;
}

void schedule_load_change_notes(const std::vector<ProducerSpec>& producers,
                                const std::vector<NodeId>& nodes, Instant scenario_start,
                                Instant end, Timeline& timeline) {
  assert(producers.size() == nodes.size());
  for (const LoadChange& change : load_changes(producers, scenario_start, end)) {
    const std::string name = "producer " + producers[change.producer].name;
    std::string line;
    if (change.key == "start_ms") {
      line = name + " starts sending, " + load_rate_text(change.to_per_s) + " (start_ms)";
    } else if (change.key == "stop_ms") {
      line = name + " stops sending (stop_ms)";
    } else {
      line = name + " goes from " + load_rate_text(change.from_per_s) + " to " +
             load_rate_text(change.to_per_s) + " (rate_changes)";
    }
    timeline.schedule_note(change.at, "load change", nodes[change.producer], line);
  }
}

}  // namespace kafkasim
