#include "kafkasim/scenario/override.h"

#include <nlohmann/json.hpp>

#include "kafkasim/scenario/json_pointer.h"

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
  const std::string value(text.substr(eq + 1));
  // SPEC.md: VALUE is parsed as JSON, and taken as a plain string if that fails.
  const nlohmann::json parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Override{pointer, nlohmann::json(value).dump()};
  return Override{pointer, parsed.dump()};
}

}  // namespace kafkasim
