// The invariants of STYLE.md point 9, checked after every event when a run asks for them
// (RunChecks::invariants; `kafkasim run --check-invariants`):
//   1. one leader per partition per leader epoch: no two up brokers both lead the same
//      partition with the same leader epoch (RaftEventSimulationTest's SingleLeader);
//   2. a leader's high watermark never goes back while it stays leader in the same epoch
//      (MonotonicHighWatermark), never passes its own log end offset, and never passes the
//      smallest log end offset of its ISR as the leader knows it (Partition.maybeIncrementLeaderHW
//      takes a minimum over the ISR), except for an ISR member that lost its log tail in a
//      power loss and has not caught up since (see LostTail);
//   3. the leader is in its own ISR (Partition.maybeShrinkIsr never removes the leader);
//   4. one controller per controller epoch: no two active controllers with the same epoch
//      (/controller_epoch is bumped by a conditional write on every election).
//
// The checks are free functions over plain views of the state, so a test can hand them a
// broken state and see each one fail; InvariantChecker builds the views from a Cluster. A
// violation throws InvariantViolation (a std::logic_error) whose message names the invariant,
// the partition or controller, the brokers, the epochs and the simulated time.
#pragma once

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/kafka/partition.h"
#include "kafkasim/kafka/types.h"

namespace kafkasim {

class Cluster;

class InvariantViolation : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// An up broker's replica that believes it leads a partition, as that broker sees it.
struct LeaderView {
  BrokerId broker;
  LeaderEpoch epoch;
  Offset high_watermark = 0;
  Offset log_end_offset = 0;
  std::span<const BrokerId> isr;
  /// The leader's view of its followers; a log_end_offset of -1 means "not fetched yet from
  /// this leader" (Kafka resets it in makeLeader) and bounds nothing.
  std::span<const FollowerState> followers;
};

/// What the checker remembers of one replica from the previous event: whether it was leading
/// (on an up broker), in which epoch, and its high watermark then.
struct LeaderMark {
  bool leading = false;
  LeaderEpoch epoch = kNoLeaderEpoch;
  Offset high_watermark = 0;
};

/// An up broker whose controller is active.
struct ControllerView {
  BrokerId broker;
  ControllerEpoch epoch;
};

/// Invariant 1 over the leaders of one partition (`partition` names it in messages).
void check_one_leader_per_epoch(std::string_view partition, std::span<const LeaderView> leaders,
                                Instant now);
/// Invariant 2, monotonic part: `before` is the replica's mark after the previous event.
void check_high_watermark_monotonic(std::string_view partition, const LeaderMark& before,
                                    const LeaderView& leader, Instant now);
/// Whether the bound by the ISR followers' log end offsets holds under the cluster's truncation
/// rule. Before 0.11 a follower truncates to its own high watermark, which lags the leader's by
/// a fetch round, whenever it (re)becomes follower, even of the same leader after a leader
/// epoch bump, and it stays in the ISR: its LEO falls below the leader's HW. That is the flaw
/// KIP-101 fixed (its scenario 1), so the bound is a leader-epoch (0.11+) invariant only.
enum class FollowerBound : std::uint8_t { checked, not_an_invariant };

/// Invariant 2, bounded part: HW <= the leader's LEO and (FollowerBound::checked) <= every known
/// LEO of the ISR but those in `lost_tail`: followers that lost power, and with it the unflushed
/// tail of their log, and have not left the ISR since (to rejoin, a follower must catch up). Kafka
/// keeps such a replica in the ISR (nothing tells the controller it lost data; it leaves only by
/// the lag check or a session expiry) while the high watermark never goes back: the bound cannot
/// hold for it, and that gap is what power loss demonstrates, not a model error.
void check_high_watermark_bound(std::string_view partition, const LeaderView& leader, Instant now,
                                FollowerBound followers = FollowerBound::checked,
                                std::span<const BrokerId> lost_tail = {});
/// Invariant 3.
void check_leader_in_isr(std::string_view partition, const LeaderView& leader, Instant now);
/// Invariant 4 over every active controller.
void check_one_controller_per_epoch(std::span<const ControllerView> controllers, Instant now);

/// The checks over a whole cluster. O(brokers x partitions) per event; the scratch vectors
/// keep their capacity, so nothing is allocated per event once warmed up.
class InvariantChecker {
 public:
  explicit InvariantChecker(Cluster& cluster);

  /// Runs every check on the cluster's current state; throws InvariantViolation.
  void check();
  /// The engine's after-event hook: `context` is the InvariantChecker.
  static void after_event(void* context);

 private:
  Cluster& cluster_;
  std::vector<TopicPartition> partitions_;
  std::vector<std::string> names_;  // "topic-N" per partition, for messages
  /// marks_[partition * brokers + broker index]: each replica's mark after the last event.
  std::vector<LeaderMark> marks_;
  std::vector<LeaderView> leaders_;
  std::vector<ControllerView> controllers_;
  FollowerBound follower_bound_ = FollowerBound::checked;
  /// Per broker index: its power losses the checker has seen.
  std::vector<std::uint32_t> power_losses_seen_;
  /// lost_tail_[partition * brokers + broker index]: that replica lost power and has not left
  /// its leader's ISR since.
  std::vector<bool> lost_tail_;
  std::vector<BrokerId> exempt_;  // scratch: this partition's lost-tail ISR followers
};

}  // namespace kafkasim
