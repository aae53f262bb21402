// The version of a znode: what ZooKeeper's conditional updates compare, and what Kafka keeps of a
// partition's state znode to update it conditionally. Its own header so that ZooKeeper's
// protocol and Kafka's can both use it without including each other.
#pragma once

#include <cstdint>

#include "kafkasim/core/strong_id.h"

namespace kafkasim {

using ZkVersion = StrongId<struct ZkVersionTag, std::int32_t>;

}  // namespace kafkasim
