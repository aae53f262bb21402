#include "kafkasim/scenario/override.h"

#include <nlohmann/json.hpp>

#include "json_nesting.h"
#include "json_parse.h"
#include "kafkasim/scenario/json_pointer.h"
#include "kafkasim/scenario/load_limits.h"

namespace kafkasim {

namespace {

// nlohmann writes only UTF-8 (anything else is its type_error 316), and every byte of an override
// ends up in the document, as a key or a value, that diagnostics print.
bool is_utf8(std::string_view text) {
  try {
    (void)nlohmann::json(std::string(text)).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

}  // namespace

std::string number_beyond_double(std::string_view value) {
  const auto parsed = scenario_detail::parse_json_text(value);
  const auto* error = std::get_if<scenario_detail::JsonParseError>(&parsed);
  if (error == nullptr || error->kind != scenario_detail::JsonParseError::Kind::number_out_of_range)
    return "";
  return error->text;
}

std::optional<Override> parse_override(std::string_view text, Diagnostics& diagnostics) {
  if (!is_utf8(text)) {
    diagnostics.error("", "--set with bytes that are not UTF-8", "--set PTR=VALUE in UTF-8");
    return std::nullopt;
  }
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    diagnostics.error("", "--set " + std::string(text), "--set PTR=VALUE, e.g. --set /seed=7");
    return std::nullopt;
  }
  const std::string pointer(text.substr(0, eq));
  if (pointer.empty() || !split_pointer(pointer)) {
    diagnostics.error(
        "", "--set " + std::string(text),
        "a JSON Pointer starting with '/' before '=' (RFC 6901: '~' only as ~0 or ~1)");
    return std::nullopt;
  }
  // load_limits.h: the pointer's missing objects are created, and the value is parsed, so both
  // are bounded as a file's nesting is.
  const auto tokens = split_pointer(pointer);
  if (tokens->size() > static_cast<std::size_t>(LoadLimits::kMaxDepth)) {
    diagnostics.error("", "--set with a pointer of " + std::to_string(tokens->size()) + " tokens",
                      "at most " + std::to_string(LoadLimits::kMaxDepth));
    return std::nullopt;
  }
  const std::string value(text.substr(eq + 1));
  if (value.size() > LoadLimits::kMaxTextBytes ||
      scenario_detail::nesting_deeper_than(value, LoadLimits::kMaxDepth)) {
    diagnostics.error("", "--set " + pointer + "=<" + std::to_string(value.size()) + " bytes>",
                      "a value at most " + std::to_string(LoadLimits::kMaxTextBytes) +
                          " bytes long, nested at most " + std::to_string(LoadLimits::kMaxDepth) +
                          " levels deep");
    return std::nullopt;
  }
  // SPEC.md: VALUE is parsed as JSON, and taken as a plain string if that fails. A number no
  // double holds is JSON, though (RFC 8259 leaves the range to the reader): it is refused as a
  // file's would be, rather than passed on as a string that is then "not a number".
  auto parsed = scenario_detail::parse_json_text(value);
  if (const auto* json = std::get_if<nlohmann::json>(&parsed))
    return Override{pointer, json->dump()};
  const auto& error = std::get<scenario_detail::JsonParseError>(parsed);
  if (error.kind == scenario_detail::JsonParseError::Kind::number_out_of_range) {
    diagnostics.note(Severity::error, pointer,
                     "--set: found " + scenario_detail::shortened(error.text) + ", expected " +
                         std::string(kNumberRangeExpected));
    return std::nullopt;
  }
  return Override{pointer, nlohmann::json(value).dump()};
}

}  // namespace kafkasim
