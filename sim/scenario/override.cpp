#include "kafkasim/scenario/override.h"

#include <nlohmann/json.hpp>

#include "json_nesting.h"
#include "kafkasim/scenario/json_pointer.h"
#include "kafkasim/scenario/load_limits.h"

namespace kafkasim {

std::optional<Override> parse_override(std::string_view text, Diagnostics& diagnostics) {
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
  // SPEC.md: VALUE is parsed as JSON, and taken as a plain string if that fails.
  const nlohmann::json parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Override{pointer, nlohmann::json(value).dump()};
  return Override{pointer, parsed.dump()};
}

}  // namespace kafkasim
