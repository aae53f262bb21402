// The invariants of invariants.h over a whole cluster, as two lists of small named checks:
//   - after every event (RunChecks::invariants): one leader per partition per leader epoch, the
//     high watermark monotonic within an epoch, the high watermark bound, the leader in its ISR,
//     one controller per controller epoch;
//     and for consumer groups, committed offsets below the highest high watermark and (while no
//     record can have been lost) never going back;
//   - once, after settling (RunChecks::invariants_and_settled): liveness, committed data, and
//     one live owner per partition of each consumer group.
// Each check sees a sample of the cluster (the leaders, the controllers, each broker's power
// losses) gathered once per event; those that need the previous event keep their own state.
// O(brokers x partitions) per event; the sample keeps its capacity, so nothing is allocated per
// event once warmed up.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "invariants.h"

namespace kafkasim {

class Cluster;

/// What the per-event checks see of the cluster after one event.
struct EventSample {
  /// A replica on an up broker that believes it leads a partition.
  struct Leader {
    std::size_t partition;  // index in ClusterLayout::all_partitions()
    std::size_t broker;     // position in ClusterLayout::brokers
    LeaderView view;
  };
  Instant now;
  std::vector<std::string> partition_names;  // "topic-N", by partition index
  std::size_t brokers = 0;
  std::vector<Leader> leaders;  // partition order, then broker order
  std::vector<ControllerView> controllers;
  std::vector<std::uint32_t> power_losses;  // by broker position: power losses so far
  /// A consumer group's committed offsets now, as its store holds them: ZooKeeper's
  /// /consumers/G/offsets znodes, or the group coordinator's offsets cache.
  struct GroupOffsets {
    std::string group;
    std::vector<std::size_t> partitions;  // the partitions of its topic, by partition index
    std::vector<Offset> committed;        // by position in `partitions`; -1: none known now
    bool coordinator = false;             // run by the group coordinator (else ZooKeeper)
  };
  std::vector<GroupOffsets> groups;
  /// Whether an acknowledged record may have been lost so far (an unclean election allowed,
  /// truncation to the high watermark, or a power loss): then a committed offset may go back
  /// (the group resets an out-of-range offset; __consumer_offsets loses a commit).
  bool loss_possible = false;
};

/// One invariant checked after every event.
class EventCheck {
 public:
  virtual ~EventCheck() = default;
  virtual std::string_view name() const = 0;
  /// Throws InvariantViolation.
  virtual void check(const EventSample& sample) = 0;
};

class InvariantChecker {
 public:
  explicit InvariantChecker(Cluster& cluster);

  /// Runs every per-event check on the cluster's current state; throws InvariantViolation.
  void check();
  /// The engine's after-event hook: `context` is the InvariantChecker.
  static void after_event(void* context);
  /// The per-event checks, in the order they run.
  std::vector<std::string_view> names() const;

 private:
  void take_sample();

  /// Where one group's committed offsets are read.
  struct GroupStore {
    bool zookeeper = false;
    std::vector<std::string> offset_paths;   // ZooKeeper: by position in the sample's partitions
    std::vector<TopicPartition> partitions;  // by position in the sample's partitions
    TopicPartition offsets_partition;        // coordinator: the group's __consumer_offsets-P
  };
  void sample_group(std::size_t g);

  Cluster& cluster_;
  std::vector<TopicPartition> partitions_;
  std::vector<GroupStore> stores_;  // by group
  bool unclean_allowed_ = false;
  EventSample sample_;
  std::vector<std::unique_ptr<EventCheck>> checks_;
};

/// The settled-state checks (liveness, committed data) over the cluster as it is now, the end
/// of the settling: throws InvariantViolation naming the first that fails.
void check_settled_state(Cluster& cluster);

}  // namespace kafkasim
