// The trace of a run (issue 5 item 6, `--trace FILE`): what the run's nodes did, for a trace
// viewer (Perfetto, chrome://tracing). Requests are slices on the node that served (or sent)
// them; faults, elections, ISR changes and the rest of the timeline are instant events. Written
// as Chrome's Trace Event Format (JSON): "X" complete events, "i" instant events, "M" metadata.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafkasim/core/time.h"

namespace kafkasim {

struct RunResult;

/// The part of scenario time a trace keeps: events that overlap [from, to].
struct TraceWindow {
  Duration from{0};
  Duration to = Duration::max();
};

struct TraceEvent {
  std::int64_t start_ns = 0;      // scenario time
  std::int64_t duration_ns = -1;  // -1: an instant event
  std::uint32_t track = 0;        // index in Trace::tracks; kWholeRun: the run's own track
  std::string name;               // "Produce", "Fetch", "crash", "leader election"
  std::string category;           // "request", "client", "timeline"
  std::string args;               // a JSON object's text, "{...}"

  static constexpr std::uint32_t kWholeRun = ~std::uint32_t{0};
};

struct Trace {
  std::vector<std::string>
      tracks;  // node names, in the network's order: brokers, zookeeper, clients
  std::vector<TraceEvent> events;  // in the order they were recorded
};

/// The Chrome trace-event JSON of every run's trace: one process per run (in the order given,
/// named "acks=<mode> seed=<n>"), one thread per node in it. Requests on one node overlap (a
/// follower's fetch waits up to replica.fetch.wait.max.ms while produce requests come and go),
/// and the format forbids overlapping slices on one thread, so a node's slices are spread over
/// lanes: the thread named after the node, then "<node> #2", "#3", ... as needed, each slice in
/// the first lane free at its start.
std::string trace_json(const std::vector<RunResult>& runs);

}  // namespace kafkasim
