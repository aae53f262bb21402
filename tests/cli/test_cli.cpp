// The command line as a user meets it: exit statuses, messages, and files written whole or not
// at all (SPEC.md "Command line").
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "cli_fixture.h"

namespace {

using kafkasim_test::kafkasim;
using kafkasim_test::kFlagship;
using kafkasim_test::Outcome;
using kafkasim_test::slurp;
using kafkasim_test::temp_dir;

namespace fs = std::filesystem;

}  // namespace

TEST_CASE("validate: OK for the shipped scenario, exit 0") {
  const Outcome o = kafkasim("validate " + kFlagship);
  CHECK(o.status == 0);
  CHECK(o.out.find("OK " + kFlagship) != std::string::npos);
}

TEST_CASE("validate: a bad file gets every problem, with pointers and hints, exit 2") {
  const fs::path bad = temp_dir() / "bad.json";
  std::ofstream(bad) << R"({"name":"x","duration_ms":-5,"cluster":{"brokers":3,"broker_confg":{}},)"
                        R"("topics":[{"name":"t","partitions":1,"replication_factor":5}]})";
  const Outcome o = kafkasim("validate " + bad.string());
  CHECK(o.status == 2);
  CHECK(o.out.find("/duration_ms: found -5") != std::string::npos);
  CHECK(
      o.out.find(
          "/cluster/broker_confg: unknown key \"broker_confg\"; did you mean \"broker_config\"?") !=
      std::string::npos);
  CHECK(o.out.find("/topics/0/replication_factor: found 5") != std::string::npos);
}

TEST_CASE("validate: malformed JSON gives line and column; a missing file is reported") {
  const fs::path bad = temp_dir() / "malformed.json";
  std::ofstream(bad) << "{\"name\": \"x\",\n  \"duration_ms\": 5,,\n}";
  Outcome o = kafkasim("validate " + bad.string());
  CHECK(o.status == 2);
  CHECK(o.out.find(bad.string() + ":2:") != std::string::npos);
  o = kafkasim("validate " + (temp_dir() / "missing.json").string());
  CHECK(o.status == 2);
  CHECK(o.out.find("missing.json") != std::string::npos);
}

TEST_CASE("validate: --set applies before validation") {
  const Outcome o = kafkasim("validate --set /cluster/brokers=2 " + kFlagship);
  CHECK(o.status == 2);
  CHECK(o.out.find(
            "/topics/0/replication_factor: found 3, expected at most the number of brokers (2)") !=
        std::string::npos);
}

TEST_CASE("bad usage exits 2") {
  CHECK(kafkasim("").status == 2);
  CHECK(kafkasim("frobnicate").status == 2);
  CHECK(kafkasim("run " + kFlagship + " --acks bogus").status == 2);
}

TEST_CASE("run: an output file in a missing directory is bad usage, found before simulating") {
  const Outcome o = kafkasim("run " + kFlagship + " --json /nonexistent-kafkasim-dir/report.json");
  CHECK(o.status == 2);
  CHECK(o.out.find("cannot write /nonexistent-kafkasim-dir/report.json") != std::string::npos);
  CHECK(o.out.find("lost acknowledged") == std::string::npos);  // no table: nothing was run
}

TEST_CASE("run: an invalid scenario writes no output file and exits 2") {
  const fs::path json = temp_dir() / "never.json";
  fs::remove(json);
  const Outcome o = kafkasim("run " + kFlagship + " --set /duration_ms=-1 --json " + json.string());
  CHECK(o.status == 2);
  CHECK_FALSE(fs::exists(json));
}

TEST_CASE("run: the table, and identical JSON and CSV bytes on a second run, whatever --jobs") {
  const fs::path dir = temp_dir();
  const std::string& common = kafkasim_test::kShortFlagshipRun;
  const Outcome first = kafkasim(common + "--jobs 1 --json " + (dir / "a.json").string() +
                                 " --csv " + (dir / "a.csv").string());
  REQUIRE(first.status == 0);
  CHECK(first.out.find("lost acknowledged") != std::string::npos);
  CHECK(first.out.find("async") != std::string::npos);
  const Outcome second = kafkasim(common + "--jobs 2 --json " + (dir / "b.json").string() +
                                  " --csv " + (dir / "b.csv").string());
  REQUIRE(second.status == 0);
  CHECK(first.out == second.out);
  CHECK(slurp(dir / "a.json") == slurp(dir / "b.json"));
  CHECK(slurp(dir / "a.csv") == slurp(dir / "b.csv"));
  CHECK(slurp(dir / "a.csv")
            .starts_with(
                "scenario,acks,seed,produced,acknowledged,failed,lost_acknowledged,duplicates,"
                "latency_mean_ms,latency_p50_ms,latency_p99_ms,latency_p999_ms,latency_max_ms,"
                "offline_ms,"
                "leader_elections,unclean_leader_elections,isr_shrinks,isr_expands"));
  fs::remove_all(dir);
}

TEST_CASE("run: --max-events and --max-messages are the overrides of the limits; exit 2") {
  const auto budget = kafkasim_test::kafkasim("run " + kafkasim_test::kFlagship +
                                              " --acks isr --max-events 1000 --csv /tmp/x.csv");
  CHECK(budget.status == 2);
  CHECK(budget.out.find("stopped after 1000 events") != std::string::npos);
  const auto messages =
      kafkasim_test::kafkasim("validate " + kafkasim_test::kFlagship + " --max-messages 1000");
  CHECK(messages.status == 2);
  CHECK(messages.out.find("/producers: found 2.8e+05 messages per run") != std::string::npos);
}
