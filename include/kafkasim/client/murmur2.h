// Kafka's key hash and keyed partition choice (clients/.../common/utils/Utils.java murmur2 and
// toPositive; clients/.../producer/internals/DefaultPartitioner.java), bit for bit, so that a
// key lands on the partition a real Kafka 2.4 producer would pick.
//
// Keys. A scenario's key is an integer k in [0, keys). The model sends it as a Java application
// with a String key and StringSerializer would: the UTF-8 bytes of "key-<k>" (decimal, no
// padding), e.g. key 7 is the 5 bytes "key-7". Those bytes are hashed, and they count in the
// record's size.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace kafkasim {

/// Kafka's murmur2 (seed 0x9747b28c), as the Java int it returns.
std::int32_t murmur2(std::span<const std::uint8_t> data);

/// Utils.toPositive: clears the sign bit (not abs: toPositive(INT_MIN) is 0).
constexpr std::int32_t to_positive(std::int32_t number) {
  return number & 0x7fffffff;
}

/// The bytes a scenario key is sent as: "key-<k>".
std::string key_text(std::int64_t key);

/// DefaultPartitioner with a key: toPositive(murmur2(key bytes)) % partitions.
std::int32_t partition_for_key_bytes(std::span<const std::uint8_t> key, std::int32_t partitions);
std::int32_t partition_for_key(std::int64_t key, std::int32_t partitions);

}  // namespace kafkasim
