#include "cli_args.h"

#include <cstdio>
#include <filesystem>
#include <sstream>

namespace kafkasim::cli {

std::optional<std::vector<AckMode>> parse_modes(const std::string& list) {
  std::vector<AckMode> modes;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto mode = parse_ack_mode(item);
    if (!mode) {
      std::fprintf(stderr,
                   "kafkasim: --acks: unknown mode \"%s\" (expected none, async, isr, sync, "
                   "or 0, 1, all, -1)\n",
                   item.c_str());
      return std::nullopt;
    }
    modes.push_back(*mode);
  }
  if (modes.empty()) return std::nullopt;
  return modes;
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
