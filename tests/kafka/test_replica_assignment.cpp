// Replica assignment: Kafka's own expectations (AdminTest, AdminRackAwareTest and its
// RackAwareTest.checkReplicaDistribution, core/src/test/scala/unit/kafka/admin/) and properties
// over many seeds.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "kafkasim/kafka/replica_assignment.h"

using namespace kafkasim;

namespace {

using Assignment = std::vector<std::vector<BrokerId>>;

std::vector<BrokerId> ids(std::initializer_list<std::int32_t> values) {
  std::vector<BrokerId> result;
  for (const std::int32_t v : values)
    result.emplace_back(v);
  return result;
}

/// RackAwareTest.toBrokerMetadata: brokers sorted by id.
std::vector<BrokerSpec> with_racks(const std::map<std::int32_t, std::string>& rack_of) {
  std::vector<BrokerSpec> brokers;
  for (const auto& [id, rack] : rack_of)
    brokers.push_back(BrokerSpec{BrokerId(id), rack});
  return brokers;
}

std::vector<BrokerSpec> without_racks(std::int32_t first, std::int32_t last) {
  std::vector<BrokerSpec> brokers;
  for (std::int32_t id = first; id <= last; ++id)
    brokers.push_back(BrokerSpec{BrokerId(id), {}});
  return brokers;
}

struct Distribution {
  std::map<std::size_t, std::vector<std::string>> partition_racks;
  std::map<BrokerId, int> leader_count;
  std::map<BrokerId, int> replica_count;
};

/// RackAwareTest.getReplicaDistribution.
Distribution distribution_of(const Assignment& assignment,
                             const std::map<std::int32_t, std::string>& rack_of) {
  Distribution d;
  for (std::size_t p = 0; p < assignment.size(); ++p) {
    ++d.leader_count[assignment[p].front()];
    for (const BrokerId b : assignment[p]) {
      ++d.replica_count[b];
      d.partition_racks[p].push_back(rack_of.at(b.value()));
    }
  }
  return d;
}

std::size_t distinct(const std::vector<std::string>& racks) {
  return std::set<std::string>(racks.begin(), racks.end()).size();
}

struct Verify {
  bool rack_aware = true;
  bool leader_distribution = true;
  bool replicas_distribution = true;
};

/// RackAwareTest.checkReplicaDistribution.
void check_replica_distribution(const Assignment& assignment,
                                const std::map<std::int32_t, std::string>& rack_of, int num_brokers,
                                int num_partitions, int replication_factor, Verify verify = {}) {
  REQUIRE(assignment.size() == static_cast<std::size_t>(num_partitions));
  for (const std::vector<BrokerId>& replicas : assignment)
    CHECK(std::set<BrokerId>(replicas.begin(), replicas.end()).size() == replicas.size());
  const Distribution d = distribution_of(assignment, rack_of);
  if (verify.rack_aware) {
    for (const auto& [p, racks] : d.partition_racks)
      CHECK(distinct(racks) == static_cast<std::size_t>(replication_factor));
  }
  if (verify.leader_distribution) {
    CHECK(d.leader_count.size() == static_cast<std::size_t>(num_brokers));
    for (const auto& [broker, count] : d.leader_count)
      CHECK(count == num_partitions / num_brokers);
  }
  if (verify.replicas_distribution) {
    CHECK(d.replica_count.size() == static_cast<std::size_t>(num_brokers));
    for (const auto& [broker, count] : d.replica_count)
      CHECK(count == num_partitions * replication_factor / num_brokers);
  }
}

const std::map<std::int32_t, std::string> kSixBrokersThreeRacks = {
    {0, "rack1"}, {1, "rack2"}, {2, "rack2"}, {3, "rack3"}, {4, "rack3"}, {5, "rack1"}};

}  // namespace

