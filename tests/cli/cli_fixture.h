// Running the real kafkasim executable from a test: its exit status and what it printed.
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include <sys/wait.h>

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

/// A scratch directory for this test process, created if missing: <tmp>/<prefix>-<pid>.
inline std::filesystem::path temp_dir(const std::string& prefix) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

/// A whole file's bytes ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The flagship scenario, as the tests run it from the source tree.
inline const std::string kFlagship =
    std::string(KAFKASIM_SOURCE_DIR) + "/scenarios/leader-crash.json";

}  // namespace kafkasim_test
