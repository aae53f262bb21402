#include "json_nesting.h"

namespace kafkasim::scenario_detail {

std::optional<TextPosition> nesting_deeper_than(std::string_view text, int max_depth) {
  TextPosition position;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      // Inside a string only an unescaped '"' matters; brackets there are text.
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return position;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
    if (c == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return std::nullopt;
}

}  // namespace kafkasim::scenario_detail
