// Option values that `run` and `sweep` read alike: the --acks list, the seeds and the output
// files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafkasim/scenario/ack_mode.h"

namespace kafkasim::cli {

/// The help of --acks. Kafka's acks values are accepted as they are spelt in a producer's
/// configuration (ack_mode.h); `sync` has none.
inline constexpr const char* kAcksHelp =
    "modes to compare, comma separated: none, async, isr, sync; or Kafka's acks values: "
    "0 (= none), 1 (= async), all or -1 (= isr)";

/// "async,isr" or Kafka's spellings "1,all"; nullopt after a message on stderr (with the nearest
/// mode's name) when a name is unknown or the list is empty.
std::optional<std::vector<AckMode>> parse_modes(const std::string& list);

/// --seed N with --seeds M runs the seeds N, N+1, ..., N+M-1: false after a message on stderr
/// when the last would pass 2^64 - 1 (and wrap around to 0).
bool seeds_in_range(std::uint64_t first_seed, std::uint64_t seeds);

/// An output file that cannot be written is bad usage: false after a message on stderr when a
/// file's directory does not exist, so a long simulation is not run for nothing. Empty names
/// and "-" (stdout) are skipped.
bool output_directories_exist(const std::vector<std::string>& files);

}  // namespace kafkasim::cli
