// The group coordinator's consumer's assignors (ConsumerPartitionAssignor, Kafka 2.4):
// RoundRobinAssignor and StickyAssignor (AbstractStickyAssignor), run by the group's leader.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kafkasim/consumer/consumer_partition_assignor.h"

using namespace kafkasim;

namespace {

AssignorMember fresh(std::string id) {
  return AssignorMember{std::move(id), {}};
}

AssignorMember owning(std::string id, std::vector<std::int32_t> partitions,
                      std::int32_t generation) {
  return AssignorMember{std::move(id), SubscriptionUserData{std::move(partitions), generation}};
}

// Every partition to exactly one member.
bool valid(const GroupAssignment& a, std::int32_t partitions) {
  std::vector<int> seen(static_cast<std::size_t>(partitions), 0);
  for (const auto& owned : a)
    for (const std::int32_t p : owned)
      ++seen.at(static_cast<std::size_t>(p));
  return std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; });
}

bool balanced(const GroupAssignment& a) {
  const auto [lo, hi] = std::minmax_element(
      a.begin(), a.end(), [](const auto& x, const auto& y) { return x.size() < y.size(); });
  return hi->size() <= lo->size() + 1;
}

}  // namespace

TEST_CASE("RoundRobinAssignor: the partitions in order, dealt to the sorted members in turn") {
  CHECK(client_roundrobin_assign(3, 8) == GroupAssignment{{0, 3, 6}, {1, 4, 7}, {2, 5}});
  CHECK(client_roundrobin_assign(4, 2) == GroupAssignment{{0}, {1}, {}, {}});
  // Unlike the ZooKeeper consumer's, which orders partitions by the hash of "[topic,p]": for
  // "payments" the hashes of [payments,10] and [payments,11] overflow below the others', so it
  // deals 10 and 11 first.
  CHECK(client_roundrobin_assign(3, 12) ==
        GroupAssignment{{0, 3, 6, 9}, {1, 4, 7, 10}, {2, 5, 8, 11}});
  CHECK(roundrobin_assign({"a-0", "b-0", "c-0"}, "payments", 12) ==
        GroupAssignment{{1, 4, 7, 10}, {2, 5, 8, 11}, {0, 3, 6, 9}});
}

TEST_CASE("consumer_assign: range is RangeAssignor's arithmetic; the members sorted by id") {
  const std::vector<AssignorMember> members{fresh("a"), fresh("b"), fresh("c")};
  CHECK(consumer_assign(AssignmentStrategy::range, members, 8) ==
        GroupAssignment{{0, 1, 2}, {3, 4, 5}, {6, 7}});
  CHECK(consumer_assign(AssignmentStrategy::roundrobin, members, 8) ==
        GroupAssignment{{0, 3, 6}, {1, 4, 7}, {2, 5}});
  CHECK(consumer_assign(AssignmentStrategy::sticky, members, 8) ==
        GroupAssignment{{0, 3, 6}, {1, 4, 7}, {2, 5}});
}

TEST_CASE("StickyAssignor: a fresh group is dealt out evenly") {
  const GroupAssignment a = sticky_assign({fresh("C0"), fresh("C1"), fresh("C2")}, 8);
  CHECK(a == GroupAssignment{{0, 3, 6}, {1, 4, 7}, {2, 5}});
  CHECK(sticky_assign({fresh("C0")}, 3) == GroupAssignment{{0, 1, 2}});
  CHECK(sticky_assign({}, 3).empty());
}

TEST_CASE("StickyAssignor: when a member leaves, the others keep every partition they had") {
  // C1 (which had 1, 4, 7) is gone; range or round robin would move partitions of C0 and C2.
  const GroupAssignment a = sticky_assign({owning("C0", {0, 3, 6}, 1), owning("C2", {2, 5}, 1)}, 8);
  CHECK(a == GroupAssignment{{0, 3, 4, 6}, {1, 2, 5, 7}});
  CHECK(consumer_assign(AssignmentStrategy::range, {fresh("C0"), fresh("C2")}, 8) ==
        GroupAssignment{{0, 1, 2, 3}, {4, 5, 6, 7}});
}

