// Every input the scenario fuzzer crashed on (tests/data/fuzz/, one file each, named after what
// it found) is replayed through the fuzzer's own entry point, plus every shipped scenario (the
// fuzzer's seed corpus): each must now load, and if small enough run, without a crash, a
// sanitizer report (in the sanitizer build) or an exception.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scenario_input.h"

namespace {

std::vector<std::filesystem::path> files_in(const std::string& directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.is_regular_file() && entry.path().filename() != "README.md") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("every input the fuzzer crashed on is handled now") {
  const auto files = files_in(std::string(KAFKASIM_SOURCE_DIR) + "/tests/data/fuzz");
  REQUIRE(!files.empty());
  for (const auto& file : files) {
    INFO(file.string());
    CHECK_NOTHROW(kafkasim::fuzz::exercise_scenario_bytes(read(file)));
  }
}

TEST_CASE("the seed corpus (the shipped scenarios) goes through the fuzz entry point") {
  for (const auto& file : files_in(std::string(KAFKASIM_SOURCE_DIR) + "/scenarios")) {
    INFO(file.string());
    CHECK_NOTHROW(kafkasim::fuzz::exercise_scenario_bytes(read(file)));
  }
}
