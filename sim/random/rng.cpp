#include "kafkasim/random/rng.h"

namespace kafkasim {

// GCC and Clang both provide a 128-bit integer; __extension__ keeps -Wpedantic quiet about it.
__extension__ using Uint128 = unsigned __int128;

Rng::Rng(std::uint64_t seed) {
  SplitMix64 expander(seed);
  for (auto& word : s_)
    word = expander.next();
}

Rng Rng::stream(std::uint64_t seed, std::string_view name) {
  // Mix the name's hash through splitmix64 before combining with the seed, so that nearby
  // seeds and similar names do not give related states.
  SplitMix64 name_mixer(fnv1a64(name));
  return Rng(seed ^ name_mixer.next());
}

std::uint64_t Rng::below(std::uint64_t n) {
  // Lemire, "Fast Random Integer Generation in an Interval" (2019): multiply-shift with a
  // rejection step for the few values that would bias the result.
  Uint128 m = static_cast<Uint128>(next_u64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<Uint128>(next_u64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace kafkasim