TEST_CASE("AdminTest.testReplicaAssignment: the rack-unaware layout from a fixed start") {
  const std::vector<BrokerSpec> brokers = without_racks(0, 4);
  Rng rng(1);
  CHECK_THROWS_AS(assign_replicas_to_brokers(brokers, 10, 0, rng), std::invalid_argument);
  CHECK_THROWS_AS(assign_replicas_to_brokers(brokers, 10, 6, rng), std::invalid_argument);
  const Assignment expected = {ids({0, 1, 2}), ids({1, 2, 3}), ids({2, 3, 4}), ids({3, 4, 0}),
                               ids({4, 0, 1}), ids({0, 2, 3}), ids({1, 3, 4}), ids({2, 4, 0}),
                               ids({3, 0, 1}), ids({4, 1, 2})};
  CHECK(assign_replicas_to_brokers(brokers, 10, 3, rng, 0) == expected);
}

TEST_CASE("preconditions are Kafka's") {
  Rng rng(1);
  CHECK_THROWS_AS(assign_replicas_to_brokers(without_racks(1, 3), 0, 1, rng),
                  std::invalid_argument);
  std::vector<BrokerSpec> mixed = without_racks(1, 3);
  mixed[1].rack = "a";
  CHECK_THROWS_AS(assign_replicas_to_brokers(mixed, 3, 2, rng), std::invalid_argument);
  // One broker, one replica: the follower arithmetic (mod brokers - 1) never runs.
  CHECK(assign_replicas_to_brokers(without_racks(7, 7), 3, 1, rng) ==
        Assignment{ids({7}), ids({7}), ids({7})});
}

TEST_CASE("AdminRackAwareTest.testGetRackAlternatedBrokerListAndAssignReplicasToBrokers") {
  std::map<std::int32_t, std::string> rack_of = {{0, "rack1"}, {1, "rack3"}, {2, "rack3"},
                                                 {3, "rack2"}, {4, "rack2"}, {5, "rack1"}};
  CHECK(rack_alternated_broker_list(with_racks(rack_of)) == ids({0, 3, 1, 5, 4, 2}));
  std::map<std::int32_t, std::string> without_5 = rack_of;
  without_5.erase(5);
  CHECK(rack_alternated_broker_list(with_racks(without_5)) == ids({0, 3, 1, 4, 2}));
  Rng rng(1);
  const Assignment expected = {ids({0, 3, 1}), ids({3, 1, 5}), ids({1, 5, 4}), ids({5, 4, 2}),
                               ids({4, 2, 0}), ids({2, 0, 3}), ids({0, 4, 2})};
  CHECK(assign_replicas_to_brokers(with_racks(rack_of), 7, 3, rng, 0, 0) == expected);
}

TEST_CASE("AdminUtils' comment: racks {rack1: 0,1,2; rack2: 3,4,5; rack3: 6,7,8}") {
  const std::map<std::int32_t, std::string> rack_of = {{0, "rack1"}, {1, "rack1"}, {2, "rack1"},
                                                       {3, "rack2"}, {4, "rack2"}, {5, "rack2"},
                                                       {6, "rack3"}, {7, "rack3"}, {8, "rack3"}};
  CHECK(rack_alternated_broker_list(with_racks(rack_of)) == ids({0, 3, 6, 1, 4, 7, 2, 5, 8}));
}

TEST_CASE("AdminRackAwareTest: rack-aware assignments from fixed starts") {
  Rng rng(1);
  SUBCASE("testAssignmentWithRackAware") {
    const Assignment a =
        assign_replicas_to_brokers(with_racks(kSixBrokersThreeRacks), 6, 3, rng, 2, 0);
    check_replica_distribution(a, kSixBrokersThreeRacks, 6, 6, 3);
  }
  SUBCASE("testAssignmentWithRackAwareWithUnevenReplicas") {
    const Assignment a =
        assign_replicas_to_brokers(with_racks(kSixBrokersThreeRacks), 13, 3, rng, 0, 0);
    check_replica_distribution(
        a, kSixBrokersThreeRacks, 6, 13, 3,
        {.rack_aware = true, .leader_distribution = false, .replicas_distribution = false});
  }
  SUBCASE("testSkipBrokerWithReplicaAlreadyAssigned") {
    const std::map<std::int32_t, std::string> rack_of = {
        {0, "a"}, {1, "b"}, {2, "c"}, {3, "a"}, {4, "a"}};
    const Assignment a = assign_replicas_to_brokers(with_racks(rack_of), 6, 4, rng, 2);
    check_replica_distribution(
        a, rack_of, 5, 6, 4,
        {.rack_aware = false, .leader_distribution = false, .replicas_distribution = false});
  }
}

