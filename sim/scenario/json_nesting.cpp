#include "json_nesting.h"

#include "kafkasim/scenario/json_text_scanner.h"

namespace kafkasim::scenario_detail {

std::optional<TextPosition> nesting_deeper_than(std::string_view text, int max_depth) {
  TextPosition position;
  JsonTextScanner scanner;
  for (const char c : text) {
    if (scanner.feed(c) && scanner.depth() > max_depth) return position;
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
