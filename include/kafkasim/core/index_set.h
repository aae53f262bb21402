// A set of small dense indices (a partition's ClusterLayout::partition_index, say) with O(1)
// membership and iteration in ascending order over the members only: what a sorted std::set
// gives, without a tree search per look-up, for loops that must visit a few members of a large
// key space in a fixed order (the replica fetcher's partitions, a producer's non-empty queues).
//
// Two structures that must agree: a flag per index and the sorted list of members. insert and
// erase keep both; insert and erase cost O(members) (the list shifts), contains O(1).
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <vector>

namespace kafkasim {

class IndexSet {
 public:
  IndexSet() = default;
  /// A set of indices below `capacity`, empty.
  explicit IndexSet(std::size_t capacity) : present_(capacity, false) {}

  std::size_t capacity() const { return present_.size(); }
  bool contains(std::size_t index) const {
    assert(index < present_.size());
    return present_[index];
  }
  /// Adds `index`; returns false if it was there.
  bool insert(std::size_t index) {
    assert(index < present_.size());
    if (present_[index]) return false;
    present_[index] = true;
    const auto member = static_cast<std::uint32_t>(index);
    members_.insert(std::lower_bound(members_.begin(), members_.end(), member), member);
    return true;
  }
  /// Removes `index`; returns false if it was not there.
  bool erase(std::size_t index) {
    assert(index < present_.size());
    if (!present_[index]) return false;
    present_[index] = false;
    const auto member = static_cast<std::uint32_t>(index);
    const auto it = std::lower_bound(members_.begin(), members_.end(), member);
    assert(it != members_.end() && *it == member);
    members_.erase(it);
    return true;
  }
  void clear() {
    for (const std::uint32_t member : members_)
      present_[member] = false;
    members_.clear();
  }

  bool empty() const { return members_.empty(); }
  std::size_t size() const { return members_.size(); }
  /// The members, ascending.
  const std::vector<std::uint32_t>& members() const { return members_; }
  std::vector<std::uint32_t>::const_iterator begin() const { return members_.begin(); }
  std::vector<std::uint32_t>::const_iterator end() const { return members_.end(); }

 private:
  std::vector<bool> present_;
  std::vector<std::uint32_t> members_;  // sorted, no duplicates; present_[m] for each m
};

}  // namespace kafkasim
