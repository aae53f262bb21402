// The classic hold model (Vaucher and Duval, 1975), the standard benchmark of pending-event
// sets: P events pending; each processed event schedules one more at now + Exp(1), so the
// set's size stays P while N events are processed.
#pragma once

#include <cstdint>
#include <string>

namespace kafkasim {

enum class HoldTarget {
  engine,          // the full Engine: timer table, dispatch to an Actor (what a run uses)
  event_queue,     // kafkasim's EventQueue alone (a radix heap with a sorted bottom)
  radix_heap,      // peer: the engine's queue before issue 15 (bench/peers/radix_heap.h)
  calendar_queue,  // peer: Brown's calendar queue on integer ticks (bench/peers/)
  priority_queue,  // peer: std::priority_queue of the same 24-byte records (bench/peers/)
};

struct HoldResult {
  std::uint64_t events = 0;
  double wall_seconds = 0;
  /// The CPU time of the same stretch (this thread's): on a shared, busy machine the wall time
  /// also counts the time other processes had the core, and the CPU time does not.
  double cpu_seconds = 0;
  /// A checksum of the simulated clock at the end, so that the work cannot be optimised away
  /// and two targets can be seen to process the same events.
  std::int64_t final_time_ns = 0;
};

HoldResult run_hold(HoldTarget target, std::uint64_t events, std::uint64_t pending,
                    std::uint64_t seed);

}  // namespace kafkasim
