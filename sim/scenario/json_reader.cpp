#include "json_reader.h"

#include <cmath>
#include <limits>

#include "kafkasim/scenario/json_pointer.h"
#include "kafkasim/scenario/nearest_name.h"

namespace kafkasim::scenario_detail {

std::string shortened(std::string text) {
  constexpr std::size_t kMaxChars = 40;
  if (text.size() > kMaxChars) text = text.substr(0, kMaxChars - 3) + "...";
  return text;
}

std::string describe(const Json& value) {
  return shortened(value.dump());
}

std::string ms_text(Instant t) {
  std::string text = std::to_string(to_ms(t));
  text.erase(text.find_last_not_of('0') + 1);  // 10000.000000 -> 10000.
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

std::string integer_range_text(std::int64_t min, std::int64_t max) {
  if (max == std::numeric_limits<std::int64_t>::max()) {
    return "an integer >= " + std::to_string(min);
  }
  return "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
}

std::optional<std::int64_t> read_integer(const Json& value, const std::string& pointer,
                                         Diagnostics& diagnostics, std::int64_t min,
                                         std::int64_t max) {
  const std::string expected = integer_range_text(min, max);
  // nlohmann reads non-negative literals as unsigned; 9223372036854775807 (Kafka's
  // Long.MaxValue) fits in int64, anything above it does not.
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
        static_cast<std::int64_t>(u) > max || static_cast<std::int64_t>(u) < min) {
      diagnostics.error(pointer, describe(value), expected);
      return std::nullopt;
    }
    return static_cast<std::int64_t>(u);
  }
  if (value.is_number_integer()) {
    const auto i = value.get<std::int64_t>();
    if (i < min || i > max) {
      diagnostics.error(pointer, describe(value), expected);
      return std::nullopt;
    }
    return i;
  }
  diagnostics.error(pointer, describe(value), expected);
  return std::nullopt;
}

std::optional<double> read_number(const Json& value, const std::string& pointer,
                                  Diagnostics& diagnostics, Sign sign) {
  const char* expected = sign == Sign::positive       ? "a number > 0"
                         : sign == Sign::non_negative ? "a number >= 0"
                                                      : "a number";
  if (!value.is_number()) {
    diagnostics.error(pointer, describe(value), expected);
    return std::nullopt;
  }
  const double x = value.get<double>();
  const bool bad = !std::isfinite(x) || (sign == Sign::positive && !(x > 0)) ||
                   (sign == Sign::non_negative && !(x >= 0));
  if (bad) {
    diagnostics.error(pointer, describe(value), expected);
    return std::nullopt;
  }
  return x;
}

std::optional<std::string> read_string(const Json& value, const std::string& pointer,
                                       Diagnostics& diagnostics) {
  if (!value.is_string()) {
    diagnostics.error(pointer, describe(value), "a string");
    return std::nullopt;
  }
  return value.get<std::string>();
}

std::optional<bool> read_bool(const Json& value, const std::string& pointer,
                              Diagnostics& diagnostics) {
  if (!value.is_boolean()) {
    diagnostics.error(pointer, describe(value), "true or false");
    return std::nullopt;
  }
  return value.get<bool>();
}

std::string expected_choice(const std::vector<std::string_view>& choices) {
  std::string text = "one of ";
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) text += ", ";
    text += "\"" + std::string(choices[i]) + "\"";
  }
  return text;
}

std::optional<std::string> read_choice(const Json& value, const std::string& pointer,
                                       Diagnostics& diagnostics,
                                       const std::vector<std::string_view>& choices) {
  if (value.is_string()) {
    const auto text = value.get<std::string>();
    for (const std::string_view choice : choices) {
      if (text == choice) return text;
    }
    const std::string_view nearest = nearest_name(text, choices);
    diagnostics.error(pointer, describe(value), expected_choice(choices),
                      nearest.empty() ? "" : "did you mean \"" + std::string(nearest) + "\"?");
    return std::nullopt;
  }
  diagnostics.error(pointer, describe(value), expected_choice(choices));
  return std::nullopt;
}

ObjectReader::ObjectReader(const Json& value, std::string pointer, Diagnostics& diagnostics,
                           std::vector<std::string_view> keys)
    : pointer_(std::move(pointer)), diagnostics_(diagnostics) {
  if (!value.is_object()) {
    diagnostics_.error(pointer_, describe(value), "an object");
    return;
  }
  object_ = &value;
  // nlohmann's object is a std::map: keys come out sorted, so the report order is stable.
  for (const auto& [key, unused] : value.items()) {
    bool known = false;
    for (const std::string_view k : keys)
      known = known || k == key;
    if (!known) diagnostics_.unknown_key(pointer_of(key), key, nearest_name(key, keys));
  }
}

std::string ObjectReader::pointer_of(std::string_view key) const {
  return pointer_child(pointer_, key);
}

const Json* ObjectReader::find(std::string_view key, Need need, std::string_view expected) const {
  if (object_ == nullptr) return nullptr;
  const auto it = object_->find(std::string(key));
  if (it != object_->end()) return &*it;
  if (need == Need::required) {
    diagnostics_.error(pointer_of(key), "nothing", std::string(expected) + " (required)");
  }
  return nullptr;
}

std::optional<std::string> ObjectReader::string(std::string_view key, Need need) const {
  const Json* v = find(key, need, "a string");
  return v ? read_string(*v, pointer_of(key), diagnostics_) : std::nullopt;
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view key, std::int64_t min,
                                                  std::int64_t max, Need need) const {
  const Json* v = find(key, need, integer_range_text(min, max));
  return v ? read_integer(*v, pointer_of(key), diagnostics_, min, max) : std::nullopt;
}

std::optional<double> ObjectReader::number(std::string_view key, Sign sign, Need need) const {
  const Json* v = find(key, need, sign == Sign::positive ? "a number > 0" : "a number");
  return v ? read_number(*v, pointer_of(key), diagnostics_, sign) : std::nullopt;
}

std::optional<bool> ObjectReader::boolean(std::string_view key) const {
  const Json* v = find(key);
  return v ? read_bool(*v, pointer_of(key), diagnostics_) : std::nullopt;
}

std::optional<Dist> ObjectReader::dist(std::string_view key) const {
  const Json* v = find(key);
  return v ? read_dist(*v, pointer_of(key), diagnostics_) : std::nullopt;
}

std::optional<std::string> ObjectReader::choice(
    std::string_view key, const std::vector<std::string_view>& choices) const {
  const Json* v = find(key);
  return v ? read_choice(*v, pointer_of(key), diagnostics_, choices) : std::nullopt;
}

std::optional<Duration> ObjectReader::duration_ms(std::string_view key, Sign sign,
                                                  Need need) const {
  const auto ms = number(key, sign, need);
  if (!ms) return std::nullopt;
  if (*ms > kMaxMs) {
    diagnostics_.error(pointer_of(key), describe(*find(key)), "at most 1e12 ms");
    return std::nullopt;
  }
  return duration_from_ms(*ms);
}

std::optional<Instant> ObjectReader::instant_ms(std::string_view key, Need need) const {
  const auto d = duration_ms(key, Sign::non_negative, need);
  return d ? std::optional<Instant>(Instant::start() + *d) : std::nullopt;
}

}  // namespace kafkasim::scenario_detail
