#include "sweep_grid.h"

#include <charconv>
#include <limits>

#include "kafkasim/scenario/json_text_scanner.h"
#include "kafkasim/scenario/override.h"

namespace kafkasim::cli {

namespace {

/// Splits at the commas outside JSON brackets, braces and strings: "[1,2],[3]" is two values.
std::vector<std::string> split_values(const std::string& text) {
  std::vector<std::string> values;
  std::string current;
  JsonTextScanner scanner;
  for (const char c : text) {
    if (scanner.feed(c) && c == ',' && scanner.depth() == 0) {
      values.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  values.push_back(current);
  return values;
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Variation> parse_variation(const std::string& text, std::string& error) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || text[0] != '/') {
    error = "--vary " + text + ": expected PTR=v1,v2,... with a JSON Pointer starting with '/'";
    return std::nullopt;
  }
  Variation variation{text.substr(0, eq), split_values(text.substr(eq + 1))};
  for (const std::string& value : variation.values) {
    if (value.empty()) {
      error = "--vary " + text + ": an empty value (values are separated by single commas)";
      return std::nullopt;
    }
    // Each value becomes a --set, which would refuse it too, but in --set's words.
    if (const std::string number = number_beyond_double(value); !number.empty()) {
      error = "--vary " + variation.pointer + ": found " + number + ", expected " +
              std::string(kNumberRangeExpected);
      return std::nullopt;
    }
  }
  return variation;
}

std::optional<Shard> parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const auto index = parse_count(std::string_view(text).substr(0, slash));
  const auto count = parse_count(std::string_view(text).substr(slash + 1));
  if (!index || !count || *index < 1 || *index > *count) return std::nullopt;
  return Shard{*index, *count};
}

SweepGrid::SweepGrid(std::vector<Variation> variations) : variations_(std::move(variations)) {
  // Saturating: a grid too large to run is refused by its size, not wrapped around.
  for (const Variation& v : variations_) {
    const std::uint64_t n = v.values.size();
    size_ = size_ > std::numeric_limits<std::uint64_t>::max() / n
                ? std::numeric_limits<std::uint64_t>::max()
                : size_ * n;
  }
}

std::vector<std::size_t> SweepGrid::value_indexes(std::uint64_t number) const {
  std::vector<std::size_t> indexes(variations_.size());
  for (std::size_t i = variations_.size(); i-- > 0;) {
    const std::uint64_t n = variations_[i].values.size();
    indexes[i] = static_cast<std::size_t>(number % n);
    number /= n;
  }
  return indexes;
}

std::vector<std::string> SweepGrid::overrides(std::uint64_t number) const {
  const std::vector<std::size_t> indexes = value_indexes(number);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < variations_.size(); ++i)
    out.push_back(variations_[i].pointer + "=" + variations_[i].values[indexes[i]]);
  return out;
}

std::vector<std::string> SweepGrid::values(std::uint64_t number) const {
  const std::vector<std::size_t> indexes = value_indexes(number);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < variations_.size(); ++i)
    out.push_back(variations_[i].values[indexes[i]]);
  return out;
}

std::vector<std::uint64_t> SweepGrid::points_of(Shard shard) const {
  std::vector<std::uint64_t> points;
  for (std::uint64_t p = shard.index - 1; p < size_; p += shard.count)
    points.push_back(p);
  return points;
}

}  // namespace kafkasim::cli
