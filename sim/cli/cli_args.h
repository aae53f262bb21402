// Option values that `run` and `sweep` read alike: the --acks list and the output files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kafkasim/scenario/ack_mode.h"

namespace kafkasim::cli {

/// "async,isr" or Kafka's spellings "1,all"; nullopt after a message on stderr when a name is
/// unknown or the list is empty.
std::optional<std::vector<AckMode>> parse_modes(const std::string& list);

/// An output file that cannot be written is bad usage: false after a message on stderr when a
/// file's directory does not exist, so a long simulation is not run for nothing. Empty names
/// and "-" (stdout) are skipped.
bool output_directories_exist(const std::vector<std::string>& files);

}  // namespace kafkasim::cli
