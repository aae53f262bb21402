#include "cli_args.h"

#include <cassert>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "kafkasim/run/run_plan.h"

namespace kafkasim::cli {

std::optional<std::vector<AckMode>> parse_modes(const std::string& list) {
  std::string error;
  auto modes = parse_ack_modes(list, error);
  if (!modes) std::fprintf(stderr, "kafkasim: %s\n", error.c_str());
  return modes;
}

bool seeds_in_range(std::uint64_t first_seed, std::uint64_t seeds) {
  assert(seeds >= 1);
  if (seeds - 1 <= std::numeric_limits<std::uint64_t>::max() - first_seed) return true;
  std::fprintf(stderr,
               "kafkasim: --seeds %llu from seed %llu: the last seed would pass "
               "18446744073709551615 (the largest); start lower\n",
               static_cast<unsigned long long>(seeds), static_cast<unsigned long long>(first_seed));
  return false;
}

bool output_directories_exist(const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    if (file.empty() || file == "-") continue;
    const std::filesystem::path parent = std::filesystem::path(file).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent)) {
      std::fprintf(stderr, "kafkasim: cannot write %s: no directory %s\n", file.c_str(),
                   parent.string().c_str());
      return false;
    }
  }
  return true;
}

}  // namespace kafkasim::cli
