// Rounding a double to the nearest integer, halves away from zero: std::llround's answer
// without its libm call, which the hot paths (every arrival, every link traversal) paid for.
#pragma once

#include <cmath>
#include <cstdint>

namespace kafkasim {

/// Equals std::llround(x) for every double (tests/core/test_rounding.cpp checks it).
inline std::int64_t round_to_int64(double x) {
  // Beyond 2^62 (and for NaN) the cast below would be undefined: leave those to libm.
  if (!(std::fabs(x) < 0x1p62)) return std::llround(x);
  // The cast truncates toward zero; x - t is exact (t has no more significant bits than x).
  auto t = static_cast<std::int64_t>(x);
  const double fraction = x - static_cast<double>(t);
  if (fraction >= 0.5) {
    ++t;
  } else if (fraction <= -0.5) {
    --t;
  }
  return t;
}

}  // namespace kafkasim
