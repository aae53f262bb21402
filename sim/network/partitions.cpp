#include "kafkasim/network/partitions.h"

#include <stdexcept>
#include <string>

namespace kafkasim {

PartitionSet::PartitionSet(std::size_t endpoint_count)
    : endpoint_count_(endpoint_count), cuts_(endpoint_count * endpoint_count, 0) {}

PartitionHandle PartitionSet::add(const std::vector<std::vector<NodeId>>& sides) {
  std::vector<std::int32_t> side_of(endpoint_count_, -1);
  for (std::size_t side = 0; side < sides.size(); ++side) {
    for (const NodeId node : sides[side]) {
      if (node.value() >= endpoint_count_) {
        throw std::invalid_argument("partition: node " + std::to_string(node.value()) +
                                    " is not an endpoint");
      }
      std::int32_t& slot = side_of[node.value()];
      if (slot != -1 && slot != static_cast<std::int32_t>(side)) {
        throw std::invalid_argument("partition: node " + std::to_string(node.value()) +
                                    " is on two sides");
      }
      slot = static_cast<std::int32_t>(side);
    }
  }
  apply(side_of, +1);
  partitions_.push_back(Partition{std::move(side_of), true});
  return PartitionHandle(static_cast<std::uint32_t>(partitions_.size() - 1));
}

bool PartitionSet::heal(PartitionHandle handle) {
  if (handle.value() >= partitions_.size()) return false;
  Partition& partition = partitions_[handle.value()];
  if (!partition.active) return false;
  partition.active = false;
  apply(partition.side_of, -1);
  partition.side_of = {};
  return true;
}

// Counts the partition in (step +1) or out (step -1) of every pair it separates. Starting or
// healing costs O(E^2), once per fault; asking costs O(1), once per message.
void PartitionSet::apply(const std::vector<std::int32_t>& side_of, int step) {
  for (std::size_t a = 0; a < endpoint_count_; ++a) {
    if (side_of[a] < 0) continue;
    for (std::size_t b = 0; b < endpoint_count_; ++b) {
      if (side_of[b] < 0 || side_of[b] == side_of[a]) continue;
      std::uint16_t& count = cuts_[a * endpoint_count_ + b];
      count = static_cast<std::uint16_t>(count + step);
    }
  }
}

}  // namespace kafkasim
