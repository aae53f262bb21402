// StickyAssignor for one topic to which every member subscribes: AbstractStickyAssignor.java
// (Kafka 2.4.0), its assign, prepopulateCurrentAssignments, sortPartitions, balance,
// performReassignments, reassignPartition and PartitionMovements, with the branches that only
// differing subscriptions reach (a member not subscribed to a partition's topic, a partition
// with fewer than two potential consumers) reduced to what they do for identical ones.
#include <algorithm>
#include <cassert>
#include <map>
#include <set>
#include <utility>

#include "kafkasim/consumer/consumer_partition_assignor.h"

namespace kafkasim {

namespace {

constexpr std::int32_t kDefaultGeneration = -1;  // AbstractStickyAssignor.DEFAULT_GENERATION
constexpr std::size_t kNoMember = static_cast<std::size_t>(-1);

// PartitionMovements: the moves made during this assignment, so that a partition moved from A
// to B is not answered by another partition moving from B to A (the pair would only swap them).
class PartitionMovements {
 public:
  std::int32_t actual_partition_to_move(std::int32_t partition, std::size_t old_member,
                                        std::size_t new_member) const {
    if (by_pair_.empty()) return partition;
    if (const auto moved = moves_.find(partition); moved != moves_.end()) {
      assert(moved->second.second == old_member);
      old_member = moved->second.first;
    }
    const auto reverse = by_pair_.find({new_member, old_member});
    if (reverse == by_pair_.end()) return partition;
    return *reverse->second.begin();  // Kafka: a HashSet's first; here the lowest
  }

  void move(std::int32_t partition, std::size_t old_member, std::size_t new_member) {
    if (const auto moved = moves_.find(partition); moved != moves_.end()) {
      const std::pair<std::size_t, std::size_t> existing = moved->second;
      erase(partition);
      assert(existing.second == old_member);
      // Moving back to where it came from undoes the move.
      if (existing.first != new_member) add(partition, {existing.first, new_member});
    } else {
      add(partition, {old_member, new_member});
    }
  }

 private:
  using Pair = std::pair<std::size_t, std::size_t>;  // (source member, destination member)
  void add(std::int32_t partition, Pair pair) {
    moves_[partition] = pair;
    by_pair_[pair].insert(partition);
  }
  void erase(std::int32_t partition) {
    const Pair pair = moves_.at(partition);
    moves_.erase(partition);
    auto& partitions = by_pair_.at(pair);
    partitions.erase(partition);
    if (partitions.empty()) by_pair_.erase(pair);
  }

  std::map<std::int32_t, Pair> moves_;
  std::map<Pair, std::set<std::int32_t>> by_pair_;
};

class StickyAssignment {
 public:
  StickyAssignment(const std::vector<AssignorMember>& members, std::int32_t partitions)
      : owned_(members.size()), owner_(static_cast<std::size_t>(partitions), kNoMember) {
    prepopulate(members, partitions);
  }

  GroupAssignment assign(std::int32_t partitions) {
    const bool fresh =
        std::all_of(owned_.begin(), owned_.end(), [](const auto& owned) { return owned.empty(); });
    std::vector<std::int32_t> sorted = sort_partitions(fresh, partitions);
    std::vector<std::int32_t> unassigned;
    for (const std::int32_t p : sorted)
      if (owner_[static_cast<std::size_t>(p)] == kNoMember) unassigned.push_back(p);
    balance(sorted, unassigned);
    GroupAssignment out = owned_;
    for (auto& owned : out)
      std::sort(owned.begin(), owned.end());
    return out;
  }

 private:
  // prepopulateCurrentAssignments: per partition, its claims by generation; the latest claim
  // is the current owner, the one before it the previous owner. Two claims of the same
  // generation: the first is kept (Kafka logs a warning and skips the other); a claim without a
  // generation counts as DEFAULT_GENERATION and replaces an earlier one without.
  void prepopulate(const std::vector<AssignorMember>& members, std::int32_t partitions) {
    std::vector<std::map<std::int32_t, std::size_t>> claims(static_cast<std::size_t>(partitions));
    for (std::size_t m = 0; m < members.size(); ++m) {
      const SubscriptionUserData& data = members[m].user_data;
      for (const std::int32_t p : data.owned_partitions) {
        assert(p >= 0 && p < partitions);
        auto& by_generation = claims[static_cast<std::size_t>(p)];
        if (data.generation && by_generation.contains(*data.generation)) continue;
        by_generation[data.generation.value_or(kDefaultGeneration)] = m;
      }
    }
    for (std::int32_t p = 0; p < partitions; ++p) {
      const auto& by_generation = claims[static_cast<std::size_t>(p)];
      if (by_generation.empty()) continue;
      auto latest = by_generation.rbegin();
      give(p, latest->second);
      if (++latest != by_generation.rend()) previous_owner_[p] = latest->second;
    }
  }

