// A student's mistakes on the command line get the help a scenario typo gets (issue 14): the
// nearest option or command, Kafka's acks values understood and documented, and JSON's missing
// comments and trailing commas explained. Each ends with exit 2 and runs nothing.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_fixture.h"

namespace {

using kafkasim_test::kafkasim;
using kafkasim_test::kFlagship;
using kafkasim_test::Outcome;
using kafkasim_test::refused;
using kafkasim_test::temp_dir;
namespace fs = std::filesystem;

}  // namespace

TEST_CASE("a mistyped option: the nearest option of that command") {
  refused("run " + kFlagship + " --ack all",
          "kafkasim run: unknown option --ack; did you mean --acks?");
  refused("run " + kFlagship + " --ack=all", "unknown option --ack; did you mean --acks?");
  refused("run --seeed 3 " + kFlagship, "unknown option --seeed; did you mean --seed?");
  refused("run " + kFlagship + " --timelime", "did you mean --timeline?");
  refused("validate " + kFlagship + " --max-message 5",
          "kafkasim validate: unknown option "
          "--max-message; did you mean "
          "--max-messages?");
  refused("sweep " + kFlagship + " --vary /seed=1 --shards 1/2", "did you mean --shard?");
  refused("bench hold --event 5",
          "kafkasim bench hold: unknown option --event; did you mean "
          "--events?");
  // Nothing near: no guess, and where to look.
  const std::string out =
      refused("run " + kFlagship + " --frobnicate", "kafkasim run: unknown option --frobnicate\n");
  CHECK(out.find("Run 'kafkasim run --help' for its options.") != std::string::npos);
}

TEST_CASE("a mistyped command: the nearest command, or the list") {
  refused("runn " + kFlagship, "kafkasim: unknown command \"runn\"; did you mean \"run\"?");
  refused("valdiate " + kFlagship, "did you mean \"validate\"?");
  refused("swep " + kFlagship, "did you mean \"sweep\"?");
  refused("bench hodl", "kafkasim bench: unknown command \"hodl\"; did you mean \"hold\"?");
  refused("frobnicate",
          "kafkasim: unknown command \"frobnicate\" (commands: run, validate, "
          "bench, sweep)");
  refused("run " + kFlagship + " " + kFlagship, "kafkasim run: unexpected argument");
  // No command at all keeps CLI11's words.
  refused("", "A subcommand is required");
}

TEST_CASE("a mistake among others: both are told") {
  const std::string out = refused("run --ack", "scenario is required");
  CHECK(out.find("unknown option --ack; did you mean --acks?") != std::string::npos);
}

TEST_CASE("--acks: Kafka's values 0, 1, all (and -1) are the modes none, async, isr") {
  const std::string tiny = "run " + kFlagship +
                           " --set /duration_ms=200 --set /settle_ms=0 --set /faults=[] "
                           "--set /producers/0/rate_changes=[] --csv - --acks ";
  const Outcome kafka = kafkasim(tiny + "0,1,all,-1");
  const Outcome ours = kafkasim(tiny + "none,async,isr,isr");
  CHECK(kafka.status == 0);
  CHECK(kafka.out == ours.out);
  CHECK(kafka.out.find(",none,") != std::string::npos);
  // --help says which is which.
  const Outcome help = kafkasim("run --help");
  CHECK(help.out.find("or Kafka's acks values: 0 (= none), 1 (= async), all or -1 (= isr)") !=
        std::string::npos);
  CHECK(kafkasim("sweep --help").out.find("0 (= none), 1 (= async), all or -1 (= isr)") !=
        std::string::npos);
  // A mistyped mode gets the nearest; a number that is not an acks value gets none.
  refused("run " + kFlagship + " --acks asnyc",
          "unknown mode \"asnyc\" (expected none, async, "
          "isr, sync, or Kafka's 0, 1, all, -1); did you "
          "mean \"async\"?");
  const std::string two = refused("run " + kFlagship + " --acks 2", "unknown mode \"2\"");
  CHECK(two.find("did you mean") == std::string::npos);
}

TEST_CASE("malformed JSON: comments and trailing commas are explained") {
  const fs::path dir = temp_dir();
  const fs::path comment = dir / "comment.json";
  std::ofstream(comment) << "{\n  // my first scenario\n  \"name\": \"x\"\n}\n";
  refused("validate " + comment.string(),
          comment.string() +
              ":2:3: malformed JSON: syntax error while parsing object key - "
              "invalid literal; last read: '{<U+000A>  /'; expected string "
              "literal; JSON has no comments: delete this one (a scenario's "
              "notes go in \"description\")");
  const fs::path comma = dir / "comma.json";
  std::ofstream(comma) << "{\n  \"name\": \"x\",\n  \"duration_ms\": 1000,\n}\n";
  refused("run " + comma.string(), comma.string() + ":4:1: malformed JSON: ");
  refused("run " + comma.string(),
          "; JSON allows no comma after the last item of an object or array: delete it");
}
