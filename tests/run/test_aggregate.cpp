// The aggregate of a multi-seed report on hand-made runs: which fields, in which order, with
// which values, and the table's labels and cells.
#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "kafkasim/run/aggregate.h"

using nlohmann::ordered_json;

namespace {

ordered_json run(const std::string& mode, int seed, double produced, double p99, double consumed) {
  ordered_json r;
  r["acks"] = mode;
  r["seed"] = seed;
  r["produced"] = produced;
  r["latency_ms"] = {{"p99", p99}};
  r["partitions"] = {{{"partition", "orders-0"}, {"high_watermark", produced}}};
  r["consumer_groups"] = {{{"group", "billing"}, {"consumed", consumed}}};
  r["lost_examples"] = ordered_json::array();
  r["note"] = "text is not aggregated";
  return r;
}

}  // namespace

TEST_CASE("aggregate: per mode in order of appearance, mean and Student-t interval per field") {
  const ordered_json runs = {run("isr", 1, 10, 1.0, 4), run("async", 1, 20, 0.5, 8),
                             run("isr", 2, 14, 3.0, 6), run("async", 2, 20, 0.5, 8)};
  const ordered_json aggregate = kafkasim::aggregate_json(runs);
  REQUIRE(aggregate.size() == 2);
  CHECK(aggregate.begin().key() == "isr");
  const ordered_json& isr = aggregate["isr"];
  CHECK(isr["runs"] == 2);
  // Two samples 10 and 14: mean 12, s = 2*sqrt(2), half-width t(0.975;1) * s / sqrt(2).
  CHECK(isr["produced"]["mean"].get<double>() == doctest::Approx(12));
  CHECK(isr["produced"]["half_width"].get<double>() == doctest::Approx(12.706204736 * 2));
  CHECK(isr["produced"]["ci95"][0].get<double>() == doctest::Approx(12 - 25.412409472));
  CHECK(isr["latency_ms"]["p99"]["mean"].get<double>() == doctest::Approx(2));
  CHECK(isr["consumer_groups"]["billing"]["consumed"]["mean"].get<double>() == doctest::Approx(5));
  CHECK(aggregate["async"]["produced"]["half_width"].get<double>() == 0);
  for (const char* excluded : {"acks", "seed", "partitions", "lost_examples", "note"})
    CHECK_FALSE(isr.contains(excluded));

  const std::string table = kafkasim::aggregate_table(kafkasim::Scenario{}, aggregate, 1, 2);
  CHECK(table.find("over seeds 1..2") != std::string::npos);
  CHECK(table.find("produced") != std::string::npos);
  CHECK(table.find("12.0 ± 25.4") != std::string::npos);
  CHECK(table.find("20 ± 0") != std::string::npos);
  CHECK(table.find("latency p99 ms") != std::string::npos);
  CHECK(table.find("group billing consumed") != std::string::npos);
}
