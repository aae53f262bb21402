// Wherever text becomes a number, a bad one is bad input (issue 10, after the fuzzer's finding):
// exit 2, a message that names the option (or the file's line and column) and what was
// expected, nothing written, and never "internal error". The paths: the scenario file, --set,
// sweep's --vary, and every numeric option of every command.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_fixture.h"

namespace {

using kafkasim_test::kafkasim;
using kafkasim_test::kFlagship;
using kafkasim_test::Outcome;
using kafkasim_test::refused;
using kafkasim_test::temp_dir;
namespace fs = std::filesystem;

const std::string kOverflowFile =
    std::string(KAFKASIM_SOURCE_DIR) + "/tests/data/fuzz/fuzz-number-overflow-fetch-time.json";
const std::string kRange =
    "expected a number that a double can hold (magnitude at most about "
    "1.8e308)";

}  // namespace

TEST_CASE("the fuzzer's 0.1e1202 in a file: exit 2 at its line and column, nothing written") {
  refused("validate " + kOverflowFile,
          "fuzz-number-overflow-fetch-time.json:6:20: found 0.1e1202, " + kRange);
  const fs::path json = temp_dir() / "never.json";
  fs::remove(json);
  refused("run " + kOverflowFile + " --json " + json.string(), ":6:20: found 0.1e1202");
  CHECK_FALSE(fs::exists(json));
}

TEST_CASE("--set and --vary: a number beyond a double is refused by name, nothing written") {
  const fs::path out = temp_dir() / "never.csv";
  fs::remove(out);
  refused("validate " + kFlagship + " --set /cluster/fetch_time_ms=0.1e1202",
          "/cluster/fetch_time_ms: --set: found 0.1e1202, " + kRange);
  refused("run " + kFlagship + " --set /cluster/fetch_time_ms=-1e400 --csv " + out.string(),
          "--set: found -1e400, " + kRange);
  refused("sweep " + kFlagship + " --vary /cluster/fetch_time_ms=1,0.1e1202 --csv " + out.string(),
          "--vary /cluster/fetch_time_ms: found 0.1e1202, " + kRange);
  refused("sweep " + kFlagship + " --vary '/producers/0/rate_changes=[],[{\"at_ms\":1e999}]' " +
              "--csv " + out.string(),
          "found 1e999, " + kRange);
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("--set: bytes that are not UTF-8 are bad input, not an internal error") {
  refused("validate " + kFlagship + " --set \"$(printf '/description=\\377')\"",
          "found --set with bytes that are not UTF-8");
}

TEST_CASE("--seed: negative, past 2^64 - 1, not decimal or wrapping past the last seed") {
  for (const char* command : {"run ", "sweep "}) {
    const std::string head = command + kFlagship + (command[0] == 's' ? " --vary /seed=1" : "");
    refused(head + " --seed -1", "--seed: found -1, expected an integer >= 0");
    refused(head + " --seed 18446744073709551616",
            "--seed: found 18446744073709551616, expected an integer >= 0");
    refused(head + " --seed 1e3", "--seed: found 1e3");
    refused(head + " --seed 0x10", "--seed: found 0x10");
    refused(head + " --seeds 0", "--seeds: found 0, expected an integer in [1, 1000000]");
    refused(head + " --seeds -1", "--seeds: found -1");
    refused(head + " --seeds 99999999999999999999", "--seeds: found 99999999999999999999");
    refused(head + " --seed 18446744073709551615 --seeds 2",
            "--seeds 2 from seed 18446744073709551615: the last seed would pass");
  }
  // The scenario's own seed counts as the first when --seed is not given.
  refused("run " + kFlagship + " --set /seed=18446744073709551615 --seeds 3",
          "the last seed would pass 18446744073709551615");
}

TEST_CASE("--seed: the largest seed itself is accepted, and leading zeros are decimal") {
  const std::string tiny = "run " + kFlagship +
                           " --set /duration_ms=200 --set /settle_ms=0 --set /faults=[] "
                           "--set /producers/0/rate_changes=[] --acks async --json - ";
  const Outcome largest = kafkasim(tiny + "--seed 18446744073709551615");
  CHECK(largest.status == 0);
  CHECK(largest.out.find("\"seed\": 18446744073709551615") != std::string::npos);
  const Outcome zeros = kafkasim(tiny + "--seed 010");
  CHECK(zeros.status == 0);
  CHECK(zeros.out.find("\"seed\": 10,") != std::string::npos);  // not octal 8
}

TEST_CASE("every other numeric option: out of range, negative, overflowing or not a number") {
  const std::string run = "run " + kFlagship + " ";
  refused(run + "--jobs 0", "--jobs: found 0, expected an integer in [1, 1024]");
  refused(run + "--jobs -1", "--jobs: found -1");
  refused(run + "--jobs 4294967297", "--jobs: found 4294967297");
  refused(run + "--jobs 1.5", "--jobs: found 1.5");
  refused(run + "--series-interval-ms 0", "--series-interval-ms: found 0");
  refused(run + "--series-interval-ms 99999999999999999999",
          "--series-interval-ms: found 99999999999999999999");
  refused(run + "--series-interval-ms 1e999", "--series-interval-ms: found 1e999");
  refused(run + "--max-events 0", "--max-events: found 0, expected an integer >= 1");
  refused(run + "--max-events -1", "--max-events: found -1");
  refused(run + "--max-events 18446744073709551616", "--max-events: found 18446744073709551616");
  for (const char* command : {"run ", "validate "}) {
    for (const char* bad : {"0", "-1", "inf", "nan", "1e999", "x"}) {
      refused(command + kFlagship + " --max-messages " + bad,
              std::string("--max-messages: found ") + bad + ", expected a finite number > 0");
    }
  }
  refused(run + "--trace - --trace-window-ms 0,1e999", "--trace-window-ms: found \"0,1e999\"");
  refused(run + "--trace - --trace-window-ms 1e999,2", "--trace-window-ms: found \"1e999,2\"");
  const std::string sweep = "sweep " + kFlagship + " --vary /seed=1 ";
  refused(sweep + "--jobs -1", "--jobs: found -1");
  refused(sweep + "--jobs 0", "--jobs: found 0");
  refused(sweep + "--shard 99999999999999999999/1", "--shard 99999999999999999999/1: expected");
  const std::string hold = "bench hold ";
  refused(hold + "--events -1", "--events: found -1, expected an integer >= 1");
  refused(hold + "--events 18446744073709551616", "--events: found 18446744073709551616");
  refused(hold + "--pending 0", "--pending: found 0");
  refused(hold + "--seed -1", "--seed: found -1, expected an integer >= 0");
}
