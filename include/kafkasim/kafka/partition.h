// One broker's replica of one partition and, while that broker leads it, the leader's view of
// its followers (core/src/main/scala/kafka/cluster/Partition.scala and Replica.scala, 2.4).
//
// This class holds the rules; the broker around it does the messaging: it writes ISR changes
// to ZooKeeper (a change proposed here takes effect only once the conditional write succeeds,
// apply_isr_change), answers fetches, and completes parked produce requests when the high
// watermark moves.
#pragma once

#include <limits>
#include <optional>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/kafka/partition_log.h"
#include "kafkasim/protocol/kafka_protocol.h"
#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim {

/// Kafka's lastCaughtUpTimeMs of 0 (the epoch of the wall clock): "never caught up". Virtual time
/// starts at 0, so it needs a value far before any instant of a run.
inline constexpr Instant kNeverCaughtUp =
    Instant::from_ns(std::numeric_limits<std::int64_t>::min() / 2);

/// The leader's view of one follower (Replica.scala).
struct FollowerState {
  BrokerId broker;
  /// The follower's log end offset as its last fetch told: -1 until it fetches from this leader.
  Offset log_end_offset = -1;
  Instant last_caught_up_time = kNeverCaughtUp;
  Offset last_fetch_leader_log_end_offset = 0;
  Instant last_fetch_time;
  /// KIP-392 (Replica.lastSentHighWatermark): the high watermark the leader read for this
  /// follower's last fetch request, the most the follower can know; 0 for a new leader.
  Offset last_sent_high_watermark = 0;
  /// Whether the follower is in the leader's ISR: Partition::in_isr(broker), kept in step with
  /// the ISR by the leader. Every fetch asks it for each partition it names, and the ISR's own
  /// vector would be one more cache miss per partition.
  bool in_isr = false;
};

enum class ReplicaRole : std::uint8_t { none, leader, follower };

class Partition {
 public:
  Partition(TopicPartition tp, BrokerId local_broker);

  const TopicPartition& tp() const { return tp_; }
  BrokerId local_broker() const { return local_broker_; }
  ReplicaRole role() const { return role_; }
  bool is_leader() const { return role_ == ReplicaRole::leader; }
  BrokerId leader() const { return leader_; }
  LeaderEpoch leader_epoch() const { return leader_epoch_; }
  ControllerEpoch controller_epoch() const { return controller_epoch_; }
  ZkVersion zk_version() const { return zk_version_; }
  const std::vector<BrokerId>& assigned_replicas() const { return assigned_replicas_; }
  /// The in-sync replicas as this leader knows them (empty on a follower, as in Kafka).
  const std::vector<BrokerId>& isr() const { return isr_; }
  bool in_isr(BrokerId broker) const;
  Offset high_watermark() const { return high_watermark_; }
  Offset leader_epoch_start_offset() const { return leader_epoch_start_offset_; }
  const std::vector<FollowerState>& followers() const { return followers_; }
  PartitionLog& log() { return log_; }
  const PartitionLog& log() const { return log_; }

  /// Partition.makeLeader: take the controller's leader, epoch, ISR and zkVersion; open the
  /// new epoch at the log end; reset the followers' fetch state (unknown log end offsets,
  /// caught-up now for ISR members). Returns whether the high watermark moved.
  bool make_leader(const LeaderAndIsrPartitionState& state, Instant now, Duration lag_max);
  /// Partition.makeFollower: returns true when the leader or epoch changed (the fetcher must
  /// restart, and truncate first).
  bool make_follower(const LeaderAndIsrPartitionState& state);
  /// The replica was stopped (StopReplica) or its broker restarted: no role until told.
  void reset_role();

  /// Partition.appendRecordsToLeader's check: with acks=all (and the `sync` mode), refuse with
  /// NOT_ENOUGH_REPLICAS when the ISR is smaller than min.insync.replicas.
  Errors check_append(ProduceAcks acks, std::int32_t min_insync_replicas) const;

  /// Partition.updateFollowerFetchState → Replica.updateFetchState: a follower fetched from
  /// `fetch_offset`, i.e. its log end offset is that; `leader_end_offset` and `high_watermark`
  /// are this leader's as the fetch read them (ReplicaManager.fetchMessages reads first).
  void update_follower_fetch_state(BrokerId follower, Offset fetch_offset, Instant now,
                                   Offset leader_end_offset, Offset high_watermark);
  /// The same, for a fetch that read this leader as it is now.
  void update_follower_fetch_state(BrokerId follower, Offset fetch_offset, Instant now) {
    update_follower_fetch_state(follower, fetch_offset, now, log_.log_end_offset(),
                                high_watermark_);
  }
  /// The leader's view of `follower`, or nullptr if it is not an assigned follower.
  const FollowerState* follower_state(BrokerId follower) const;
  /// Partition.maybeExpandIsr: the ISR to propose if the follower has caught up (its log end
  /// offset reaches the high watermark and the start of the leader's epoch).
  std::optional<std::vector<BrokerId>> isr_to_expand(BrokerId follower) const;
  /// Partition.getOutOfSyncReplicas / maybeShrinkIsr: the ISR to propose without the
  /// followers that are behind and have not caught up for longer than `lag_max`.
  std::optional<std::vector<BrokerId>> isr_to_shrink(Instant now, Duration lag_max) const;
  /// The conditional ZooKeeper write of `isr` succeeded with `zk_version`. Returns whether
  /// the high watermark moved.
  bool apply_isr_change(std::vector<BrokerId> isr, ZkVersion zk_version, Instant now,
                        Duration lag_max);
  /// Partition.maybeIncrementLeaderHW: the high watermark is the smallest log end offset of the
  /// leader, the ISR, and the followers caught up within `lag_max` (since 0.10.2). It never
  /// moves back. Returns whether it moved.
  bool maybe_increment_high_watermark(Instant now, Duration lag_max);

  /// A follower learns the leader's high watermark one fetch late: min(its LEO, leader HW).
  void update_follower_high_watermark(Offset leader_high_watermark);
  /// After a restart, the high watermark read from replication-offset-checkpoint.
  void restore_high_watermark(Offset checkpointed);
  /// The `sync` mode: has every assigned replica (the leader included) got records up to
  /// `required_offset` (exclusive), as far as this leader knows?
  bool every_replica_has(Offset required_offset) const;

  /// An ISR write to ZooKeeper is in flight: no other ISR change is proposed meanwhile.
  bool isr_update_in_flight = false;

 private:
  FollowerState* follower(BrokerId broker);
  /// Sets each follower's in_isr from isr_: after every change of isr_ or followers_.
  void mark_isr_members();

  TopicPartition tp_;
  BrokerId local_broker_;
  ReplicaRole role_ = ReplicaRole::none;
  BrokerId leader_ = kNoBroker;
  LeaderEpoch leader_epoch_ = kNoLeaderEpoch;
  ControllerEpoch controller_epoch_{0};
  ZkVersion zk_version_{0};
  std::vector<BrokerId> assigned_replicas_;
  std::vector<BrokerId> isr_;
  Offset high_watermark_ = 0;
  Offset leader_epoch_start_offset_ = -1;
  std::vector<FollowerState> followers_;
  PartitionLog log_;
};

}  // namespace kafkasim