  // sortPartitions: the order in which partitions are offered for a move. A fresh assignment
  // takes them in order; a reassignment (every subscription the same) takes one partition of the
  // member with most in turn, preferring one that had a different owner before, so the moves
  // spread over the members.
  std::vector<std::int32_t> sort_partitions(bool fresh, std::int32_t partitions) const {
    std::vector<std::int32_t> sorted;
    if (!fresh) {
      std::vector<std::vector<std::int32_t>> remaining = owned_;
      for (auto& r : remaining)
        std::sort(r.begin(), r.end());
      std::set<std::pair<std::size_t, std::size_t>> by_count;  // (count, member)
      for (std::size_t m = 0; m < remaining.size(); ++m)
        by_count.insert({remaining[m].size(), m});
      while (!by_count.empty()) {
        const std::size_t m = std::prev(by_count.end())->second;  // pollLast: the most
        by_count.erase(std::prev(by_count.end()));
        auto& r = remaining[m];
        if (r.empty()) continue;
        auto pick = std::find_if(r.begin(), r.end(),
                                 [&](std::int32_t p) { return previous_owner_.contains(p); });
        if (pick == r.end()) pick = r.begin();
        sorted.push_back(*pick);
        r.erase(pick);
        by_count.insert({r.size(), m});
      }
    }
    for (std::int32_t p = 0; p < partitions; ++p)
      if (std::find(sorted.begin(), sorted.end(), p) == sorted.end()) sorted.push_back(p);
    return sorted;
  }

  // balance: give each unassigned partition to the member with fewest, then move partitions
  // while the counts differ by two or more; keep the result only if it is better balanced.
  void balance(const std::vector<std::int32_t>& sorted,
               const std::vector<std::int32_t>& unassigned) {
    if (owned_.empty()) return;
    const bool initializing = owned_[most_loaded()].empty();
    for (const std::int32_t p : unassigned)
      give(p, least_loaded());
    // With one member no partition has two potential consumers: every one is fixed.
    if (owned_.size() < 2) return;
    const std::vector<std::vector<std::int32_t>> before = owned_;
    const std::vector<std::size_t> owner_before = owner_;
    perform_reassignments(unassigned);  // no revocation is ever required: one topic for all
    const bool reassigned = perform_reassignments(sorted);
    if (!initializing && reassigned && balance_score(owned_) >= balance_score(before)) {
      owned_ = before;
      owner_ = owner_before;
    }
  }

  bool perform_reassignments(const std::vector<std::int32_t>& partitions) {
    bool performed = false;
    bool modified = false;
    do {
      modified = false;
      for (const std::int32_t p : partitions) {
        if (balanced()) break;
        const std::size_t member = owner_[static_cast<std::size_t>(p)];
        assert(member != kNoMember);
        if (const auto prev = previous_owner_.find(p);
            prev != previous_owner_.end() && size(member) > size(prev->second) + 1) {
          reassign(p, prev->second);
          performed = modified = true;
          continue;
        }
        for (std::size_t other = 0; other < owned_.size(); ++other) {
          if (size(member) > size(other) + 1) {
            reassign(p, least_loaded());
            performed = modified = true;
            break;
          }
        }
      }
    } while (modified);
    return performed;
  }

  void reassign(std::int32_t partition, std::size_t new_member) {
    const std::int32_t moved = movements_.actual_partition_to_move(
        partition, owner_[static_cast<std::size_t>(partition)], new_member);
    const std::size_t old_member = owner_[static_cast<std::size_t>(moved)];
    movements_.move(moved, old_member, new_member);
    auto& from = owned_[old_member];
    from.erase(std::find(from.begin(), from.end(), moved));
    give(moved, new_member);
  }

  void give(std::int32_t partition, std::size_t member) {
    owned_[member].push_back(partition);
    owner_[static_cast<std::size_t>(partition)] = member;
  }

  std::size_t size(std::size_t member) const { return owned_[member].size(); }
  // SubscriptionComparator: fewest partitions first, then member id (the members are sorted).
  std::size_t least_loaded() const {
    std::size_t best = 0;
    for (std::size_t m = 1; m < owned_.size(); ++m)
      if (size(m) < size(best)) best = m;
    return best;
  }
  std::size_t most_loaded() const {
    std::size_t best = 0;
    for (std::size_t m = 1; m < owned_.size(); ++m)
      if (size(m) >= size(best)) best = m;
    return best;
  }
  // isBalanced: with identical subscriptions, the counts differ by at most one.
  bool balanced() const { return size(least_loaded()) + 1 >= size(most_loaded()); }

  // getBalanceScore: the sum of |difference| over every pair of members.
  static std::size_t balance_score(const std::vector<std::vector<std::int32_t>>& owned) {
    std::size_t score = 0;
    for (std::size_t a = 0; a < owned.size(); ++a)
      for (std::size_t b = a + 1; b < owned.size(); ++b)
        score += owned[a].size() > owned[b].size() ? owned[a].size() - owned[b].size()
                                                   : owned[b].size() - owned[a].size();
    return score;
  }

  std::vector<std::vector<std::int32_t>> owned_;  // per member, in the order given
  std::vector<std::size_t> owner_;                // per partition, kNoMember if none
  std::map<std::int32_t, std::size_t> previous_owner_;
  PartitionMovements movements_;
};

}  // namespace

GroupAssignment sticky_assign(const std::vector<AssignorMember>& members, std::int32_t partitions) {
  assert(std::is_sorted(
      members.begin(), members.end(),
      [](const AssignorMember& a, const AssignorMember& b) { return a.member_id < b.member_id; }));
  if (members.empty()) return {};
  return StickyAssignment(members, partitions).assign(partitions);
}

}  // namespace kafkasim
