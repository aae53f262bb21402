#include "kafkasim/scenario/diagnostics.h"

#include <algorithm>
#include <utility>

namespace kafkasim {

void Diagnostics::error(std::string pointer, std::string found, std::string expected,
                        std::string hint) {
  add({Severity::error,
       std::move(pointer),
       std::move(found),
       std::move(expected),
       {},
       std::move(hint),
       std::nullopt});
}

void Diagnostics::warning(std::string pointer, std::string found, std::string expected,
                          std::string hint) {
  add({Severity::warning,
       std::move(pointer),
       std::move(found),
       std::move(expected),
       {},
       std::move(hint),
       std::nullopt});
}

void Diagnostics::note(Severity severity, std::string pointer, std::string message,
                       std::string hint) {
  add({severity, std::move(pointer), {}, {}, std::move(message), std::move(hint), std::nullopt});
}

void Diagnostics::unknown_key(std::string pointer, std::string_view key, std::string_view nearest) {
  std::string hint;
  if (!nearest.empty()) hint = "did you mean \"" + std::string(nearest) + "\"?";
  note(Severity::error, std::move(pointer), "unknown key \"" + std::string(key) + "\"",
       std::move(hint));
}

void Diagnostics::malformed(TextPosition position, std::string what, std::string hint) {
  add({Severity::error, {}, {}, {}, "malformed JSON: " + what, std::move(hint), position});
}

void Diagnostics::add(Diagnostic diagnostic) {
  items_.push_back(std::move(diagnostic));
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::has_errors() const {
  return error_count() > 0;
}

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

std::string format(const Diagnostic& diagnostic, std::string_view file) {
  std::string line(file);
  if (diagnostic.position) {
    line += ":" + std::to_string(diagnostic.position->line) + ":" +
            std::to_string(diagnostic.position->column);
  }
  line += ": ";
  // The root pointer is "", which would print as an empty field: leave it out.
  if (!diagnostic.pointer.empty()) line += diagnostic.pointer + ": ";
  if (diagnostic.severity == Severity::warning) line += "warning: ";
  if (!diagnostic.message.empty()) {
    line += diagnostic.message;
  } else {
    line += "found " + diagnostic.found + ", expected " + diagnostic.expected;
  }
  if (!diagnostic.hint.empty()) line += "; " + diagnostic.hint;
  return line;
}

std::string format_all(const Diagnostics& diagnostics, std::string_view file) {
  std::string text;
  for (const Diagnostic& d : diagnostics.items())
    text += format(d, file) + "\n";
  return text;
}

}  // namespace kafkasim
