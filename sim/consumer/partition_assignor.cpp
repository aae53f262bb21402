#include "kafkasim/consumer/partition_assignor.h"

#include <algorithm>
#include <cassert>
#include <numeric>

#include "kafkasim/core/java_string_hash.h"

namespace kafkasim {

GroupAssignment range_assign(const std::vector<std::string>& threads, std::int32_t partitions) {
  GroupAssignment assignment(threads.size());
  if (threads.empty()) return assignment;
  // RangeAssignor.assign: nPartsPerConsumer and nConsumersWithExtraPart.
  const auto count = static_cast<std::int32_t>(threads.size());
  const std::int32_t per_thread = partitions / count;
  const std::int32_t with_extra = partitions % count;
  for (std::int32_t position = 0; position < count; ++position) {
    const std::int32_t start = per_thread * position + std::min(position, with_extra);
    const std::int32_t n = per_thread + (position + 1 > with_extra ? 0 : 1);
    for (std::int32_t p = start; p < start + n; ++p)
      assignment[static_cast<std::size_t>(position)].push_back(p);
  }
  return assignment;
}

GroupAssignment roundrobin_assign(const std::vector<std::string>& threads, const std::string& topic,
                                  std::int32_t partitions) {
  GroupAssignment assignment(threads.size());
  if (threads.empty()) return assignment;
  std::vector<std::int32_t> order(static_cast<std::size_t>(partitions));
  std::iota(order.begin(), order.end(), 0);
  // RoundRobinAssignor sorts by the hash code "to reduce the likelihood of all partitions of a
  // given topic ending up on one consumer"; Scala's sortWith is stable.
  std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    return java_string_hash("[" + topic + "," + std::to_string(a) + "]") <
           java_string_hash("[" + topic + "," + std::to_string(b) + "]");
  });
  std::size_t next = 0;  // CoreUtils.circularIterator over the sorted thread ids
  for (const std::int32_t p : order) {
    assignment[next].push_back(p);
    next = (next + 1) % threads.size();
  }
  for (auto& owned : assignment)
    std::sort(owned.begin(), owned.end());
  return assignment;
}

GroupAssignment assign_partitions(AssignmentStrategy strategy,
                                  const std::vector<std::string>& threads, const std::string& topic,
                                  std::int32_t partitions) {
  // PartitionAssignor.createInstance: "roundrobin", else range. The scenario check refuses
  // "sticky" for a ZooKeeper consumer.
  assert(strategy != AssignmentStrategy::sticky);
  return strategy == AssignmentStrategy::roundrobin ? roundrobin_assign(threads, topic, partitions)
                                                    : range_assign(threads, partitions);
}

}  // namespace kafkasim
