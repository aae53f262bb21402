// The table of run fields (sim/run/run_fields.cpp) that the comparison table, the JSON report,
// the summary CSV and the aggregate read: its CSV places never collide or leave a gap, its keys
// are unique, and the aggregate averages exactly its numbers.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "../../sim/run/run_fields.h"
#include "kafkasim/run/report.h"

using namespace kafkasim;
using namespace kafkasim::report_detail;

TEST_CASE("run fields: CSV places 1, 2, 3... in order, each once; JSON keys unique") {
  const auto columns = csv_fields();
  REQUIRE(columns.size() == 25);
  for (std::size_t i = 0; i < columns.size(); ++i)
    CHECK(columns[i]->csv_place == static_cast<int>(i) + 1);
  std::set<std::string_view> keys;
  std::set<std::string_view> csv;
  for (const RunField& f : run_fields()) {
    CHECK_MESSAGE(keys.insert(f.json).second, f.json);
    if (!f.csv.empty()) CHECK_MESSAGE(csv.insert(f.csv).second, f.csv);
    // A field without a CSV column has no place, and one with a column has one.
    CHECK((f.csv.empty() == (f.csv_place == 0)));
  }
  // SPEC.md's 18 columns first, in its order.
  const std::vector<std::string> spec = {"scenario",
                                         "acks",
                                         "seed",
                                         "produced",
                                         "acknowledged",
                                         "failed",
                                         "lost_acknowledged",
                                         "duplicates",
                                         "latency_mean_ms",
                                         "latency_p50_ms",
                                         "latency_p99_ms",
                                         "latency_p999_ms",
                                         "latency_max_ms",
                                         "offline_ms",
                                         "leader_elections",
                                         "unclean_leader_elections",
                                         "isr_shrinks",
                                         "isr_expands"};
  const std::vector<std::string> header = summary_csv_columns();
  REQUIRE(header.size() == 26);
  CHECK(std::vector<std::string>(header.begin(), header.begin() + 18) == spec);
}

TEST_CASE("run fields: the aggregate averages numbers and named groups, not identity or details") {
  for (const char* key : {"produced", "latency_ms", "offline_ms", "events", "consumer_groups"})
    CHECK_MESSAGE(is_summary_key(key), key);
  for (const char* key : {"acks", "seed", "partitions", "lost_examples", "no_such_field"})
    CHECK_MESSAGE(!is_summary_key(key), key);
}

TEST_CASE("run fields: put nests a dotted key, and a run's JSON follows the table's order") {
  nlohmann::ordered_json run;
  put(run, "produced", RunValue{std::uint64_t{5}});
  put(run, "latency_ms.p50", RunValue{1.5});
  put(run, "latency_ms.p99", RunValue{2.5});
  put(run, "acks", RunValue{std::string("isr")});
  CHECK(run.dump() == R"({"produced":5,"latency_ms":{"p50":1.5,"p99":2.5},"acks":"isr"})");
  Scenario scenario;
  RunResult r;
  const nlohmann::ordered_json report = report_json(scenario, {r}, 1, 1);
  std::vector<std::string> keys;
  for (const auto& [key, value] : report["runs"][0].items())
    keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"acks",
                                         "seed",
                                         "produced",
                                         "acknowledged",
                                         "failed",
                                         "pending",
                                         "abandoned",
                                         "lost_acknowledged",
                                         "duplicates",
                                         "reordered",
                                         "latency_ms",
                                         "offline_ms",
                                         "leader_elections",
                                         "unclean_leader_elections",
                                         "controller_elections",
                                         "isr_shrinks",
                                         "isr_expands",
                                         "controller_isr_removals",
                                         "diverged_offsets",
                                         "partitions",
                                         "consumer_groups",
                                         "lost_examples",
                                         "events",
                                         "fault_nodes"});
}
