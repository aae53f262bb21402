#include "text_table.h"

#include <algorithm>
#include <cstdio>

namespace kafkasim::report_detail {

namespace {

/// UTF-8 characters in `text` (bytes that do not continue a multi-byte sequence).
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string pad(const std::string& text, std::size_t width, bool right) {
  const std::size_t shown = display_width(text);
  if (shown >= width) return text;
  const std::string fill(width - shown, ' ');
  return right ? fill + text : text + fill;
}

}  // namespace

std::string table_heading(const Scenario& scenario) {
  return scenario.name + (scenario.description.empty() ? "" : ": " + scenario.description) + "\n\n";
}

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string render_rows(const std::vector<TextRow>& rows) {
  std::size_t label_width = 0;
  std::vector<std::size_t> widths;
  for (const TextRow& row : rows) {
    label_width = std::max(label_width, display_width(row.label));
    widths.resize(std::max(widths.size(), row.cells.size()), 0);
    for (std::size_t i = 0; i < row.cells.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row.cells[i]));
  }
  std::string out;
  for (const TextRow& row : rows) {
    out += pad(row.label, label_width, false);
    for (std::size_t i = 0; i < row.cells.size(); ++i)
      out += "  " + pad(row.cells[i], widths[i] + 1, true);
    out += "\n";
  }
  return out;
}

}  // namespace kafkasim::report_detail
