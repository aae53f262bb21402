// `--set PTR=VALUE` (SPEC.md "Command line"): one scenario value replaced by JSON Pointer
// before validation, so an override is checked exactly like the file's own values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kafkasim/scenario/diagnostics.h"

namespace kafkasim {

struct Override {
  /// RFC 6901, e.g. "/cluster/broker_config/min.insync.replicas".
  std::string pointer;
  /// The value as JSON text. A VALUE that is not valid JSON was taken as a plain string and is
  /// stored here quoted, so this is always valid JSON.
  std::string value_json;
};

/// What a number beyond the range of a double (e.g. 1e400) is told it should have been, in a file,
/// a --set value or a sweep's --vary value.
inline constexpr std::string_view kNumberRangeExpected =
    "a number that a double can hold (magnitude at most about 1.8e308)";

/// The first number in the JSON text `value` that no double holds, as written ("1e400"); "" when
/// there is none, or when `value` is not JSON (then it is a plain string). --set refuses such a
/// value, and `kafkasim sweep` checks its --vary values with it before loading anything.
std::string number_beyond_double(std::string_view value);

/// Splits "PTR=VALUE" at the first '='. A missing '=' or a malformed pointer is reported
/// (pointer "" and the option text as found) and gives nullopt; so are bytes that are not UTF-8
/// and a VALUE with a number no double holds (at the pointer).
std::optional<Override> parse_override(std::string_view text, Diagnostics& diagnostics);

}  // namespace kafkasim
