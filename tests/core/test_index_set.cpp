// IndexSet: the flags and the sorted member list must agree after any sequence of changes, or
// a replica fetcher would leave out (or answer for) a partition it follows.
#include "kafkasim/core/index_set.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <vector>

using kafkasim::IndexSet;

namespace {

/// Every way of asking agrees with `expected`.
void check_same(const IndexSet& set, const std::set<std::uint32_t>& expected) {
  CHECK(set.size() == expected.size());
  CHECK(set.empty() == expected.empty());
  CHECK(set.members() == std::vector<std::uint32_t>(expected.begin(), expected.end()));
  for (std::size_t i = 0; i < set.capacity(); ++i)
    CHECK(set.contains(i) == expected.contains(static_cast<std::uint32_t>(i)));
}

}  // namespace

TEST_CASE("IndexSet lists its members in ascending order whatever the order they came in") {
  IndexSet set(10);
  CHECK(set.insert(7));
  CHECK(set.insert(2));
  CHECK(set.insert(9));
  CHECK_FALSE(set.insert(2));  // already there: no duplicate
  check_same(set, {2, 7, 9});
  CHECK(set.erase(7));
  CHECK_FALSE(set.erase(7));
  CHECK_FALSE(set.erase(0));
  check_same(set, {2, 9});
  set.clear();
  check_same(set, {});
  CHECK(set.insert(0));
  check_same(set, {0});
}

TEST_CASE("IndexSet agrees with std::set over random inserts and erases") {
  std::uint64_t state = 1;  // a fixed linear congruential sequence (Knuth's MMIX constants)
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  };
  IndexSet set(64);
  std::set<std::uint32_t> expected;
  for (int step = 0; step < 2000; ++step) {
    const std::uint32_t index = next() % 64;
    if (next() % 3 == 0) {
      CHECK(set.erase(index) == (expected.erase(index) == 1));
    } else {
      CHECK(set.insert(index) == expected.insert(index).second);
    }
    if (step % 100 == 0) check_same(set, expected);
  }
  check_same(set, expected);
}
