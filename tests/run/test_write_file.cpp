// Output files are written whole or not at all (SPEC.md "Output files"): write_file_atomically
// writes a unique temporary in the target's directory, fsyncs it and renames it.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "kafkasim/run/report.h"

using namespace kafkasim;

namespace {

std::filesystem::path fresh_directory(const char* name) {
  const auto directory = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  return directory;
}

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t entries(const std::filesystem::path& directory) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(directory))
    ++n;
  return n;
}

}  // namespace

TEST_CASE("a file is replaced whole, and no temporary is left behind") {
  const auto directory = fresh_directory("kafkasim-test-write-file");
  const auto file = directory / "report.json";
  write_file_atomically(file.string(), "first\n");
  write_file_atomically(file.string(), std::string(1 << 20, 'x'));
  CHECK(read(file) == std::string(1 << 20, 'x'));
  CHECK(entries(directory) == 1);
  std::filesystem::remove_all(directory);
}

TEST_CASE("a file that cannot be written leaves nothing and says why") {
  const auto directory = fresh_directory("kafkasim-test-write-file-missing");
  const auto file = directory / "no-such-directory" / "report.csv";
  CHECK_THROWS_AS(write_file_atomically(file.string(), "x"), std::runtime_error);
  CHECK(entries(directory) == 0);
  // The target is a directory: the rename fails, and the temporary goes.
  std::filesystem::create_directories(directory / "taken");
  CHECK_THROWS_AS(write_file_atomically((directory / "taken").string(), "x"), std::runtime_error);
  CHECK(entries(directory) == 1);  // "taken" alone
  std::filesystem::remove_all(directory);
}
