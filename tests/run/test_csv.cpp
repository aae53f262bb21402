// Every CSV output quotes per RFC 4180 (SPEC.md "Additions"): a name with a comma, a double quote
// or a line break stays one field, and a field that needs no quoting is written as it always was.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "kafkasim/run/csv.h"
#include "kafkasim/run/latency_csv.h"
#include "kafkasim/run/report.h"
#include "kafkasim/run/series.h"

using namespace kafkasim;

namespace {

using Rows = std::vector<std::vector<std::string>>;

/// An RFC 4180 reader (LF or CRLF line ends), independent of the writer under test.
Rows parse_csv(const std::string& text) {
  Rows rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"' && field.empty() && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      rows.push_back(std::move(row));
      row.clear();
      field.clear();
      field_started = false;
    } else {
      field += c;
      field_started = true;
    }
  }
  REQUIRE_MESSAGE(!quoted, "unterminated quoted field");
  REQUIRE_MESSAGE(field.empty(), "the last row has no line end");
  return rows;
}

RunResult a_run(AckMode mode, std::uint64_t seed) {
  RunResult r;
  r.acks = mode;
  r.seed = seed;
  r.produced = 1000;
  r.acknowledged = 990;
  r.failed = 4;
  r.pending = 6;
  r.latency = {1.5, 1.25, 2, 3.125, 4, 5};
  r.offline_ms = 1234.5;
  r.events = 98765;
  return r;
}

const std::vector<std::string> kAwkwardNames = {
    "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "\"", ",", "app,eu \"prod\"\r\n"};

}  // namespace

TEST_CASE("csv_field quotes exactly the fields that need it") {
  CHECK(csv_field("leader-crash") == "leader-crash");
  CHECK(csv_field("") == "");
  CHECK(csv_field("with space; semicolon") == "with space; semicolon");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("cr\rhere") == "\"cr\rhere\"");
}

TEST_CASE("CsvWriter: fields joined by commas, rows ended by LF, each field read back as written") {
  CsvWriter csv;
  csv.field("name").field("count");
  csv.end_row();
  for (const std::string& name : kAwkwardNames) {
    csv.field(name).field(std::uint64_t{42});
    csv.end_row();
  }
  const std::string text = csv.take();
  CHECK(text.starts_with("name,count\n\"a,b\",42\n"));
  CHECK(csv.text().empty());
  const Rows rows = parse_csv(text);
  REQUIRE(rows.size() == kAwkwardNames.size() + 1);
  for (std::size_t i = 0; i < kAwkwardNames.size(); ++i) {
    CHECK(rows[i + 1] == std::vector<std::string>{kAwkwardNames[i], "42"});
  }
}

TEST_CASE("--csv: unchanged bytes for a plain name; one field for any scenario name") {
  const std::vector<RunResult> runs{a_run(AckMode::async, 1), a_run(AckMode::isr, 1)};
  Scenario scenario;
  scenario.name = "leader-crash";
  const std::string header =
      "scenario,acks,seed,produced,acknowledged,failed,lost_acknowledged,duplicates,"
      "latency_mean_ms,latency_p50_ms,latency_p99_ms,latency_p999_ms,latency_max_ms,offline_ms,"
      "leader_elections,unclean_leader_elections,isr_shrinks,isr_expands,reordered,"
      "latency_p90_ms,controller_elections,pending,events,abandoned,controller_isr_removals,"
      "diverged_offsets\n";
  // The bytes the summary CSV has always had (SPEC's columns first, then ours).
  CHECK(summary_csv(scenario, runs) ==
        header +
            "leader-crash,async,1,1000,990,4,0,0,1.5000,1.2500,3.1250,4.0000,5.0000,1234.500,0,0,0,"
            "0,0,2.0000,0,6,98765,0,0,0\n"
            "leader-crash,isr,1,1000,990,4,0,0,1.5000,1.2500,3.1250,4.0000,5.0000,1234.500,0,0,0,"
            "0,0,2.0000,0,6,98765,0,0,0\n");
  for (const std::string& name : kAwkwardNames) {
    CAPTURE(name);
    scenario.name = name;
    const Rows rows = parse_csv(summary_csv(scenario, runs));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].size() == 26);
    for (std::size_t r = 1; r < rows.size(); ++r) {
      CHECK(rows[r].size() == 26);
      CHECK(rows[r][0] == name);
      CHECK(rows[r][1] == (r == 1 ? "async" : "isr"));
      CHECK(rows[r][22] == "98765");
    }
  }
}

TEST_CASE("--series: a producer or group named with a comma stays one subject") {
  RunResult run = a_run(AckMode::sync, 7);
  run.series.subjects = {"orders-0", "app,eu", "billing \"eu\""};
  run.series.rows = {{1000, 3, 0, SeriesMetric::isr_size},
                     {1000, 42, 1, SeriesMetric::acked},
                     {1000, 2.5, 1, SeriesMetric::latency_p99_ms},
                     {1000, 17, 2, SeriesMetric::consumer_lag}};
  const std::string text = series_csv({run});
  CHECK(
      text.starts_with("acks,seed,time_ms,metric,subject,value\n"
                       "sync,7,1000,isr_size,orders-0,3\n"
                       "sync,7,1000,acked,\"app,eu\",42\n"));
  const Rows rows = parse_csv(text);
  REQUIRE(rows.size() == 5);
  for (const auto& row : rows)
    CHECK(row.size() == 6);
  CHECK(rows[2][4] == "app,eu");
  CHECK(rows[3] ==
        std::vector<std::string>{"sync", "7", "1000", "latency_p99_ms", "app,eu", "2.500"});
  CHECK(rows[4][4] == "billing \"eu\"");
}

TEST_CASE("--latency-csv: unchanged bytes") {
  RunResult run = a_run(AckMode::async, 3);
  run.latency_buckets = {{1000000, 1001000, 5}, {2500000, 2510000, 1}};
  CHECK(latency_csv({run}) ==
        "acks,seed,lower_ms,upper_ms,count\n"
        "async,3,1.000000,1.001000,5\n"
        "async,3,2.500000,2.510000,1\n");
}
