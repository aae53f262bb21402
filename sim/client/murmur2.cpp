#include "kafkasim/client/murmur2.h"

namespace kafkasim {

std::int32_t murmur2(std::span<const std::uint8_t> data) {
  // Utils.murmur2 in Java int arithmetic: unsigned 32-bit here, so that overflow wraps as in
  // Java, and >>> is the unsigned shift.
  const auto length = static_cast<std::uint32_t>(data.size());
  constexpr std::uint32_t seed = 0x9747b28cu;
  constexpr std::uint32_t m = 0x5bd1e995u;
  constexpr int r = 24;
  std::uint32_t h = seed ^ length;
  const std::uint32_t length4 = length / 4;
  for (std::uint32_t i = 0; i < length4; ++i) {
    const std::uint32_t i4 = i * 4;
    std::uint32_t k = data[i4] | (std::uint32_t{data[i4 + 1]} << 8) |
                      (std::uint32_t{data[i4 + 2]} << 16) | (std::uint32_t{data[i4 + 3]} << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const std::uint32_t tail = length & ~3u;
  switch (length % 4) {
    case 3:
      h ^= std::uint32_t{data[tail + 2]} << 16;
      [[fallthrough]];
    case 2:
      h ^= std::uint32_t{data[tail + 1]} << 8;
      [[fallthrough]];
    case 1:
      h ^= data[tail];
      h *= m;
      break;
    default:
      break;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<std::int32_t>(h);  // two's complement, as Java's int (C++20)
}

std::string key_text(std::int64_t key) {
  return "key-" + std::to_string(key);
}

std::int32_t partition_for_key_bytes(std::span<const std::uint8_t> key, std::int32_t partitions) {
  return to_positive(murmur2(key)) % partitions;
}

std::int32_t partition_for_key(std::int64_t key, std::int32_t partitions) {
  const std::string text = key_text(key);
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(text.data()),
                                            text.size());
  return partition_for_key_bytes(bytes, partitions);
}

}  // namespace kafkasim
