// The sizes of a run that need the whole scenario (load_limits.h): how many messages the
// producers will send, and how many partition replicas the cluster will hold. Both are checked
// before a run allocates anything, so an absurd rate or duration is an error with a pointer,
// not a machine out of memory or a run that never ends.
#include <algorithm>
#include <cstdio>

#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

// rate x time over [from, to), in messages.
double messages_between(double rate_per_s, Instant from, Instant to) {
  return to > from ? rate_per_s * to_ms(to - from) / 1000.0 : 0.0;
}

// The messages one producer sends: its rate, then each rate change's, over the part of
// [start, stop) that lies before duration_ms (SPEC.md: producers send during [0, duration_ms)).
double expected_messages(const ProducerSpec& p, Instant end) {
  const Instant stop = std::min(p.stop.value_or(end), end);
  double total = 0;
  double rate = p.rate_per_s;
  Instant from = p.start;
  for (const RateChange& change : p.rate_changes) {
    total += messages_between(rate, from, std::min(std::max(change.at, p.start), stop));
    from = std::max(from, change.at);
    rate = change.rate_per_s;
  }
  return total + messages_between(rate, from, stop);
}

std::string count_text(double count) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", count);
  return text;
}

void check_messages(const Draft& draft, const LoadLimits& limits, Diagnostics& diagnostics) {
  if (!draft.duration_known) return;
  const Instant end = Instant::start() + draft.scenario.duration;
  double total = 0;
  for (const auto& p : draft.producers) {
    if (p.complete) total += expected_messages(p.value, end);
  }
  if (total <= limits.max_messages) return;
  diagnostics.error("/producers",
                    count_text(total) + " messages per run (rate_per_s x sending time, summed)",
                    "at most " + count_text(limits.max_messages) +
                        " (each costs memory and time; --max-messages N raises the limit)");
}

void check_replicas(const Draft& draft, Diagnostics& diagnostics) {
  std::int64_t replicas = 0;
  for (const auto& t : draft.topics) {
    replicas += std::int64_t{t.value.partitions} * t.value.replication_factor;
    if (replicas > LoadLimits::kMaxReplicas) {
      diagnostics.error(pointer_child(t.pointer, "partitions"),
                        std::to_string(replicas) + " partition replicas up to this topic",
                        "at most " + std::to_string(LoadLimits::kMaxReplicas) +
                            " over all topics (partitions x replication_factor)");
      return;
    }
  }
}

}  // namespace

void check_limits(const Draft& draft, const LoadLimits& limits, Diagnostics& diagnostics) {
  check_messages(draft, limits, diagnostics);
  check_replicas(draft, diagnostics);
}

}  // namespace kafkasim::scenario_detail
