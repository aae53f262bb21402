// Kafka's AdminUtils.assignReplicasToBrokers (core/src/main/scala/kafka/admin/AdminUtils.scala,
// 2.4), line for line where it matters: the same arithmetic gives the same assignment for the
// same start index and shift, which the tests check against Kafka's own expectations.
#include "kafkasim/kafka/replica_assignment.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

namespace kafkasim {
namespace {

using Assignment = std::vector<std::vector<BrokerId>>;

/// AdminUtils.replicaIndex: the broker position of a follower, `shift` + 1 + `replica_index`
/// places after the first replica, never landing on the first replica itself.
std::size_t replica_index(std::size_t first_replica_index, std::int64_t second_replica_shift,
                          std::int64_t replica_index, std::size_t n_brokers) {
  const auto n = static_cast<std::int64_t>(n_brokers);
  const std::int64_t shift = 1 + (second_replica_shift + replica_index) % (n - 1);
  return static_cast<std::size_t>((static_cast<std::int64_t>(first_replica_index) + shift) % n);
}

/// Kafka's `if (fixedStartIndex >= 0) fixedStartIndex else rand.nextInt(n)`.
std::int64_t fixed_or_random(std::int32_t fixed_start_index, std::size_t n, Rng& rng) {
  if (fixed_start_index >= 0) return fixed_start_index;
  return static_cast<std::int64_t>(rng.below(n));
}

/// The loop both of Kafka's schemes share: the first replica of each partition goes round-robin
/// over `n` broker positions from a random start, and the follower shift grows by one each time
/// the first replicas have gone once around. `replicas_for(first_replica_index, shift)` places
/// the partition's replicas.
template <typename ReplicasFor>
Assignment assign_round_robin(std::int32_t partitions, std::size_t n,
                              std::int32_t fixed_start_index, std::int32_t start_partition_id,
                              Rng& rng, ReplicasFor replicas_for) {
  const std::int64_t start_index = fixed_or_random(fixed_start_index, n, rng);
  std::int64_t current_partition_id = std::max(0, start_partition_id);
  std::int64_t next_replica_shift = fixed_or_random(fixed_start_index, n, rng);
  Assignment result;
  result.reserve(static_cast<std::size_t>(partitions));
  for (std::int32_t i = 0; i < partitions; ++i) {
    if (current_partition_id > 0 && current_partition_id % static_cast<std::int64_t>(n) == 0)
      ++next_replica_shift;
    const auto first_replica_index = static_cast<std::size_t>((current_partition_id + start_index) %
                                                              static_cast<std::int64_t>(n));
    result.push_back(replicas_for(first_replica_index, next_replica_shift));
    ++current_partition_id;
  }
  return result;
}

/// AdminUtils.assignReplicasToBrokersRackUnaware. The first replicas go round-robin from a
/// random start; the followers follow at a distance that grows by one each time the first
/// replicas have gone once around the brokers, so that two partitions led by one broker do not
/// always share the same followers.
Assignment assign_rack_unaware(std::int32_t partitions, std::int32_t replication_factor,
                               const std::vector<BrokerId>& broker_array,
                               std::int32_t fixed_start_index, std::int32_t start_partition_id,
                               Rng& rng) {
  const std::size_t n = broker_array.size();
  return assign_round_robin(
      partitions, n, fixed_start_index, start_partition_id, rng,
      [&](std::size_t first_replica_index, std::int64_t next_replica_shift) {
        std::vector<BrokerId> replicas{broker_array[first_replica_index]};
        for (std::int32_t j = 0; j < replication_factor - 1; ++j)
          replicas.push_back(
              broker_array[replica_index(first_replica_index, next_replica_shift, j, n)]);
        return replicas;
      });
}

/// The followers of one partition on the rack-alternated list (the inner loop of
/// AdminUtils.assignReplicasToBrokersRackAware). A candidate is skipped if its rack already
/// holds a replica while some rack holds none, or if it already holds a replica while some
/// broker holds none; the candidate position `k` keeps advancing across the followers.
std::vector<BrokerId> rack_aware_replicas(const std::vector<BrokerId>& arranged,
                                          const std::map<BrokerId, std::string>& rack_of,
                                          std::size_t num_racks, std::size_t first_replica_index,
                                          std::int64_t next_replica_shift,
                                          std::int32_t replication_factor) {
  const BrokerId leader = arranged[first_replica_index];
  std::vector<BrokerId> replicas{leader};
  std::set<std::string> racks_with_replicas{rack_of.at(leader)};
  std::set<BrokerId> brokers_with_replicas{leader};
  const auto shift = next_replica_shift * static_cast<std::int64_t>(num_racks);
  std::int64_t k = 0;
  for (std::int32_t j = 0; j < replication_factor - 1; ++j) {
    bool done = false;
    while (!done) {
      const BrokerId broker =
          arranged[replica_index(first_replica_index, shift, k, arranged.size())];
      const std::string& rack = rack_of.at(broker);
      if ((!racks_with_replicas.contains(rack) || racks_with_replicas.size() == num_racks) &&
          (!brokers_with_replicas.contains(broker) ||
           brokers_with_replicas.size() == arranged.size())) {
        replicas.push_back(broker);
        racks_with_replicas.insert(rack);
        brokers_with_replicas.insert(broker);
        done = true;
      }
      ++k;
    }
  }
  return replicas;
}

/// AdminUtils.assignReplicasToBrokersRackAware: the rack-unaware scheme run on the
/// rack-alternated broker list, with the follower shift counted in whole turns of the racks.
Assignment assign_rack_aware(std::int32_t partitions, std::int32_t replication_factor,
                             const std::vector<BrokerSpec>& brokers, std::int32_t fixed_start_index,
                             std::int32_t start_partition_id, Rng& rng) {
  std::map<BrokerId, std::string> rack_of;
  std::set<std::string> racks;
  for (const BrokerSpec& b : brokers) {
    rack_of.emplace(b.id, *b.rack);
    racks.insert(*b.rack);
  }
  const std::vector<BrokerId> arranged = rack_alternated_broker_list(brokers);
  return assign_round_robin(partitions, arranged.size(), fixed_start_index, start_partition_id, rng,
                            [&](std::size_t first_replica_index, std::int64_t next_replica_shift) {
                              return rack_aware_replicas(arranged, rack_of, racks.size(),
                                                         first_replica_index, next_replica_shift,
                                                         replication_factor);
                            });
}

}  // namespace

std::vector<BrokerId> rack_alternated_broker_list(const std::vector<BrokerSpec>& brokers) {
  // AdminUtils.getInverseMap: rack -> its brokers sorted by id; racks in name order.
  std::map<std::string, std::vector<BrokerId>> brokers_by_rack;
  for (const BrokerSpec& b : brokers) {
    if (!b.rack) throw std::invalid_argument("rack_alternated_broker_list: a broker has no rack");
    brokers_by_rack[*b.rack].push_back(b.id);
  }
  std::vector<std::vector<BrokerId>> columns;
  for (auto& [rack, ids] : brokers_by_rack) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    columns.push_back(ids);
  }
  // Take one broker from each rack in turn, skipping racks already used up.
  std::vector<BrokerId> result;
  for (std::size_t row = 0;; ++row) {
    bool any = false;
    for (const std::vector<BrokerId>& ids : columns) {
      if (row < ids.size()) {
        result.push_back(ids[row]);
        any = true;
      }
    }
    if (!any) break;
  }
  return result;
}

