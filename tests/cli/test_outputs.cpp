// The teaching outputs on the command line (issue 5 items 1, 2, 6, 7): --series and --trace are
// written whole, byte-identical whatever --jobs is; bad options exit 2 and write nothing; the
// timeline is printed; progress goes to stderr only when stderr is a terminal.
#include <doctest/doctest.h>

#include <cstdlib>
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

namespace fs = std::filesystem;

using kafkasim_test::slurp;
using kafkasim_test::temp_dir;

const std::string& kShort = kafkasim_test::kShortFlagshipRun;

}  // namespace

TEST_CASE("run --series and --trace: the same bytes whatever --jobs, and the SPEC's header") {
  const fs::path dir = temp_dir();
  const std::string outputs = " --series-interval-ms 250 --trace-window-ms 9000,17000 ";
  const Outcome one = kafkasim(kShort + "--jobs 1 --seeds 2" + outputs + "--series " +
                               (dir / "a.csv").string() + " --trace " + (dir / "a.json").string());
  REQUIRE(one.status == 0);
  const Outcome three =
      kafkasim(kShort + "--jobs 3 --seeds 2" + outputs + "--series " + (dir / "b.csv").string() +
               " --trace " + (dir / "b.json").string());
  REQUIRE(three.status == 0);
  const std::string series = slurp(dir / "a.csv");
  CHECK(series.starts_with("acks,seed,time_ms,metric,subject,value\n"));
  CHECK(series == slurp(dir / "b.csv"));
  CHECK(slurp(dir / "a.json") == slurp(dir / "b.json"));
  // Runs in the order of --csv: seed 1's modes, then seed 2's; 250 ms steps.
  CHECK(series.find("\nasync,1,0,isr_size,orders-0,3\n") < series.find("\nisr,1,0,"));
  CHECK(series.find("\nsync,1,0,") < series.find("\nasync,2,0,"));
  CHECK(series.find("\nasync,1,250,isr_size,orders-0,") != std::string::npos);
  CHECK(series.find("\nasync,1,100,") == std::string::npos);
  CHECK(slurp(dir / "a.json").find("\"acks=sync seed=2\"") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("run: bad --trace-window-ms or --series-interval-ms exits 2 and writes nothing") {
  const fs::path dir = temp_dir();
  const std::string trace = (dir / "t.json").string();
  const std::string series = (dir / "s.csv").string();
  for (const char* window : {"5,2", "abc", "1,2,3", "-1,5", "7"}) {
    const Outcome o = kafkasim(kShort + "--trace " + trace + " --trace-window-ms " + window);
    CHECK(o.status == 2);
    CHECK(o.out.find("--trace-window-ms") != std::string::npos);
    CHECK_FALSE(fs::exists(trace));
  }
  const Outcome no_trace = kafkasim(kShort + "--trace-window-ms 1,2");
  CHECK(no_trace.status == 2);
  CHECK(no_trace.out.find("--trace-window-ms needs --trace FILE") != std::string::npos);
  const Outcome zero = kafkasim(kShort + "--series " + series + " --series-interval-ms 0");
  CHECK(zero.status == 2);
  CHECK_FALSE(fs::exists(series));
  const Outcome missing_dir = kafkasim(kShort + "--series /nonexistent-kafkasim-dir/s.csv");
  CHECK(missing_dir.status == 2);
  fs::remove_all(dir);
}

TEST_CASE("run --timeline: the flagship's story and each mode's verdict on stdout") {
  const Outcome o = kafkasim(kShort + "--acks async,isr --timeline");
  REQUIRE(o.status == 0);
  CHECK(o.out.find("Timeline, acks=async, seed 1:") != std::string::npos);
  CHECK(o.out.find("   10.000 s  broker-1 (it led orders-0) crashed") != std::string::npos);
  CHECK(o.out.find("orders-0 -> broker-3 (clean") != std::string::npos);
  CHECK(o.out.find("verdict, acks=async: ") != std::string::npos);
  CHECK(o.out.find("verdict, acks=isr: no acknowledged message lost") != std::string::npos);
}

TEST_CASE("run: progress goes to stderr only when it is a terminal") {
  // Into a pipe or a file: nothing but the table, however long the run.
  const fs::path dir = temp_dir();
  const Outcome piped =
      kafkasim("run " + kFlagship + " --seeds 2 --jobs 1 2>" + (dir / "err.txt").string());
  REQUIRE(piped.status == 0);
  CHECK(slurp(dir / "err.txt").empty());
  // On a terminal (script(1) gives the command a pseudo-terminal), a run of more than 2 s
  // shows the share simulated; the line is erased at the end.
  if (std::system("command -v script >/dev/null 2>&1") != 0) {
    MESSAGE("script(1) not found: the terminal half of this test is skipped");
    return;
  }
  const std::string inner =
      std::string(KAFKASIM_BINARY) + " run " + kFlagship + " --seeds 6 --jobs 1 > /dev/null";
  const std::string command =
      "script -qec '" + inner + "' /dev/null > " + (dir / "tty.txt").string() + " 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string tty = slurp(dir / "tty.txt");
  CHECK(tty.find("% simulated, ") != std::string::npos);
  CHECK(tty.find("of 18 run(s) done") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("run: any one output can be '-', written to stdout in place of the table") {
  const fs::path dir = temp_dir();
  // No warning on stderr (the fixture captures it with stdout): the crash ends within the run.
  const std::string quick = kShort + "--acks async,isr --set /faults/0/until_ms=14000 ";
  for (const std::string option : {"--json", "--csv", "--latency-csv", "--series", "--trace"}) {
    CAPTURE(option);
    const std::string file = (dir / "out.txt").string();
    const Outcome to_file = kafkasim(quick + option + " " + file);
    REQUIRE(to_file.status == 0);
    CHECK(to_file.out.find("lost acknowledged") != std::string::npos);  // the table
    const Outcome to_stdout = kafkasim(quick + option + " - --timeline");
    REQUIRE(to_stdout.status == 0);
    CHECK(to_stdout.out == slurp(file));  // the same bytes, and nothing else
    CHECK_FALSE(fs::exists("-"));         // not a file named "-"
  }
  const Outcome two = kafkasim(quick + "--csv - --json -");
  CHECK(two.status == 2);
  CHECK(two.out.find("only one output can be '-'") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("run: the table shows the records of each partition, or their range beyond sixteen") {
  // Lesson 4 reads a partitioner's spread off the table: each partition's records are its
  // leader's high watermark at the end (the JSON's partitions[].high_watermark).
  const Outcome few = kafkasim("run " + std::string(KAFKASIM_SOURCE_DIR) +
                               "/scenarios/partitioners.json --set /duration_ms=2000");
  REQUIRE(few.status == 0);
  CHECK(few.out.find("\nrecords in explicit-0 ") != std::string::npos);
  CHECK(few.out.find("\nrecords in sticky-3 ") != std::string::npos);
  // The explicit producer names partition 2: the others get nothing.
  const std::size_t explicit_1 = few.out.find("\nrecords in explicit-1 ");
  REQUIRE(explicit_1 != std::string::npos);
  const std::string row =
      few.out.substr(explicit_1 + 1, few.out.find('\n', explicit_1 + 1) - explicit_1 - 1);
  CHECK(row.ends_with(" 0"));
  const Outcome many = kafkasim(kShort + "--acks isr --set /topics/0/partitions=20");
  REQUIRE(many.status == 0);
  CHECK(many.out.find("records in orders-0 ") == std::string::npos);
  CHECK(many.out.find("\nrecords per partition, min-max ") != std::string::npos);
}
