#include "kafkasim/client/arrival_schedule.h"

#include <algorithm>
#include <cmath>

#include "kafkasim/core/rounding.h"

namespace kafkasim {

ArrivalSchedule::ArrivalSchedule(const ProducerSpec& spec, Instant end, Rng rng)
    : arrivals_(spec.arrivals), rng_(rng) {
  const Instant stop = spec.stop ? std::min(*spec.stop, end) : end;
  stop_ns_ = static_cast<double>(stop.ns());
  position_ns_ = static_cast<double>(spec.start.ns());
  segments_.push_back(Segment{position_ns_, spec.rate_per_s / 1e9});
  for (const RateChange& change : spec.rate_changes) {
    const auto at_ns = static_cast<double>(change.at.ns());
    // A change before start_ms sets the rate the producer starts with.
    if (at_ns <= position_ns_) {
      segments_.back().rate_per_ns = change.rate_per_s / 1e9;
    } else {
      segments_.push_back(Segment{at_ns, change.rate_per_s / 1e9});
    }
  }
}

double ArrivalSchedule::gap() {
  if (arrivals_ == Arrivals::constant) return 1.0;
  return -std::log(1.0 - rng_.uniform01());  // Exp(1) by inversion; 1 - U is in (0, 1]
}

std::optional<Instant> ArrivalSchedule::next() {
  // Constant arrivals start with a send at start_ms; Poisson ones after a first gap.
  double remaining = (first_ && arrivals_ == Arrivals::constant) ? 0.0 : gap();
  first_ = false;
  while (position_ns_ < stop_ns_) {
    const Segment& segment = segments_[segment_];
    const double segment_end =
        segment_ + 1 < segments_.size() ? segments_[segment_ + 1].from_ns : stop_ns_;
    if (segment.rate_per_ns > 0) {
      const double at = position_ns_ + remaining / segment.rate_per_ns;
      if (at < segment_end) {
        position_ns_ = at;
        const auto rounded = round_to_int64(at);
        if (static_cast<double>(rounded) >= stop_ns_) break;
        return Instant::from_ns(rounded);
      }
      remaining -= (segment_end - position_ns_) * segment.rate_per_ns;
    }
    position_ns_ = segment_end;
    if (segment_ + 1 < segments_.size()) ++segment_;
  }
  position_ns_ = stop_ns_;
  return std::nullopt;
}

}  // namespace kafkasim
