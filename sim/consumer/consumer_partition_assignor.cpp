#include "kafkasim/consumer/consumer_partition_assignor.h"

namespace kafkasim {

GroupAssignment client_roundrobin_assign(std::size_t members, std::int32_t partitions) {
  // RoundRobinAssignor.assign: a CircularIterator over the sorted members, each partition of
  // allPartitionsSorted (topics sorted, partitions ascending) to the next member. Unlike the
  // ZooKeeper consumer's assignor there is no ordering by hash code.
  GroupAssignment assignment(members);
  if (members == 0) return assignment;
  for (std::int32_t p = 0; p < partitions; ++p)
    assignment[static_cast<std::size_t>(p) % members].push_back(p);
  return assignment;
}

GroupAssignment consumer_assign(AssignmentStrategy strategy,
                                const std::vector<AssignorMember>& members,
                                std::int32_t partitions) {
  switch (strategy) {
    case AssignmentStrategy::range: {
      // RangeAssignor.assign: per topic, the subscribed members sorted (MemberInfo), each a run
      // of consecutive partitions, the first partitions % members one more.
      std::vector<std::string> ids;
      for (const AssignorMember& m : members)
        ids.push_back(m.member_id);
      return range_assign(ids, partitions);
    }
    case AssignmentStrategy::roundrobin:
      return client_roundrobin_assign(members.size(), partitions);
    case AssignmentStrategy::sticky:
      return sticky_assign(members, partitions);
  }
  return {};
}

}  // namespace kafkasim
