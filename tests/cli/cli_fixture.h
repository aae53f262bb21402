// Running the real kafkasim executable from a test: its exit status and what it printed.
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace kafkasim_test {

struct Outcome {
  int status = -1;
  std::string out;
};

/// Runs kafkasim with `args` (a shell fragment), stdout and stderr captured together.
inline Outcome kafkasim(const std::string& args) {
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

/// Runs kafkasim with `args` and expects bad input: exit 2, `message` in what it printed, no
/// internal error and no table (nothing ran). Returns what it printed.
inline std::string refused(const std::string& args, const std::string& message) {
  const Outcome o = kafkasim(args);
  INFO("kafkasim " << args << "\n" << o.out);
  CHECK(o.status == 2);
  CHECK(o.out.find(message) != std::string::npos);
  CHECK(o.out.find("internal error") == std::string::npos);
  CHECK(o.out.find("lost acknowledged") == std::string::npos);
  return o.out;
}

/// A fresh directory for one test executable's files (its process id in the name).
inline std::filesystem::path temp_dir() {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("kafkasim-cli-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The flagship scenario, as the tests run it from the source tree.
inline const std::string kFlagship =
    std::string(KAFKASIM_SOURCE_DIR) + "/scenarios/leader-crash.json";

/// `run` of the flagship shortened to 15 s (+ 10 s of settling), keeping the leader crash at
/// 10 s and moving the partition into the run, so that the tests stay quick.
inline const std::string kShortFlagshipRun =
    "run " + kFlagship +
    " --set /duration_ms=15000 --set /settle_ms=10000 "
    "--set /producers/0/rate_changes=[] --set /faults/1/at_ms=12000 "
    "--set /faults/1/until_ms=13000 ";

}  // namespace kafkasim_test
