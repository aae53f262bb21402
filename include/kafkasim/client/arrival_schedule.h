// When a producer calls send() (SPEC.md "producers[]": rate_per_s, arrivals, start_ms, stop_ms,
// rate_changes; duration_ms). The rate is a step function of time, r(t): rate_per_s from
// start_ms, then each rate change from its at_ms. Arrivals are placed by a time change: the n-th
// send is where the integral of r since start_ms reaches the sum of n gaps, each gap 1 for
// "constant" arrivals (so they are exactly 1/rate apart while the rate holds, the first at
// start_ms) and an Exp(1) draw for "poisson" ones (a Poisson process of intensity r(t)). A rate
// change thus takes effect at its instant, with no burst and no gap. Nothing is sent at or after
// stop_ms or duration_ms.
//
// Positions are kept as fractional nanoseconds and rounded to the nearest nanosecond per send,
// so constant arrivals do not drift however long the run.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/random/rng.h"
#include "kafkasim/scenario/producer.h"

namespace kafkasim {

class ArrivalSchedule {
 public:
  /// `end` is the run's duration_ms; `rng` the producer's ".../arrivals" stream.
  ArrivalSchedule(const ProducerSpec& spec, Instant end, Rng rng);

  /// The time of the next send(), or nullopt when the producer has stopped for good.
  std::optional<Instant> next();

 private:
  struct Segment {
    double from_ns;
    double rate_per_ns;
  };
  double gap();

  Arrivals arrivals_;
  Rng rng_;
  std::vector<Segment> segments_;  // by start time; the last lasts until `stop_ns_`
  std::size_t segment_ = 0;
  double position_ns_;
  double stop_ns_;
  bool first_ = true;
};

}  // namespace kafkasim
