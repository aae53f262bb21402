// Every CSV kafkasim writes (--csv, --series, --latency-csv, the sweep's rows) goes through this
// writer, so a name with a comma, a quote or a line break cannot shift a row's columns: fields
// are quoted as RFC 4180 says (a field holding a comma, a double quote, CR or LF is enclosed in
// double quotes, a double quote inside doubled), and every other field is written as it is.
// Lines end with "\n" (RFC 4180 writes CRLF; every CSV reader accepts either, and kafkasim's
// files have always ended lines with LF).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kafkasim {

/// `text` as one CSV field: unchanged, or quoted when it holds ',', '"', '\r' or '\n'.
std::string csv_field(std::string_view text);

/// A CSV document, built a row at a time.
class CsvWriter {
 public:
  /// The next field of the current row.
  CsvWriter& field(std::string_view text);
  CsvWriter& field(std::uint64_t value);
  /// Ends the current row.
  void end_row();
  /// The document so far.
  const std::string& text() const { return text_; }
  /// The document, leaving the writer empty.
  std::string take();

 private:
  std::string text_;
  bool row_started_ = false;
};

}  // namespace kafkasim
