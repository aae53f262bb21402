// Virtual time. The model never reads a wall clock: every instant is a count of nanoseconds
// since the scenario started, held in a 64-bit integer so that arithmetic is exact and the
// same on every machine (STYLE.md 2; OMNeT++ SimTime, TigerBeetle testing/time.zig).
#pragma once

#include <chrono>
#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>

#include "kafkasim/core/rounding.h"

namespace kafkasim {

/// A span of virtual time, in nanoseconds.
using Duration = std::chrono::duration<std::int64_t, std::nano>;

/// A point in virtual time: nanoseconds since the start of the run.
class Instant {
 public:
  constexpr Instant() = default;
  static constexpr Instant from_ns(std::int64_t ns) { return Instant(Duration(ns)); }
  static constexpr Instant start() { return Instant(); }
  static constexpr Instant never() {
    return Instant(Duration(std::numeric_limits<std::int64_t>::max()));
  }

  constexpr Duration since_start() const { return since_start_; }
  constexpr std::int64_t ns() const { return since_start_.count(); }

  constexpr Instant operator+(Duration d) const { return Instant(since_start_ + d); }
  constexpr Instant operator-(Duration d) const { return Instant(since_start_ - d); }
  constexpr Duration operator-(Instant other) const { return since_start_ - other.since_start_; }
  constexpr Instant& operator+=(Duration d) {
    since_start_ += d;
    return *this;
  }
  // std::strong_ordering, not auto: it is then synthesised from Duration's < and ==, which
  // Emscripten's libc++ (web/) has without chrono's operator<=>.
  constexpr std::strong_ordering operator<=>(const Instant&) const = default;

 private:
  constexpr explicit Instant(Duration d) : since_start_(d) {}
  Duration since_start_{0};
};

/// Milliseconds as written in a scenario (fractions allowed) to a Duration, rounded to the
/// nearest nanosecond. Rounding, not truncation, so that 0.1 ms is exactly 100000 ns.
inline Duration duration_from_ms(double ms) {
  return Duration(static_cast<std::int64_t>(round_to_int64(ms * 1e6)));
}

inline Instant instant_from_ms(double ms) {
  return Instant::start() + duration_from_ms(ms);
}

/// For reports only: a Duration as fractional milliseconds.
constexpr double to_ms(Duration d) {
  return static_cast<double>(d.count()) / 1e6;
}
constexpr double to_ms(Instant t) {
  return to_ms(t.since_start());
}

}  // namespace kafkasim
