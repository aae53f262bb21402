// Numbers on the command line, checked as text before CLI11 converts them. CLI11 2.1 reads an
// integer with strtoull/strtoll in base 0 and keeps what they return: `--seed -1` became
// 18446744073709551615, `--seed 99999999999999999999` saturated to the same, `--seed 010` was
// octal 8; and a floating option took `1e999` as infinity. With these, each is a clear error
// (exit 2, "--seed: found -1, expected an integer in [0, 18446744073709551615]").
#pragma once

#include <concepts>
#include <cstdint>

#include <CLI/CLI.hpp>

namespace kafkasim::cli {

/// A CLI11 transform for an integer option: the text must be a decimal integer (digits, with a
/// '-' only where `min` is negative) in [min, max]. It is rewritten without leading zeros, so
/// CLI11's own conversion reads the same number.
template <std::integral T>
CLI::Validator integer_in(T min, T max);

extern template CLI::Validator integer_in<std::int64_t>(std::int64_t, std::int64_t);
extern template CLI::Validator integer_in<std::uint64_t>(std::uint64_t, std::uint64_t);
extern template CLI::Validator integer_in<unsigned>(unsigned, unsigned);

/// A CLI11 check for a floating option: a finite number > 0 (not inf, nan, or 1e999).
CLI::Validator positive_finite_number();

}  // namespace kafkasim::cli
