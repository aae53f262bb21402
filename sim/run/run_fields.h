// Private to the reports: the fields of a run, in one table (run_fields.cpp) that the comparison
// table, the JSON report, the summary CSV and (through the JSON) the multi-seed aggregate all
// read. Adding a field to the reports is one row there (and the RunResult member it reads).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "kafkasim/run/run_result.h"

namespace kafkasim::report_detail {

/// A field's value in one run: a name, a count, a time in ms, or a JSON part of its own.
using RunValue = std::variant<std::string, std::uint64_t, double, nlohmann::ordered_json>;

/// What a field is, for the aggregate: it averages counts and times (and the numbers inside
/// named groups), not a run's identity nor the per-partition and per-record details.
enum class FieldKind : std::uint8_t { identity, number, details, named_groups };

struct RunField {
  /// Its key in a run's JSON object; "latency_ms.p99" is "p99" inside the object "latency_ms".
  std::string_view json;
  FieldKind kind;
  /// Its column in --csv (empty: none) and that column's place: 1 is the first after
  /// `scenario`. SPEC.md fixes the first 18; a new field takes the next free place, at the end.
  std::string_view csv;
  int csv_place;
  /// Its row in the comparison table (empty: none), shown only when some run has a non-zero
  /// value if `table_if_any`.
  std::string_view label;
  bool table_if_any;
  /// Decimals of a time in the table and in the CSV.
  int table_decimals;
  int csv_decimals;
  RunValue (*value)(const RunResult& run);
};

/// Every field of a run, in the order of the JSON and of the comparison table.
std::span<const RunField> run_fields();
/// The fields with a CSV column, in the order of the columns.
std::span<const RunField* const> csv_fields();

/// A field's value as a table cell or a CSV field (times with the given decimals).
std::string format(const RunValue& value, int decimals);

/// `value` at `path` ("latency_ms.p99") in `object`, nested objects created as needed.
void put(nlohmann::ordered_json& object, std::string_view path, const RunValue& value);

/// Whether the aggregate averages the run's JSON key `key` (a field of kind number or
/// named_groups, or of a nested object such as latency_ms).
bool is_summary_key(std::string_view key);

}  // namespace kafkasim::report_detail
