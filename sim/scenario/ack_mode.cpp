#include "kafkasim/scenario/ack_mode.h"

namespace kafkasim {

std::optional<AckMode> parse_ack_mode(std::string_view text) {
  // Kafka's spellings come from ProducerConfig.java: in("all", "-1", "0", "1").
  if (text == "none" || text == "0") return AckMode::none;
  if (text == "async" || text == "1") return AckMode::async;
  if (text == "isr" || text == "all" || text == "-1") return AckMode::isr;
  if (text == "sync") return AckMode::sync;
  return std::nullopt;
}

std::string_view to_string(AckMode mode) {
  switch (mode) {
    case AckMode::none:
      return "none";
    case AckMode::async:
      return "async";
    case AckMode::isr:
      return "isr";
    case AckMode::sync:
      return "sync";
  }
  return "?";
}

}  // namespace kafkasim
