// Network partitions (SPEC.md fault `partition`): nodes on different sides of an active
// partition cannot reach each other; nodes on no side reach everyone. Several partitions may be
// active at once, each with its own handle; a pair is cut while any active partition separates
// it. Only reachability lives here: what happens to the messages that cannot pass is Network's
// business.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kafkasim/core/strong_id.h"

namespace kafkasim {

/// Names one partition, to heal it.
using PartitionHandle = StrongId<struct PartitionHandleTag, std::uint32_t>;

class PartitionSet {
 public:
  explicit PartitionSet(std::size_t endpoint_count);

  /// Starts a partition between the given sides of endpoints. Throws std::invalid_argument when
  /// a node is not an endpoint or appears on two sides.
  PartitionHandle add(const std::vector<std::vector<NodeId>>& sides);
  /// Ends it; returns false when the handle is unknown or already healed.
  bool heal(PartitionHandle handle);

  /// Whether some active partition separates a from b (symmetric). O(1): the send path asks.
  bool cut(NodeId a, NodeId b) const { return cuts_[a.value() * endpoint_count_ + b.value()] != 0; }

 private:
  void apply(const std::vector<std::int32_t>& side_of, int step);

  struct Partition {
    std::vector<std::int32_t> side_of;  // per endpoint: its side's index, or -1 for none
    bool active = true;
  };
  std::size_t endpoint_count_;
  std::vector<Partition> partitions_;  // by handle
  /// cuts_[a*E + b]: how many active partitions separate a and b.
  std::vector<std::uint16_t> cuts_;
};

}  // namespace kafkasim
