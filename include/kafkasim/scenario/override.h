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

/// Splits "PTR=VALUE" at the first '='. A missing '=' or a malformed pointer is reported
/// (pointer "" and the option text as found) and gives nullopt.
std::optional<Override> parse_override(std::string_view text, Diagnostics& diagnostics);

}  // namespace kafkasim
