// Private to the loader: typed reads of nlohmann::json values that report, instead of throw,
// and carry the JSON Pointer of every value so each diagnostic says where it is.
// nlohmann's types stop here: the structs of include/kafkasim/scenario never see them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kafkasim/core/time.h"
#include "kafkasim/random/distribution.h"
#include "kafkasim/scenario/diagnostics.h"

namespace kafkasim::scenario_detail {

using Json = nlohmann::json;

/// The value as compact JSON, shortened to about 40 characters, for "found ...".
std::string describe(const Json& value);
/// `text` cut to about 40 characters ("..." at the end when cut), for "found ...".
std::string shortened(std::string text);

/// The largest time a scenario may give, in milliseconds (31 years): a Duration counts
/// nanoseconds in 64 bits (about 292 years), so sums of a few such times cannot overflow.
inline constexpr double kMaxMs = 1e12;

/// Which numbers a key accepts.
enum class Sign { any, non_negative, positive };

enum class Need { optional, required };

std::optional<std::int64_t> read_integer(const Json& value, const std::string& pointer,
                                         Diagnostics& diagnostics, std::int64_t min,
                                         std::int64_t max);
std::optional<double> read_number(const Json& value, const std::string& pointer,
                                  Diagnostics& diagnostics, Sign sign);
std::optional<std::string> read_string(const Json& value, const std::string& pointer,
                                       Diagnostics& diagnostics);
std::optional<bool> read_bool(const Json& value, const std::string& pointer,
                              Diagnostics& diagnostics);
/// A DIST (SPEC.md): a number or {"dist": ...}. Every DIST of a scenario is a time, so values,
/// means and medians must be >= 0 (normal's mean too: the sampler rejects negative draws, and
/// a negative mean would make it spin).
std::optional<Dist> read_dist(const Json& value, const std::string& pointer,
                              Diagnostics& diagnostics);
/// One of `choices` (reported as `one of "a", "b"` when it is not).
std::optional<std::string> read_choice(const Json& value, const std::string& pointer,
                                       Diagnostics& diagnostics,
                                       const std::vector<std::string_view>& choices);

/// An instant as milliseconds, without trailing zeros: "10000", "0.5".
std::string ms_text(Instant t);

std::string expected_choice(const std::vector<std::string_view>& choices);
std::string integer_range_text(std::int64_t min, std::int64_t max);

/// Reads the keys of one JSON object. Constructing it reports a non-object and every key not
/// in `keys` (with the nearest valid key); reads of missing required keys report them too.
class ObjectReader {
 public:
  ObjectReader(const Json& value, std::string pointer, Diagnostics& diagnostics,
               std::vector<std::string_view> keys);

  bool is_object() const { return object_ != nullptr; }
  const std::string& pointer() const { return pointer_; }
  std::string pointer_of(std::string_view key) const;
  Diagnostics& diagnostics() const { return diagnostics_; }

  /// The value of `key`, or nullptr; with Need::required a missing key is reported as
  /// "found nothing, expected <expected>".
  const Json* find(std::string_view key, Need need = Need::optional,
                   std::string_view expected = {}) const;

  std::optional<std::string> string(std::string_view key, Need need = Need::optional) const;
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max,
                                      Need need = Need::optional) const;
  std::optional<double> number(std::string_view key, Sign sign, Need need = Need::optional) const;
  std::optional<bool> boolean(std::string_view key) const;
  std::optional<Dist> dist(std::string_view key) const;
  std::optional<std::string> choice(std::string_view key,
                                    const std::vector<std::string_view>& choices) const;
  /// Milliseconds (fractions allowed) as a Duration.
  std::optional<Duration> duration_ms(std::string_view key, Sign sign,
                                      Need need = Need::optional) const;
  /// Milliseconds since the start (>= 0) as an Instant.
  std::optional<Instant> instant_ms(std::string_view key, Need need = Need::optional) const;

 private:
  const Json* object_ = nullptr;
  std::string pointer_;
  Diagnostics& diagnostics_;
};

}  // namespace kafkasim::scenario_detail
