// Problems found in a scenario, collected rather than thrown, so that a user sees every one of
// them in a single run (SPEC.md "Exit status": every problem, with file, JSON Pointer, what was
// found and what was expected).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kafkasim {

enum class Severity { error, warning };

/// Where a malformed JSON text went wrong, 1-based.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};

struct Diagnostic {
  Severity severity = Severity::error;
  /// RFC 6901 pointer of the value concerned ("" = the whole document).
  std::string pointer;
  /// The JSON value found there, shortened ("nothing" when the key is missing).
  std::string found;
  /// What would have been valid there.
  std::string expected;
  /// When set, replaces "found X, expected Y" (unknown keys, malformed JSON, free-form notes).
  std::string message;
  /// A suggestion, printed after "; " (e.g. `did you mean "broker_config"?`).
  std::string hint;
  /// Set only for malformed JSON, where there is no pointer yet.
  std::optional<TextPosition> position;
};

class Diagnostics {
 public:
  /// A value of the wrong type or out of range, or a missing required key.
  void error(std::string pointer, std::string found, std::string expected, std::string hint = {});
  void warning(std::string pointer, std::string found, std::string expected, std::string hint = {});
  /// A problem best told in a sentence (e.g. a name collision between two nodes).
  void note(Severity severity, std::string pointer, std::string message, std::string hint = {});
  /// An object key the loader does not know; `nearest` is the closest valid key, if any.
  void unknown_key(std::string pointer, std::string_view key, std::string_view nearest);
  /// Text that is not JSON; `hint` says what may have been meant (e.g. that JSON has no comments).
  void malformed(TextPosition position, std::string what, std::string hint = {});
  void add(Diagnostic diagnostic);
  void append(const Diagnostics& other);

  bool has_errors() const;
  std::size_t error_count() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Diagnostic> items_;
};

/// One line, without a trailing newline:
///   `<file>: <pointer>: found <found>, expected <expected>[; <hint>]`
///   `<file>: <pointer>: unknown key "broker_confg"; did you mean "broker_config"?`
///   `<file>:<line>:<column>: malformed JSON: <what>`
/// Warnings read `<file>: <pointer>: warning: ...`.
std::string format(const Diagnostic& diagnostic, std::string_view file);

/// Every diagnostic, one per line, each ending in a newline, in the order they were found.
std::string format_all(const Diagnostics& diagnostics, std::string_view file);

}  // namespace kafkasim
