// The grid of `kafkasim sweep`: every combination of the --vary values, and the shard of it one
// invocation runs (--shard K/N), so that a grid can be spread over machines.
//
// Points are numbered from 0 in the order of nested loops over the --vary options as given: the
// first --vary is the outermost loop, the last varies fastest. Shard K of N (K from 1 to N) runs
// the points whose number is K-1 modulo N; the N shards partition the grid.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kafkasim::cli {

/// One --vary PTR=v1,v2,...: a JSON Pointer and the values it takes, as written.
struct Variation {
  std::string pointer;
  std::vector<std::string> values;
};

/// Splits "PTR=v1,v2,..." at the first '=', then the values at the commas that are outside JSON
/// brackets, braces and strings, so a value may be a JSON object or array
/// (`/network/latency_ms={"dist":"uniform","min":1,"max":2},3`). Nullopt and `error` set when
/// '=' is missing, the pointer does not start with '/', a value is empty, or a value holds a
/// number no double holds (1e400).
std::optional<Variation> parse_variation(const std::string& text, std::string& error);

/// "K/N" with 1 <= K <= N. Nullopt when malformed.
struct Shard {
  std::uint64_t index = 1;  // K, from 1
  std::uint64_t count = 1;  // N
};
std::optional<Shard> parse_shard(const std::string& text);

/// The grid: point `number`'s value index for each variation (the last varies fastest).
class SweepGrid {
 public:
  explicit SweepGrid(std::vector<Variation> variations);

  /// The number of points: the product of the value counts (1 with no variation).
  std::uint64_t size() const { return size_; }
  const std::vector<Variation>& variations() const { return variations_; }
  /// Point `number`'s override per variation, "PTR=VALUE", in --vary order.
  std::vector<std::string> overrides(std::uint64_t number) const;
  /// Point `number`'s value per variation, as written.
  std::vector<std::string> values(std::uint64_t number) const;
  /// The points of `shard`, ascending.
  std::vector<std::uint64_t> points_of(Shard shard) const;

 private:
  std::vector<std::size_t> value_indexes(std::uint64_t number) const;

  std::vector<Variation> variations_;
  std::uint64_t size_ = 1;
};

}  // namespace kafkasim::cli
