#include "json_parse.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "kafkasim/scenario/json_text_scanner.h"
#include "kafkasim/scenario/override.h"

namespace kafkasim::scenario_detail {

namespace {

// nlohmann's own DOM builder, told not to throw, with its error callback replaced by one that
// keeps the error and the parser's place. sax_parse calls the handler through its static type,
// so this parse_error is the one called.
class PlacedDomParser : public nlohmann::detail::json_sax_dom_parser<Json> {
 public:
  explicit PlacedDomParser(Json& document)
      : json_sax_dom_parser(document, /*allow_exceptions_=*/false) {}

  // `byte`: the count of characters read when it failed: for a syntax error, up to and with the
  // offending character; for a number out of range, up to the number's end. `token`: the text
  // of the last token (for 406, exactly the number).
  template <class Exception>
  bool parse_error(std::size_t byte, const std::string& token, const Exception& e) {
    if (!error) {
      if (e.id == 406) {
        error = JsonParseError{JsonParseError::Kind::number_out_of_range,
                               byte >= token.size() ? byte - token.size() : 0, token};
      } else {
        error = JsonParseError{JsonParseError::Kind::malformed, byte > 0 ? byte - 1 : 0,
                               reason_of(e.what())};
      }
    }
    return false;
  }

  std::optional<JsonParseError> error;

 private:
  // "[json.exception.parse_error.101] parse error at line 2, column 3: syntax error ..." ->
  // "syntax error ...": our own prefix already says where.
  static std::string reason_of(const std::string& what) {
    const std::size_t column = what.find("column ");
    const std::size_t colon = what.find(": ", column == std::string::npos ? 0 : column);
    return colon == std::string::npos ? what : what.substr(colon + 2);
  }
};

TextPosition position_of(std::string_view text, std::size_t offset) {
  TextPosition position;
  const std::size_t end = std::min(text.size(), offset);
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The length of the JSON number (RFC 8259 section 6) at the start of `text`, 0 if none:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
std::size_t json_number_length(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < text.size() && is_digit(text[i]))
      ++i;
    return i > from;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return 0;
  }
  if (i + 1 < text.size() && text[i] == '.' && is_digit(text[i + 1])) {
    ++i;
    digits();
  }
  if (i + 1 < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    const std::size_t mark = i;
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) i = mark;
  }
  return i;
}

// `text` with every number outside strings that no double holds replaced by a 0 padded with
// spaces to the same width, so that every other character keeps its line and column.
std::string with_huge_numbers_as_zero(std::string_view text) {
  std::string out(text);
  JsonTextScanner scanner;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool structural = scanner.feed(text[i]);
    if (!structural || !(text[i] == '-' || is_digit(text[i]))) {
      ++i;
      continue;
    }
    const std::size_t length = std::max<std::size_t>(1, json_number_length(text.substr(i)));
    if (std::isinf(std::strtod(std::string(text.substr(i, length)).c_str(), nullptr))) {
      out.replace(i, length, "0" + std::string(length - 1, ' '));
    }
    i += length;  // a number holds no quote or bracket: the scanner need not see the rest
  }
  return out;
}

std::variant<Json, JsonParseError> parse_once(std::string_view text) {
  Json root;
  PlacedDomParser handler(root);
  if (Json::sax_parse(text.begin(), text.end(), &handler)) return root;
  // sax_parse fails only through parse_error, which always records the error.
  assert(handler.error.has_value());
  return handler.error.value_or(JsonParseError{});
}

bool is_json_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The two habits JSON does not allow that people bring from JavaScript, YAML and config files:
// a comment (nlohmann stops at its first character: "invalid literal") and a comma after the
// last item (it stops at the closing bracket: "unexpected '}'"). RFC 8259 has neither.
std::string hint_for(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return {};
  const std::string_view rest = text.substr(offset);
  if (rest.starts_with("//") || rest.starts_with("/*") || rest.starts_with("#")) {
    return "JSON has no comments: delete this one (a scenario's notes go in \"description\")";
  }
  if (rest[0] == '}' || rest[0] == ']') {
    std::size_t before = offset;
    while (before > 0 && is_json_whitespace(text[before - 1]))
      --before;
    if (before > 0 && text[before - 1] == ',') {
      return "JSON allows no comma after the last item of an object or array: delete it";
    }
  }
  return {};
}

}  // namespace

std::variant<Json, JsonParseError> parse_json_text(std::string_view text) {
  auto parsed = parse_once(text);
  const auto* error = std::get_if<JsonParseError>(&parsed);
  if (error == nullptr || error->kind != JsonParseError::Kind::number_out_of_range) return parsed;
  // nlohmann stops at the first number it cannot hold, before it has seen whether the rest is
  // JSON at all. A text that is not JSON must be told so (and a --set value that is not JSON is
  // a plain string, SPEC.md, even if it starts "1e400 ..."): parse it again with such numbers
  // as zeros; only if that parses is the number the problem.
  auto again = parse_once(with_huge_numbers_as_zero(text));
  if (std::holds_alternative<JsonParseError>(again)) return again;
  return parsed;
}

void report_json_error(std::string_view text, const JsonParseError& error,
                       Diagnostics& diagnostics) {
  const TextPosition position = position_of(text, error.offset);
  if (error.kind == JsonParseError::Kind::number_out_of_range) {
    diagnostics.add({Severity::error,
                     {},
                     shortened(error.text),
                     std::string(kNumberRangeExpected),
                     {},
                     {},
                     position});
    return;
  }
  diagnostics.malformed(position, error.text, hint_for(text, error.offset));
}

}  // namespace kafkasim::scenario_detail
