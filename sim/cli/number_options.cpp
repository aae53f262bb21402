#include "number_options.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <system_error>
#include <type_traits>

namespace kafkasim::cli {

namespace {

template <std::integral T>
std::string range_text(T min, T max) {
  if (max == std::numeric_limits<T>::max()) return "an integer >= " + std::to_string(min);
  return "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
}

// The help's short form, CLI11's own words for the same ranges (CLI::Range, PositiveNumber).
template <std::integral T>
std::string help_text(T min, T max) {
  if (max != std::numeric_limits<T>::max()) {
    return std::string(std::is_unsigned_v<T> ? "UINT" : "INT") + " in [" + std::to_string(min) +
           " - " + std::to_string(max) + "]";
  }
  if (min == 0) return "NONNEGATIVE";
  if (min == 1) return "POSITIVE";
  return "INT >= " + std::to_string(min);
}

}  // namespace

template <std::integral T>
CLI::Validator integer_in(T min, T max) {
  const std::string expected = range_text(min, max);
  return CLI::Validator(
      [min, max, expected](std::string& text) -> std::string {
        T value{};
        // from_chars reads decimal only, with no '+', no spaces and no base prefix; for an
        // unsigned T it refuses a '-', and for any T a value out of its range.
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
            value < min || value > max) {
          return "found " + text + ", expected " + expected;
        }
        text = std::to_string(value);
        return {};
      },
      help_text(min, max));
}

template CLI::Validator integer_in<std::int64_t>(std::int64_t, std::int64_t);
template CLI::Validator integer_in<std::uint64_t>(std::uint64_t, std::uint64_t);
template CLI::Validator integer_in<unsigned>(unsigned, unsigned);

CLI::Validator positive_finite_number() {
  constexpr const char* kExpected = "a finite number > 0";
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
            !std::isfinite(value) || !(value > 0)) {
          return "found " + text + ", expected " + std::string(kExpected);
        }
        return {};
      },
      "POSITIVE");
}

}  // namespace kafkasim::cli
