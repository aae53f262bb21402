// Private to the loader: the depth check that runs on the raw text before nlohmann::json parses
// it (load_limits.h, kMaxDepth). nlohmann's parser has no depth limit, and the values it builds
// are printed (diagnostics) and copied recursively, so a document of a million '[' would
// exhaust the stack; this scan refuses it first, in O(n) and without allocating.
#pragma once

#include <optional>
#include <string_view>

#include "kafkasim/scenario/diagnostics.h"

namespace kafkasim::scenario_detail {

/// Where the first '[' or '{' outside a string opens nesting level `max_depth + 1`, or nullopt
/// when the text never goes that deep. Malformed text is scanned as far as it goes; the parser
/// reports what is wrong with it.
std::optional<TextPosition> nesting_deeper_than(std::string_view text, int max_depth);

}  // namespace kafkasim::scenario_detail
