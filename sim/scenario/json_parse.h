// Private to the loader: JSON text to nlohmann::json, where every failure comes back as a value
// with the place it happened, never as an exception. nlohmann reports a syntax error with its
// byte, but a number beyond the range of a double (`0.1e1202`) as out_of_range 406 with no
// position at all, and that escaped as an "internal error" (issue 10, the fuzzer's finding).
// The scenario file and every --set (and so every sweep --vary) value are parsed here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "json_reader.h"

namespace kafkasim::scenario_detail {

/// Why a text is not a JSON document we accept, and where (a 0-based byte offset).
struct JsonParseError {
  enum class Kind {
    malformed,            // not JSON: `reason` says what the parser expected
    number_out_of_range,  // valid JSON grammar, but no double holds it: `text` is the number
  };
  Kind kind = Kind::malformed;
  /// malformed: the character the parser stopped at (may be text.size(): the end came early);
  /// number_out_of_range: the number's first character.
  std::size_t offset = 0;
  /// malformed: nlohmann's reason, e.g. "syntax error while parsing object key - unexpected
  /// '}'; expected string literal"; number_out_of_range: the number as written.
  std::string text;
};

/// The document, or the first thing wrong with it.
std::variant<Json, JsonParseError> parse_json_text(std::string_view text);

/// Reports `error` in `text` as a diagnostic at its line and column. Where a malformed text
/// fails at a comment or at a comma before '}' or ']', the hint says that JSON has neither.
void report_json_error(std::string_view text, const JsonParseError& error,
                       Diagnostics& diagnostics);

}  // namespace kafkasim::scenario_detail
