// The one family of random generators. A run's seed and a stream name give a stream its own
// state, so that a draw in one part of the model (a producer's arrivals) never shifts the
// numbers another part sees (the network's latencies): common random numbers across the
// acknowledgement modes (SPEC.md "Determinism"; STYLE.md 3; TigerBeetle child seeds).
//
// xoshiro256** (Blackman and Vigna, 2018) is seeded through splitmix64, as its authors advise.
// Both are written out here rather than taken from <random>, whose engines are fine but whose
// distributions differ between standard libraries.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace kafkasim {

/// splitmix64: a tiny generator used to expand one 64-bit seed into many.
class SplitMix64 {
 public:
  explicit constexpr SplitMix64(std::uint64_t state) : state_(state) {}
  constexpr std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

/// xoshiro256**: the generator every random stream of the model uses.
class Rng {
 public:
  /// A generator whose 256-bit state is expanded from `seed` by splitmix64.
  explicit Rng(std::uint64_t seed);

  /// The generator of the stream `name` under the run's `seed`. Different names give
  /// statistically independent streams; the same (seed, name) always gives the same numbers.
  static Rng stream(std::uint64_t seed, std::string_view name);

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1) with 53 random bits: exactly representable, the same on every machine.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// Uniform integer in [0, n), n > 0, without modulo bias (Lemire's method).
  std::uint64_t below(std::uint64_t n);

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

/// 64-bit FNV-1a of a stream name: a stable hash, the same in every build (std::hash is not).
constexpr std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace kafkasim
