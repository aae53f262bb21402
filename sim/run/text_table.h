// Private to the reports: a plain-text table with a label column and right-aligned cells, as
// the comparison table and the multi-seed table print it.
#pragma once

#include <string>
#include <vector>

#include "kafkasim/scenario/scenario.h"

namespace kafkasim::report_detail {

struct TextRow {
  std::string label;
  std::vector<std::string> cells;
};

/// The line above a table: the scenario's name and description, then a blank line.
std::string table_heading(const Scenario& scenario);

/// `value` with `decimals` digits after the point ("%.*f": the same bytes on every platform
/// that prints IEEE doubles correctly rounded, as glibc does).
std::string fixed(double value, int decimals);

/// Labels padded on the right, each cell column right-aligned to its widest cell; widths count
/// characters, not bytes, so a cell holding "±" lines up.
std::string render_rows(const std::vector<TextRow>& rows);

}  // namespace kafkasim::report_detail
