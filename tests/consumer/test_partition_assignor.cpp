// PartitionAssignor.scala's two assignors and the consumer group's znode codecs.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "kafkasim/consumer/partition_assignor.h"
#include "kafkasim/consumer/zk_group_dirs.h"
#include "kafkasim/core/java_string_hash.h"

using namespace kafkasim;

TEST_CASE("range: the example of RangeAssignor's comment") {
  // Two consumers C1 and C2 with two streams each, five partitions:
  // p0 -> C1-0, p1 -> C1-0, p2 -> C1-1, p3 -> C2-0, p4 -> C2-1.
  const GroupAssignment a = range_assign({"C1-0", "C1-1", "C2-0", "C2-1"}, 5);
  CHECK(a == GroupAssignment{{0, 1}, {2}, {3}, {4}});
}

TEST_CASE("range: more threads than partitions leaves the last ones idle") {
  const GroupAssignment a = range_assign({"a-0", "b-0", "c-0"}, 2);
  CHECK(a == GroupAssignment{{0}, {1}, {}});
  CHECK(range_assign({}, 4).empty());
}

TEST_CASE("roundrobin: partitions dealt in the order of their Java hash codes") {
  // java.lang.String.hashCode reference values.
  CHECK(java_string_hash("") == 0);
  CHECK(java_string_hash("hello") == 99162322);
  CHECK(java_string_hash("Aa") == java_string_hash("BB"));
  CHECK(java_string_hash("[orders,0]") == -1093576615);
  const std::vector<std::string> threads{"g_a-0", "g_b-0"};
  const GroupAssignment a = roundrobin_assign(threads, "orders", 5);
  // Every partition exactly once, counts within one of each other.
  std::set<std::int32_t> all;
  for (const auto& owned : a)
    all.insert(owned.begin(), owned.end());
  CHECK(all.size() == 5);
  CHECK(a[0].size() + a[1].size() == 5);
  CHECK((a[0].size() == 3 || a[1].size() == 3));
  // The order is the hash order, not partition order: [orders,0] ... [orders,4] hash in
  // increasing order with the last character, so here it is 0, 1, 2, 3, 4 dealt in turn.
  CHECK(a == GroupAssignment{{0, 2, 4}, {1, 3}});
  CHECK(assign_partitions(AssignmentStrategy::roundrobin, threads, "orders", 5) == a);
  CHECK(assign_partitions(AssignmentStrategy::range, threads, "orders", 5) ==
        GroupAssignment{{0, 1, 2}, {3, 4}});
}

TEST_CASE("the group's znodes and their data") {
  const ZkGroupTopicDirs dirs{{"billing"}, "orders"};
  CHECK(dirs.consumer_registry_dir() == "/consumers/billing/ids");
  CHECK(dirs.owner_path(3) == "/consumers/billing/owners/orders/3");
  CHECK(dirs.offset_path(0) == "/consumers/billing/offsets/orders/0");
  CHECK(
      encode_consumer_registration("orders", Instant::start() + std::chrono::milliseconds(2500)) ==
      R"({"version":1,"subscription":{"orders":1},"pattern":"static","timestamp":"2500"})");
  CHECK(decode_committed_offset("1234") == 1234);
  CHECK(decode_committed_offset("0") == 0);
  CHECK_FALSE(decode_committed_offset("-1").has_value());
  CHECK_FALSE(decode_committed_offset("12a").has_value());
  CHECK_FALSE(decode_committed_offset("").has_value());
}