// Kafka runs these with a random start; here each runs under many seeds.
TEST_CASE("AdminRackAwareTest: rack-aware assignments from random starts, over 200 seeds") {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    CAPTURE(seed);
    Rng rng = Rng::stream(seed, "assignment/orders");
    const std::vector<BrokerSpec> six = with_racks(kSixBrokersThreeRacks);
    // testAssignmentWithRackAwareWithRandomStartIndex
    check_replica_distribution(assign_replicas_to_brokers(six, 6, 3, rng), kSixBrokersThreeRacks, 6,
                               6, 3);
    // testAssignmentWith2ReplicasRackAware
    check_replica_distribution(assign_replicas_to_brokers(six, 12, 2, rng), kSixBrokersThreeRacks,
                               6, 12, 2);
    // testAssignmentWith2ReplicasRackAwareWith6Partitions
    check_replica_distribution(assign_replicas_to_brokers(six, 6, 2, rng), kSixBrokersThreeRacks, 6,
                               6, 2);
    // testAssignmentWithRackAwareWithUnevenRacks
    const std::map<std::int32_t, std::string> uneven = {{0, "rack1"}, {1, "rack1"}, {2, "rack2"},
                                                        {3, "rack3"}, {4, "rack3"}, {5, "rack1"}};
    check_replica_distribution(assign_replicas_to_brokers(with_racks(uneven), 12, 3, rng), uneven,
                               6, 12, 3, {.replicas_distribution = false});
    // testRackAwareExpansion
    const std::map<std::int32_t, std::string> expansion = {
        {6, "rack1"}, {7, "rack2"}, {8, "rack2"}, {9, "rack3"}, {10, "rack3"}, {11, "rack1"}};
    check_replica_distribution(
        assign_replicas_to_brokers(with_racks(expansion), 12, 2, rng, -1, 12), expansion, 6, 12, 2);
    // testAssignmentWith2ReplicasRackAwareWith6PartitionsAnd3Brokers
    const std::map<std::int32_t, std::string> three = {{0, "rack1"}, {1, "rack2"}, {4, "rack3"}};
    check_replica_distribution(assign_replicas_to_brokers(with_racks(three), 3, 2, rng), three, 3,
                               3, 2);
  }
}

TEST_CASE("AdminRackAwareTest: large, uneven and single-rack clusters, over 50 seeds") {
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    CAPTURE(seed);
    Rng rng = Rng::stream(seed, "assignment/orders");
    // testLargeNumberPartitionsAssignment
    const std::map<std::int32_t, std::string> twelve = {
        {0, "rack1"}, {1, "rack2"}, {2, "rack2"}, {3, "rack3"}, {4, "rack3"},  {5, "rack1"},
        {6, "rack1"}, {7, "rack2"}, {8, "rack2"}, {9, "rack3"}, {10, "rack1"}, {11, "rack3"}};
    check_replica_distribution(assign_replicas_to_brokers(with_racks(twelve), 96, 3, rng), twelve,
                               12, 96, 3);
    // testMoreReplicasThanRacks and testLessReplicasThanRacks
    const std::map<std::int32_t, std::string> racks3 = {{0, "rack1"}, {1, "rack2"}, {2, "rack2"},
                                                        {3, "rack3"}, {4, "rack3"}, {5, "rack2"}};
    for (const auto& [rf, expected_racks] : {std::pair{5, 3u}, std::pair{2, 2u}}) {
      const Assignment a = assign_replicas_to_brokers(with_racks(racks3), 6, rf, rng);
      for (const auto& [p, racks] : distribution_of(a, racks3).partition_racks) {
        CHECK(racks.size() == static_cast<std::size_t>(rf));
        CHECK(distinct(racks) == expected_racks);
      }
    }
    // testSingleRack
    const std::map<std::int32_t, std::string> one_rack = {{0, "rack1"}, {1, "rack1"}, {2, "rack1"},
                                                          {3, "rack1"}, {4, "rack1"}, {5, "rack1"}};
    const Assignment a = assign_replicas_to_brokers(with_racks(one_rack), 6, 3, rng);
    const Distribution d = distribution_of(a, one_rack);
    for (const auto& [p, racks] : d.partition_racks)
      CHECK(distinct(racks) == 1);
    CHECK(d.leader_count.size() == 6);
    for (const auto& [broker, count] : d.leader_count)
      CHECK(count == 1);
  }
}

