// Distinct integer types for distinct identities, so that a broker id can never be passed where
// an offset is expected (STYLE.md 6; Redpanda named_type).
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace kafkasim {

template <class Tag, class Rep>
class StrongId {
 public:
  using rep_type = Rep;
  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep value) : value_(value) {}
  constexpr Rep value() const { return value_; }
  constexpr auto operator<=>(const StrongId&) const = default;

 private:
  Rep value_{};
};

/// An actor registered with the engine (a broker, ZooKeeper, a client, the network).
using ActorId = StrongId<struct ActorIdTag, std::uint32_t>;
/// A node of the network graph: a broker, `zookeeper`, a client or a switch.
using NodeId = StrongId<struct NodeIdTag, std::uint32_t>;
/// Kafka's broker.id (1..N by default).
using BrokerId = StrongId<struct BrokerIdTag, std::int32_t>;

}  // namespace kafkasim

template <class Tag, class Rep>
struct std::hash<kafkasim::StrongId<Tag, Rep>> {
  std::size_t operator()(kafkasim::StrongId<Tag, Rep> id) const noexcept {
    return std::hash<Rep>{}(id.value());
  }
};