std::vector<std::vector<BrokerId>> assign_replicas_to_brokers(
    const std::vector<BrokerSpec>& brokers, std::int32_t partitions,
    std::int32_t replication_factor, Rng& rng, std::int32_t fixed_start_index,
    std::int32_t start_partition_id) {
  if (partitions <= 0) throw std::invalid_argument("number of partitions must be larger than 0");
  if (replication_factor <= 0)
    throw std::invalid_argument("replication factor must be larger than 0");
  if (static_cast<std::size_t>(replication_factor) > brokers.size())
    throw std::invalid_argument(
        "replication factor: " + std::to_string(replication_factor) +
        " larger than available brokers: " + std::to_string(brokers.size()));
  const bool any_rack = std::any_of(brokers.begin(), brokers.end(),
                                    [](const BrokerSpec& b) { return b.rack.has_value(); });
  if (!any_rack) {
    std::vector<BrokerId> broker_array;
    for (const BrokerSpec& b : brokers)
      broker_array.push_back(b.id);
    return assign_rack_unaware(partitions, replication_factor, broker_array, fixed_start_index,
                               start_partition_id, rng);
  }
  const bool all_racks = std::all_of(brokers.begin(), brokers.end(),
                                     [](const BrokerSpec& b) { return b.rack.has_value(); });
  if (!all_racks)
    throw std::invalid_argument(
        "Not all brokers have rack information for replica rack aware assignment");
  return assign_rack_aware(partitions, replication_factor, brokers, fixed_start_index,
                           start_partition_id, rng);
}

}  // namespace kafkasim