TEST_CASE("rack-unaware: distinct replicas, even leaders, any seed") {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    CAPTURE(seed);
    Rng rng = Rng::stream(seed, "assignment/t");
    const std::int32_t brokers = 1 + static_cast<std::int32_t>(seed % 7);
    const std::int32_t rf =
        1 + static_cast<std::int32_t>(seed % static_cast<std::uint64_t>(brokers));
    const std::int32_t partitions = 1 + static_cast<std::int32_t>(seed % 23);
    const Assignment a = assign_replicas_to_brokers(without_racks(1, brokers), partitions, rf, rng);
    REQUIRE(a.size() == static_cast<std::size_t>(partitions));
    std::map<BrokerId, int> leaders;
    for (const std::vector<BrokerId>& replicas : a) {
      CHECK(replicas.size() == static_cast<std::size_t>(rf));
      CHECK(std::set<BrokerId>(replicas.begin(), replicas.end()).size() == replicas.size());
      for (const BrokerId b : replicas)
        CHECK((b.value() >= 1 && b.value() <= brokers));
      ++leaders[replicas.front()];
    }
    // Round-robin first replicas: every broker leads floor or ceil of partitions / brokers.
    for (const auto& [broker, count] : leaders) {
      CHECK(count >= partitions / brokers);
      CHECK(count <= (partitions + brokers - 1) / brokers);
    }
  }
}

TEST_CASE("rack-aware: replicas of a partition on distinct racks when racks >= rf") {
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    CAPTURE(seed);
    Rng rng = Rng::stream(seed, "assignment/t");
    std::map<std::int32_t, std::string> rack_of;
    const int racks = 2 + static_cast<int>(seed % 4);
    for (std::int32_t id = 1; id <= 9; ++id)
      rack_of[id] =
          "r" + std::to_string(static_cast<int>((id * 7 + static_cast<int>(seed)) % racks));
    std::set<std::string> rack_names;
    for (const auto& [id, r] : rack_of)
      rack_names.insert(r);
    const auto rf = static_cast<std::int32_t>(std::min<std::size_t>(rack_names.size(), 3));
    const Assignment a = assign_replicas_to_brokers(with_racks(rack_of), 17, rf, rng);
    for (const auto& [p, r] : distribution_of(a, rack_of).partition_racks)
      CHECK(distinct(r) == static_cast<std::size_t>(rf));
  }
}

TEST_CASE("the same seed gives the same assignment; the fixed start draws nothing") {
  const std::vector<BrokerSpec> brokers = without_racks(1, 5);
  Rng a = Rng::stream(42, "assignment/orders");
  Rng b = Rng::stream(42, "assignment/orders");
  CHECK(assign_replicas_to_brokers(brokers, 12, 3, a) ==
        assign_replicas_to_brokers(brokers, 12, 3, b));
  // Different seeds do not all give one layout.
  std::set<Assignment> layouts;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Rng r = Rng::stream(seed, "assignment/orders");
    layouts.insert(assign_replicas_to_brokers(brokers, 12, 3, r));
  }
  CHECK(layouts.size() > 1);
  // With a fixed start index the Rng is left untouched, as Kafka leaves its Random.
  Rng c = Rng::stream(7, "x");
  Rng d = Rng::stream(7, "x");
  assign_replicas_to_brokers(brokers, 4, 2, c, 1);
  CHECK(c.next_u64() == d.next_u64());
}
