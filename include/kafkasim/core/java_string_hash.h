#pragma once
// java.lang.String.hashCode, which Kafka's clients and brokers use where a string picks a slot:
// RoundRobinAssignor's partition order (consumer) and GroupMetadataManager.partitionFor, the
// group's __consumer_offsets partition (kafka).

#include <cstdint>
#include <string_view>

namespace kafkasim {

/// java.lang.String.hashCode for ASCII text (one char per byte): s[0]*31^(n-1) + ... + s[n-1],
/// in 32-bit two's complement.
inline std::int32_t java_string_hash(std::string_view text) {
  std::uint32_t hash = 0;
  for (const char c : text)
    hash = hash * 31u + static_cast<std::uint8_t>(c);
  return static_cast<std::int32_t>(hash);
}

}  // namespace kafkasim
