// RFC 6901 JSON Pointers, as the diagnostics and --set overrides write them. Only the text
// form lives here; nlohmann::json stays inside the loader.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kafkasim {

/// One reference token escaped for a pointer: "~" becomes "~0" and "/" becomes "~1".
std::string escape_pointer_token(std::string_view token);

/// `parent` + "/" + the escaped token.
std::string pointer_child(std::string_view parent, std::string_view token);
std::string pointer_child(std::string_view parent, std::size_t index);

/// The unescaped tokens of a pointer; nullopt if it does not start with "/" (and is not ""),
/// or holds a "~" not followed by 0 or 1.
std::optional<std::vector<std::string>> split_pointer(std::string_view pointer);

}  // namespace kafkasim
