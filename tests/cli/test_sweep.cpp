// `kafkasim sweep`: one row per grid point x mode x seed, shards that partition the grid, and
// bad --vary values refused before anything runs.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "cli_fixture.h"

namespace {

using kafkasim_test::kafkasim;
using kafkasim_test::kFlagship;
using kafkasim_test::Outcome;
using kafkasim_test::slurp;
using kafkasim_test::temp_dir;
namespace fs = std::filesystem;

// A 4 s run of the flagship without faults: fast, and every point differs.
const std::string kSweep = "sweep " + kFlagship +
                           " --set /duration_ms=4000 --set /settle_ms=2000 --set /faults=[] "
                           "--set /producers/0/rate_changes=[] --acks async,isr --seeds 2 "
                           "--vary /cluster/broker_config/min.insync.replicas=1,2 "
                           "--vary /producers/0/rate_per_s=500,1000,1500 ";

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, ',');)
    out.push_back(field);
  return out;
}

}  // namespace

TEST_CASE("sweep: a row per point x mode x seed, the varied values in their columns") {
  const fs::path csv = temp_dir() / "sweep.csv";
  const Outcome o = kafkasim(kSweep + "--jobs 2 --csv " + csv.string());
  REQUIRE(o.status == 0);
  const std::vector<std::string> rows = lines(slurp(csv));
  REQUIRE(rows.size() == 1 + 6 * 2 * 2);
  CHECK(
      rows[0].starts_with("point,/cluster/broker_config/min.insync.replicas,"
                          "/producers/0/rate_per_s,scenario,acks,seed,produced,acknowledged,"));
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::vector<std::string> f = fields(rows[i]);
    REQUIRE(f.size() == fields(rows[0]).size());
    const int point = std::stoi(f[0]);
    // The first --vary is the outer loop: point = index(min.insync) * 3 + index(rate).
    CHECK(f[1] == std::to_string(point / 3 + 1));
    CHECK(f[2] == std::to_string(500 * (point % 3 + 1)));
    CHECK(seen.insert({f[0], f[4], f[5]}).second);  // (point, acks, seed) once each
  }
  CHECK(seen.size() == 24);
  // The rate is applied: more messages at 1500/s than at 500/s (same seed and mode).
  CHECK(std::stoi(fields(rows[1])[6]) * 2 < std::stoi(fields(rows[9])[6]));
  // Same bytes with one thread.
  const fs::path serial = temp_dir() / "serial.csv";
  REQUIRE(kafkasim(kSweep + "--jobs 1 --csv " + serial.string()).status == 0);
  CHECK(slurp(serial) == slurp(csv));
  fs::remove(csv);
  fs::remove(serial);
}

TEST_CASE("sweep: shards K/N partition the grid; merged and sorted by point they give the whole") {
  const Outcome whole = kafkasim(kSweep + "--jobs 2");
  REQUIRE(whole.status == 0);
  const std::vector<std::string> all = lines(whole.out);
  std::vector<std::string> merged;
  for (int k = 1; k <= 4; ++k) {
    const Outcome shard = kafkasim(kSweep + "--jobs 2 --shard " + std::to_string(k) + "/4");
    REQUIRE(shard.status == 0);
    const std::vector<std::string> rows = lines(shard.out);
    REQUIRE_FALSE(rows.empty());
    CHECK(rows[0] == all[0]);  // every shard writes the header
    for (std::size_t i = 1; i < rows.size(); ++i) {
      CHECK(std::stoi(fields(rows[i])[0]) % 4 == k - 1);
      merged.push_back(rows[i]);
    }
  }
  std::stable_sort(merged.begin(), merged.end(), [](const std::string& a, const std::string& b) {
    return std::stoi(fields(a)[0]) < std::stoi(fields(b)[0]);
  });
  merged.insert(merged.begin(), all[0]);
  CHECK(merged == all);
  // More shards than points: the extra shards hold the header alone.
  const Outcome empty = kafkasim(kSweep + "--shard 9/9");
  REQUIRE(empty.status == 0);
  CHECK(lines(empty.out) == std::vector<std::string>{all[0]});
}

TEST_CASE("sweep: JSON values, quoted in the CSV") {
  const Outcome o = kafkasim("sweep " + kFlagship +
                             " --set /duration_ms=2000 --set /settle_ms=1000 --set /faults=[] "
                             "--set /producers/0/rate_changes=[] --acks async "
                             "--vary '/network/latency_ms={\"dist\":\"constant\",\"value\":1},2'");
  REQUIRE(o.status == 0);
  const std::vector<std::string> rows = lines(o.out);
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].starts_with("0,\"{\"\"dist\"\":\"\"constant\"\",\"\"value\"\":1}\",leader-crash,"));
  CHECK(rows[2].starts_with("1,2,leader-crash,async,"));
}

TEST_CASE("sweep: bad --vary, values and shards exit 2 before any run, writing nothing") {
  const fs::path csv = temp_dir() / "bad-sweep.csv";
  const std::string out = " --csv " + csv.string();
  // A value of the wrong type: the loader's message, with the file and the pointer.
  Outcome o = kafkasim("sweep " + kFlagship +
                       " --vary /cluster/broker_config/min.insync.replicas=1,x" + out);
  CHECK(o.status == 2);
  CHECK(o.out.find("leader-crash.json: /cluster/broker_config/min.insync.replicas: found \"x\", "
                   "expected an integer") != std::string::npos);
  // A key the scenario does not have: the nearest one is suggested.
  o = kafkasim("sweep " + kFlagship + " --vary /cluster/brokerz=3,4" + out);
  CHECK(o.status == 2);
  CHECK(o.out.find("did you mean \"brokers\"") != std::string::npos);
  // The error is reported once, not once per point of the other --vary.
  o = kafkasim("sweep " + kFlagship + " --vary /seed=1,2,3 --vary /duration_ms=-1" + out);
  CHECK(o.status == 2);
  const std::string message = "/duration_ms: found -1";
  CHECK(o.out.find(message) != std::string::npos);
  CHECK(o.out.find(message) == o.out.rfind(message));
  CHECK(kafkasim("sweep " + kFlagship + " --vary /seed" + out).status == 2);
  CHECK(kafkasim("sweep " + kFlagship + " --vary seed=1,2" + out).status == 2);
  CHECK(kafkasim("sweep " + kFlagship + " --vary /seed=1,,2" + out).status == 2);
  CHECK(kafkasim("sweep " + kFlagship + " --vary /seed=1 --vary /seed=2" + out).status == 2);
  CHECK(kafkasim("sweep " + kFlagship + " --vary /seed=1 --shard 0/2" + out).status == 2);
  CHECK(kafkasim("sweep " + kFlagship + " --vary /seed=1 --shard 3/2" + out).status == 2);
  CHECK(kafkasim("sweep " + kFlagship + " --vary /seed=1 --shard a/b" + out).status == 2);
  CHECK(kafkasim("sweep " + kFlagship + " --vary /seed=1 --acks bogus" + out).status == 2);
  CHECK(kafkasim("sweep " + kFlagship).status == 2);  // --vary is required
  CHECK_FALSE(fs::exists(csv));
}
