// "Did you mean ...?" for unknown keys, config names and node names.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace kafkasim {

/// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions, each
/// substring edited at most once): the number of insertions, deletions, substitutions and
/// swaps of neighbours that turn `a` into `b`.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `name`, or "" if none is close enough to be a plausible typo
/// (distance at most max(2, a third of the name's length)). Ties go to the first candidate,
/// so callers list candidates in a fixed order.
std::string_view nearest_name(std::string_view name,
                              const std::vector<std::string_view>& candidates);

}  // namespace kafkasim
