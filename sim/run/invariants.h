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
//      (/controller_epoch is bumped by a conditional write on every election);
// and, once the cluster has settled after the last fault (RunChecks::invariants_and_settled):
//   5. liveness: every partition has a live leader, a full ISR of up replicas, and a high
//      watermark at the leader's log end offset;
//   6. committed data: every live replica agrees with the leader below the high watermark.
// For consumer groups, after every event while no data can have been lost (unclean election off,
// leader-epoch truncation, no power loss so far):
//   7. a group's committed offset of a partition never passes the highest high watermark the
//      partition has had (a consumer reads only below the high watermark, and commits the offset
//      after what it processed);
//   8. a coordinator group's committed offset never goes back (generations fence a former
//      owner's commits, and a new owner fetches the offsets only after every member rejoined,
//      having committed). Not an invariant of the ZooKeeper consumer: a member reads a
//      partition's committed offset before it claims the partition (ZookeeperConsumerConnector.
//      rebalance fetches offsets, then reflectPartitionOwnershipDecision), so when the previous
//      owner commits and releases in between, the new owner starts from, and commits, an older
//      offset (the swarm found it: a member shut down while another was rebalancing);
// and once settled: 9. each partition of a group's topic is owned by exactly one live member of
// the group (when the group has one).
//
// Each check is a free function over plain views of the state, so a test can hand it a broken
// state and see it fail; invariant_checker.h gathers the views from a Cluster and runs the
// checks as a list. A violation throws InvariantViolation (a std::logic_error) whose message
// names the invariant, the partition or controller, the brokers, the epochs and the simulated
// time.
#pragma once

#include <deque>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/kafka/partition.h"
#include "kafkasim/protocol/kafka_types.h"
#include "replica_divergence.h"

namespace kafkasim {

class InvariantViolation : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// The invariants' names, as their violation messages and the checker's list give them.
namespace invariant_name {
inline constexpr std::string_view kOneLeaderPerEpoch = "one leader per partition per leader epoch";
inline constexpr std::string_view kHighWatermarkMonotonic =
    "the leader's high watermark never decreases";
inline constexpr std::string_view kHighWatermarkBound =
    "the leader's high watermark never exceeds the smallest log end offset of its ISR";
inline constexpr std::string_view kLeaderInIsr = "the leader is in its own ISR";
inline constexpr std::string_view kOneControllerPerEpoch = "one controller per controller epoch";
inline constexpr std::string_view kLiveness = "liveness after settling";
inline constexpr std::string_view kCommittedData =
    "committed data: live replicas agree with the leader below the high watermark";
inline constexpr std::string_view kCommittedOffsetBound =
    "a group's committed offset never passes the partition's highest high watermark";
inline constexpr std::string_view kCommittedOffsetMonotonic =
    "a group's committed offset never goes back";
inline constexpr std::string_view kOneOwnerPerPartition =
    "one live member of a group owns each partition after settling";
}  // namespace invariant_name

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

/// --- After settling (RunChecks::invariants_and_settled): what Kafka promises once every fault
/// has ended and the cluster has had time to recover. ------------------------------------------

/// Whether the producers still hold records (a backlog, or retries) when the settling ends:
/// then the leaders may still be appending, and their high watermark a fetch round behind.
enum class Producers : std::uint8_t { idle, busy };

/// Liveness of one partition after settling: it has a live leader (`leader`, nullptr when no up
/// broker leads it), every assigned replica's broker is up (`down`: those that are not), the
/// leader's ISR holds every assigned replica (`replicas`), and, once the producers are idle, its
/// high watermark has reached its log end offset (nothing it holds still waits for a follower).
void check_liveness(std::string_view partition, const LeaderView* leader,
                    std::span<const BrokerId> replicas, std::span<const BrokerId> down,
                    Producers producers, Instant now);

/// Committed data after settling: `replica`, a live replica of `partition` other than the
/// leader, agrees with `leader` below the leader's high watermark (as far as its log goes).
/// Under high-watermark truncation this is not an invariant: two hard failures can leave
/// replicas with different records at the same offset (KIP-101's scenario 2), the flaw leader
/// epochs fixed.
void check_committed_data(std::string_view partition, BrokerId leader,
                          const std::deque<RecordBatch>& leader_log, BrokerId replica,
                          const std::deque<RecordBatch>& replica_log, Offset high_watermark,
                          Instant now);

/// --- Consumer groups --------------------------------------------------------------------------

/// Invariant 7: `committed`, the offset group `group` has committed for `partition` as its
/// store (ZooKeeper, or the group coordinator) holds it now, is at most `highest_high_watermark`,
/// the highest high watermark any leader of the partition has had so far.
void check_committed_offset_bound(std::string_view group, std::string_view partition,
                                  Offset committed, Offset highest_high_watermark, Instant now);
/// Invariant 8: the committed offset now is at least `before`, the one the store held earlier
/// (-1: none then).
void check_committed_offset_monotonic(std::string_view group, std::string_view partition,
                                      Offset before, Offset committed, Instant now);
/// Invariant 9 after settling: `owners`, the live members of `group` that own `partition`, are
/// exactly one (the group having at least one live member).
void check_one_owner_per_partition(std::string_view group, std::string_view partition,
                                   std::span<const std::string> owners, Instant now);

}  // namespace kafkasim
