// Reading raw JSON text one character at a time, before (or without) parsing it: whether a
// character is structure or part of a string, and how deep the brackets nest. The loader's depth
// limit (json_nesting) and `kafkasim sweep --vary`'s value list (split at top-level commas, so a
// value may be an array or object) both need exactly this.
#pragma once

namespace kafkasim {

class JsonTextScanner {
 public:
  /// Takes the next character; true when it is structural (outside every string: a bracket,
  /// comma, colon or the opening quote of a string). Inside a string only an unescaped '"'
  /// matters, and it ends the string (that closing quote counts as part of the string).
  bool feed(char c) {
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      return false;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '[' || c == '{') {
      ++depth_;
    } else if ((c == ']' || c == '}') && depth_ > 0) {
      --depth_;  // a stray closer in malformed text is left for the parser to report
    }
    return true;
  }

  /// How many arrays and objects are open after the characters fed so far.
  int depth() const { return depth_; }

 private:
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
};

}  // namespace kafkasim