TEST_CASE("StickyAssignor: a new member gets only what balance needs, one from each") {
  const GroupAssignment a =
      sticky_assign({owning("C0", {0, 1, 2, 3}, 2), owning("C1", {4, 5, 6, 7}, 2), fresh("C2")}, 8);
  CHECK(a == GroupAssignment{{1, 2, 3}, {5, 6, 7}, {0, 4}});
}

TEST_CASE("StickyAssignor: the latest generation's claim wins over a stale one") {
  // C1 reports generation 2's assignment; C0 already had 0 and 1 in generation 3.
  const GroupAssignment a =
      sticky_assign({owning("C0", {0, 1}, 3), owning("C1", {0, 1, 2, 3}, 2)}, 4);
  CHECK(a == GroupAssignment{{0, 1}, {2, 3}});
}

TEST_CASE("StickyAssignor: a partition that must move goes back to its previous owner first") {
  // Partition 3 was C2's in generation 4 and C0's in generation 5. C0 must give up three; 3
  // goes back to C2 although C1, with none, is the least loaded (performReassignments'
  // prevAssignment rule); the other two go to C1.
  const GroupAssignment a =
      sticky_assign({owning("C0", {0, 1, 2, 3, 4}, 5), fresh("C1"), owning("C2", {3, 5}, 4)}, 6);
  CHECK(a == GroupAssignment{{2, 4}, {0, 1}, {3, 5}});
}

TEST_CASE("StickyAssignor over random rebalances: valid, balanced, and no partition swapped") {
  // What Kafka's StickyAssignorTest checks after each assignment (verifyValidityAndBalance,
  // isSticky): every partition once, counts within one, and no two members that traded
  // partitions both ways in one rebalance. Plus: a member that keeps at least as many
  // partitions as it had loses none of them.
  std::mt19937 random(20240);
  for (int trial = 0; trial < 200; ++trial) {
    const auto partitions = static_cast<std::int32_t>(1 + random() % 24);
    std::vector<std::pair<std::string, std::vector<std::int32_t>>> group;  // sorted by id
    std::int32_t generation = 0;
    int next_id = 0;
    for (int round = 0; round < 8; ++round) {
      // Some leave, some join.
      std::vector<std::pair<std::string, std::vector<std::int32_t>>> next;
      for (auto& member : group)
        if (random() % 4 != 0) next.push_back(member);
      const auto joining = random() % 3;
      for (unsigned j = 0; j < joining || next.empty(); ++j) {
        char id[16];
        std::snprintf(id, sizeof id, "m%04d", next_id++);
        next.emplace_back(id, std::vector<std::int32_t>{});
      }
      std::sort(next.begin(), next.end());
      std::vector<AssignorMember> members;
      for (const auto& [id, owned] : next) {
        members.push_back(owned.empty() ? fresh(id) : owning(id, owned, generation));
      }
      const GroupAssignment a = sticky_assign(members, partitions);
      CAPTURE(trial);
      CAPTURE(round);
      REQUIRE(a.size() == next.size());
      CHECK(valid(a, partitions));
      CHECK(balanced(a));
      std::set<std::pair<std::size_t, std::size_t>> moves;  // (from, to)
      for (std::size_t to = 0; to < a.size(); ++to) {
        for (const std::int32_t p : a[to]) {
          for (std::size_t from = 0; from < next.size(); ++from) {
            const auto& had = next[from].second;
            if (from != to && std::find(had.begin(), had.end(), p) != had.end())
              moves.insert({from, to});
          }
        }
      }
      for (const auto& [from, to] : moves)
        CHECK_FALSE(moves.contains({to, from}));
      for (std::size_t m = 0; m < a.size(); ++m) {
        const auto& had = next[m].second;
        if (a[m].size() < had.size()) continue;
        for (const std::int32_t p : had)
          CHECK(std::find(a[m].begin(), a[m].end(), p) != a[m].end());
      }
      ++generation;
      for (std::size_t m = 0; m < a.size(); ++m)
        next[m].second = a[m];
      group = next;
    }
  }
}
