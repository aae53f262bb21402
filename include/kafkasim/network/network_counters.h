// What the network did, for reports and tests (SPEC.md "events"-style counts).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kafkasim {

/// Why a message was not delivered.
enum class DropReason : std::uint8_t {
  /// The sender's process was down (a crashed node's code does not run; defensive).
  sender_down,
  /// Its connection was closed or reset before it arrived: the sender disconnected, either end
  /// crashed or lost power, or an earlier message on it was refused.
  connection_closed,
  /// It reached a host whose process was down: the kernel answered RST (connection refused).
  refused,
  /// It reached a host without power: it vanished.
  host_down,
  /// It was sent on a connection the other host forgot when it lost power: the rebooted kernel
  /// answered RST.
  reset,
};
inline constexpr std::size_t kDropReasonCount = 5;

constexpr std::string_view to_string(DropReason reason) {
  switch (reason) {
    case DropReason::sender_down:
      return "sender_down";
    case DropReason::connection_closed:
      return "connection_closed";
    case DropReason::refused:
      return "refused";
    case DropReason::host_down:
      return "host_down";
    case DropReason::reset:
      return "reset";
  }
  return "unknown";
}

struct NetworkCounters {
  /// Messages handed to the network by endpoints (notices not included).
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;
  /// Times a message was held: at a partition, or in the kernel of a paused node. A message
  /// held twice counts twice.
  std::uint64_t held = 0;
  std::array<std::uint64_t, kDropReasonCount> dropped{};
  /// Connection-loss notices (on_disconnected) the network generated, delivered, and lost
  /// (stale, or their recipient was down).
  std::uint64_t notices_sent = 0;
  std::uint64_t notices_delivered = 0;
  std::uint64_t notices_dropped = 0;

  std::uint64_t dropped_for(DropReason reason) const {
    return dropped[static_cast<std::size_t>(reason)];
  }
};

}  // namespace kafkasim
