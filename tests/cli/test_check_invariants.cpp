// `kafkasim run --check-invariants`: the flagship runs clean with the checks on, and the flag
// changes nothing else in what the user sees.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include <sys/wait.h>

namespace {

struct Outcome {
  int status = -1;
  std::string out;
};

/// Runs kafkasim with `args` (a shell fragment), stdout and stderr captured together.
Outcome kafkasim(const std::string& args) {
  const std::string command = std::string(KAFKASIM_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  Outcome outcome;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr)
    outcome.out += buffer;
  const int raw = pclose(pipe);
  outcome.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return outcome;
}

const std::string kFlagship = std::string(KAFKASIM_SOURCE_DIR) + "/scenarios/leader-crash.json";

}  // namespace

TEST_CASE("run --check-invariants: exit 0 and the same table as without it") {
  const std::string args = "run " + kFlagship + " --acks none,async,isr,sync --jobs 2";
  const Outcome plain = kafkasim(args);
  const Outcome checked = kafkasim(args + " --check-invariants");
  CHECK(plain.status == 0);
  CHECK(checked.status == 0);
  CHECK(checked.out == plain.out);
}

TEST_CASE("run --help lists --check-invariants") {
  const Outcome o = kafkasim("run --help");
  CHECK(o.status == 0);
  CHECK(o.out.find("--check-invariants") != std::string::npos);
}
