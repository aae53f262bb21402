#include "kafkasim/run/csv.h"

#include <utility>

namespace kafkasim {

namespace {

bool needs_quotes(std::string_view text) {
  return text.find_first_of(",\"\r\n") != std::string_view::npos;
}

}  // namespace

std::string csv_field(std::string_view text) {
  if (!needs_quotes(text)) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

CsvWriter& CsvWriter::field(std::string_view text) {
  if (row_started_) text_ += ',';
  row_started_ = true;
  if (!needs_quotes(text)) {
    text_ += text;  // the common case, without a temporary
  } else {
    text_ += csv_field(text);
  }
  return *this;
}

CsvWriter& CsvWriter::field(std::uint64_t value) {
  return field(std::to_string(value));
}

void CsvWriter::end_row() {
  text_ += '\n';
  row_started_ = false;
}

std::string CsvWriter::take() {
  row_started_ = false;
  return std::exchange(text_, {});
}

}  // namespace kafkasim
