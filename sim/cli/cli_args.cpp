#include "cli_args.h"

#include <cassert>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <sstream>

#include "kafkasim/scenario/nearest_name.h"

namespace kafkasim::cli {

std::optional<std::vector<AckMode>> parse_modes(const std::string& list) {
  std::vector<AckMode> modes;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto mode = parse_ack_mode(item);
    if (!mode) {
      // Names only: a number one digit off ("2") is not a typo of 0 or 1.
      const std::string_view nearest =
          item.empty() ? "" : nearest_name(item, {"none", "async", "isr", "sync", "all"});
      const std::string hint =
          nearest.empty() ? "" : "; did you mean \"" + std::string(nearest) + "\"?";
      std::fprintf(stderr,
                   "kafkasim: --acks: unknown mode \"%s\" (expected none, async, isr, sync, "
                   "or Kafka's 0, 1, all, -1)%s\n",
                   item.c_str(), hint.c_str());
      return std::nullopt;
    }
    modes.push_back(*mode);
  }
  if (modes.empty()) {
    std::fputs("kafkasim: --acks: no mode given (expected e.g. --acks async,isr)\n", stderr);
    return std::nullopt;
  }
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
