// How a ZooKeeper-era consumer group shares a topic's partitions (core/.../consumer/
// PartitionAssignor.scala, Kafka 0.8.2-2.x). Every member computes the whole assignment from
// the same inputs (the group's consumer thread ids read from /consumers/G/ids, the topic's
// partitions) and keeps its own part, so members agree without talking to each other.
// The model subscribes each member to one topic with one stream, so a member has one consumer
// thread id, "<consumer id>-0" (ConsumerThreadId.toString).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafkasim/scenario/consumer_config.h"

namespace kafkasim {

/// For each thread id (in the order given), the partitions it owns, ascending.
using GroupAssignment = std::vector<std::vector<std::int32_t>>;

/// RangeAssignor: thread ids sorted; each gets partitions/threads consecutive partitions, the
/// first partitions % threads get one more. Preconditions: `threads` sorted ascending.
GroupAssignment range_assign(const std::vector<std::string>& threads, std::int32_t partitions);

/// RoundRobinAssignor: partitions ordered by the Java hashCode of "[topic,p]"
/// (TopicAndPartition.toString), dealt to the sorted thread ids in turn.
GroupAssignment roundrobin_assign(const std::vector<std::string>& threads, const std::string& topic,
                                  std::int32_t partitions);

GroupAssignment assign_partitions(AssignmentStrategy strategy,
                                  const std::vector<std::string>& threads, const std::string& topic,
                                  std::int32_t partitions);

}  // namespace kafkasim
