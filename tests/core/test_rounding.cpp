#include "kafkasim/core/rounding.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "kafkasim/random/rng.h"

using kafkasim::round_to_int64;

TEST_CASE("round_to_int64 agrees with std::llround at the edges") {
  const double edges[] = {0.0,
                          -0.0,
                          0.5,
                          -0.5,
                          1.5,
                          2.5,
                          -2.5,
                          0.49999999999999994,
                          -0.49999999999999994,
                          4503599627370495.5,  // 2^52 - 0.5
                          4503599627370497.0,
                          9007199254740993.0,
                          1e18,
                          -1e18,
                          0x1p62,
                          -0x1p62,
                          std::nextafter(0x1p62, 0.0),
                          123456.4999999,
                          123456.5000001,
                          std::numeric_limits<double>::denorm_min()};
  for (const double x : edges) {
    CAPTURE(x);
    CHECK(round_to_int64(x) == std::llround(x));
  }
}

TEST_CASE("round_to_int64 agrees with std::llround on random doubles of every magnitude") {
  kafkasim::SplitMix64 bits(7);
  for (int i = 0; i < 1'000'000; ++i) {
    // A random 53-bit mantissa at a random scale from 2^-10 to 2^63, either sign.
    const std::uint64_t r = bits.next();
    const double mantissa = static_cast<double>(r >> 11) * 0x1.0p-53;
    const int exponent = static_cast<int>(bits.next() % 74) - 10;
    const double x = std::ldexp((r & 1) != 0 ? -mantissa : mantissa, exponent);
    CAPTURE(x);
    REQUIRE(round_to_int64(x) == std::llround(x));
    // And values with a fractional part near a half, where naive x + 0.5 goes wrong.
    const double near_half = std::floor(x) + 0.5 + (static_cast<double>(i % 3) - 1.0) * 1e-9;
    if (std::fabs(near_half) < 0x1p63)
      REQUIRE(round_to_int64(near_half) == std::llround(near_half));
  }
}
