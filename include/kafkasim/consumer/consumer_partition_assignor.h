// How a Kafka 2.4 consumer group's leader member shares a topic's partitions
// (clients/.../consumer/ConsumerPartitionAssignor.java and its implementations): the leader
// gets every member's subscription in its JoinGroup response, runs the group's assignor
// (partition.assignment.strategy) and sends the result in its SyncGroup request
// (ConsumerCoordinator.performAssignment). This is the client-side family; the ZooKeeper-era
// consumer's own assignors (kafka.consumer.PartitionAssignor) are in partition_assignor.h and
// order round-robin differently.
//
// The model subscribes every member of a group to the same one topic, so each function takes one
// topic's partition count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafkasim/consumer/partition_assignor.h"
#include "kafkasim/protocol/kafka_protocol.h"
#include "kafkasim/scenario/consumer_config.h"

namespace kafkasim {

/// A member as the leader's JoinGroup response lists it. A member that was never assigned sends
/// no userData: no partitions, no generation (StickyAssignor.memberData).
struct AssignorMember {
  std::string member_id;
  SubscriptionUserData user_data;  // read by the sticky assignor only
};

/// RoundRobinAssignor.assign: the members sorted by member id, the topic's partitions in
/// ascending order (allPartitionsSorted), dealt to the members in turn.
GroupAssignment client_roundrobin_assign(std::size_t members, std::int32_t partitions);

/// StickyAssignor (AbstractStickyAssignor.assign, Kafka 2.4): as balanced as possible (the
/// members' partition counts differ by at most one), and within that, every partition stays with
/// the member that owned it in the latest generation any member reports. Preconditions:
/// `members` sorted by member id, every reported partition in [0, partitions).
///
/// Where Kafka's choice depends on the iteration order of a Java HashMap or HashSet (which
/// partition of a member is offered first for a move; which member wins two equal claims of the
/// same generation), the model takes the lowest partition or member id; the counts, and which
/// partitions stay put, follow Kafka's rules.
GroupAssignment sticky_assign(const std::vector<AssignorMember>& members, std::int32_t partitions);

/// The group leader's assignment for `strategy`, members sorted by member id (MemberInfo's order
/// without group.instance.id): RangeAssignor (range_assign: the same arithmetic as the ZooKeeper
/// consumer's), RoundRobinAssignor or StickyAssignor.
GroupAssignment consumer_assign(AssignmentStrategy strategy,
                                const std::vector<AssignorMember>& members,
                                std::int32_t partitions);

}  // namespace kafkasim
