#include "kafkasim/consumer/zk_group_dirs.h"

#include <charconv>

#include "kafkasim/kafka/zk_data.h"

namespace kafkasim {

std::string encode_consumer_registration(std::string_view topic, Instant now) {
  return R"({"version":1,"subscription":{")" + std::string(topic) +
         R"(":1},"pattern":"static","timestamp":")" + std::to_string(zk_timestamp_ms(now)) +
         R"("})";
}

std::optional<Offset> decode_committed_offset(std::string_view data) {
  Offset offset = 0;
  const auto [end, error] = std::from_chars(data.data(), data.data() + data.size(), offset);
  if (error != std::errc{} || end != data.data() + data.size() || offset < 0) return std::nullopt;
  return offset;
}

}  // namespace kafkasim
