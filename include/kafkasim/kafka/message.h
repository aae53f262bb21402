// Everything that crosses the simulated network: ZooKeeper's protocol and Kafka's, in one closed
// std::variant. Each node dispatches on it once and hands each alternative to one handler
// (STYLE.md 5).
#pragma once

#include <variant>

#include "kafkasim/core/type_list.h"
#include "kafkasim/kafka/protocol.h"
#include "kafkasim/zookeeper/protocol.h"

namespace kafkasim {

using Message = VariantOf<ConcatTypeLists<ZkMessages, KafkaApiMessages>::type>::type;

/// Bytes on the wire: record payloads count in full, the rest as a small fixed header. The
/// network charges size*8/bandwidth per hop.
std::uint32_t wire_size(const Message& message);

}  // namespace kafkasim
