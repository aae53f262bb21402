// --seeds N: the JSON `aggregate` (per mode, mean and 95% Student-t interval of each summary
// field), the table of mean ± half-width, and output bytes that do not depend on --jobs.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_fixture.h"

namespace {

using kafkasim_test::kafkasim;
using kafkasim_test::Outcome;
using kafkasim_test::slurp;
using kafkasim_test::temp_dir;
namespace fs = std::filesystem;

using kafkasim_test::kShortFlagshipRun;
const std::string kShort = kShortFlagshipRun + "--acks async,isr --seeds 3 ";

// t(0.975; 2), from a printed table (not from the code under test).
constexpr double kT975With2DegreesOfFreedom = 4.302653;

/// The runs' values of one field (a JSON Pointer into a run) for one mode.
std::vector<double> samples(const nlohmann::json& report, const std::string& mode,
                            const std::string& pointer) {
  std::vector<double> out;
  for (const nlohmann::json& run : report["runs"]) {
    if (run["acks"] == mode) out.push_back(run.at(nlohmann::json::json_pointer(pointer)));
  }
  return out;
}

}  // namespace

TEST_CASE(
    "--seeds 3: aggregate intervals with the runs' means, identical bytes with --jobs 1 and 2") {
  const fs::path dir = temp_dir() / "multi-seed";
  fs::create_directories(dir);
  const Outcome one = kafkasim(kShort + "--jobs 1 --json " + (dir / "a.json").string() + " --csv " +
                               (dir / "a.csv").string());
  REQUIRE(one.status == 0);
  const Outcome two = kafkasim(kShort + "--jobs 2 --json " + (dir / "b.json").string() + " --csv " +
                               (dir / "b.csv").string());
  REQUIRE(two.status == 0);
  CHECK(one.out == two.out);
  CHECK(slurp(dir / "a.json") == slurp(dir / "b.json"));
  CHECK(slurp(dir / "a.csv") == slurp(dir / "b.csv"));

  const nlohmann::json report = nlohmann::json::parse(slurp(dir / "a.json"));
  CHECK(report["seeds"] == 3);
  REQUIRE(report["runs"].size() == 6);
  const nlohmann::json& aggregate = report.at("aggregate");
  REQUIRE(aggregate.size() == 2);
  bool some_spread = false;
  for (const std::string mode : {"async", "isr"}) {
    INFO("mode " << mode);
    REQUIRE(aggregate.contains(mode));
    CHECK(aggregate[mode]["runs"] == 3);
    for (const std::string pointer :
         {"/produced", "/acknowledged", "/lost_acknowledged", "/latency_ms/p99", "/latency_ms/mean",
          "/offline_ms", "/leader_elections", "/events"}) {
      INFO("field " << pointer);
      const std::vector<double> x = samples(report, mode, pointer);
      REQUIRE(x.size() == 3);
      const double mean = (x[0] + x[1] + x[2]) / 3;
      double squares = 0;
      for (const double v : x)
        squares += (v - mean) * (v - mean);
      const double half_width = kT975With2DegreesOfFreedom * std::sqrt(squares / 2) / std::sqrt(3);
      const nlohmann::json& field = aggregate[mode].at(nlohmann::json::json_pointer(pointer));
      CHECK(field["mean"].get<double>() == doctest::Approx(mean));
      CHECK(field["half_width"].get<double>() == doctest::Approx(half_width).epsilon(1e-5));
      // The bounds to the precision of the mean and the half-width they come from: a bound near
      // zero is the difference of two large numbers.
      const double scale = 1 + std::abs(mean) + half_width;
      CHECK(field["ci95"][0].get<double>() ==
            doctest::Approx(mean - half_width).epsilon(1e-5).scale(scale));
      CHECK(field["ci95"][1].get<double>() ==
            doctest::Approx(mean + half_width).epsilon(1e-5).scale(scale));
      some_spread = some_spread || half_width > 0;
    }
    // Identity and end state are not summary fields.
    CHECK_FALSE(aggregate[mode].contains("seed"));
    CHECK_FALSE(aggregate[mode].contains("acks"));
    CHECK_FALSE(aggregate[mode].contains("partitions"));
  }
  CHECK(some_spread);  // the seeds differ, so the intervals are not all empty

  // The table: one column per mode, mean ± half-width; the CSV keeps one row per run.
  CHECK(one.out.find("over seeds 1..3") != std::string::npos);
  CHECK(one.out.find("mode                ") != std::string::npos);
  CHECK(one.out.find("±") != std::string::npos);
  CHECK(one.out.find("latency p99 ms") != std::string::npos);
  CHECK(one.out.find("\nseed ") == std::string::npos);
  const std::string csv = slurp(dir / "a.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 6);
  fs::remove_all(dir);
}

TEST_CASE("one seed: no aggregate, the table has a column per run") {
  const fs::path dir = temp_dir() / "one-seed";
  fs::create_directories(dir);
  const Outcome o =
      kafkasim(kShortFlagshipRun + "--acks async --json " + (dir / "r.json").string());
  REQUIRE(o.status == 0);
  CHECK_FALSE(nlohmann::json::parse(slurp(dir / "r.json")).contains("aggregate"));
  CHECK(o.out.find("±") == std::string::npos);
  fs::remove_all(dir);
}
