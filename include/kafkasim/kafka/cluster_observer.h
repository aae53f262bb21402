// What the brokers and the controller tell the run about notable events: the timeline, the
// loss checker and the report counters hang here. Observing never changes the simulation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim {

/// Why records left a replica's log.
enum class TruncationReason : std::uint8_t {
  leader_epoch,    // a new follower truncated to its leader's epoch end offset (KIP-101)
  high_watermark,  // a new follower truncated to its own high watermark (before 0.11)
  out_of_range,    // the follower was ahead of its leader's log end (OFFSET_OUT_OF_RANGE)
  power_loss,      // the unflushed tail was lost with the power
};

std::string_view to_string(TruncationReason reason);

/// How the controller chose a partition's new leader.
enum class ElectionKind : std::uint8_t {
  clean,                // the first live ISR replica in assignment order
  unclean,              // no live ISR replica: the first live replica (unclean.leader.election)
  controlled_shutdown,  // moved away from a broker shutting down
  preferred,            // back to the preferred replica (auto.leader.rebalance)
  none_available,       // no replica could lead: the partition is offline
};

std::string_view to_string(ElectionKind kind);

/// What a broker made of one LeaderAndIsr request of the controller
/// (ReplicaManager.becomeLeaderOrFollower, Kafka 2.4).
struct LeaderAndIsrReceipt {
  ControllerEpoch controller_epoch;
  /// Refused whole: the request came from an older controller (STALE_CONTROLLER_EPOCH).
  bool stale_controller = false;
  /// The partitions whose leader epoch was newer than the broker's, with their new leader
  /// (kNoBroker: none); the others were ignored ("its associated leader epoch is not higher").
  std::vector<std::pair<TopicPartition, BrokerId>> applied;
  /// Newer leader epoch, but the new leader is not among the alive brokers the broker knows
  /// (ReplicaManager.makeFollowers leaves such a partition as it was).
  std::vector<std::pair<TopicPartition, BrokerId>> skipped;
  std::size_t ignored = 0;
};

class ClusterObserver {
 public:
  virtual ~ClusterObserver() = default;

  virtual void on_truncation(BrokerId /*broker*/, TopicPartition /*tp*/,
                             const std::vector<RecordBatch>& /*removed*/,
                             TruncationReason /*reason*/, Instant /*now*/) {}
  virtual void on_isr_change(BrokerId /*leader*/, TopicPartition /*tp*/,
                             const std::vector<BrokerId>& /*old_isr*/,
                             const std::vector<BrokerId>& /*new_isr*/, Instant /*now*/) {}
  /// A leader's ISR write to ZooKeeper, sent at `write_started`, is still unanswered while
  /// requests to the partition wait for the lock it holds (Partition.maybeShrinkIsr holds
  /// leaderIsrUpdateLock for write around the write; appends and reads need it): told once per
  /// write, kIsrWriteStallReportAfter after it started.
  virtual void on_isr_write_stall(BrokerId /*leader*/, TopicPartition /*tp*/,
                                  const std::vector<BrokerId>& /*old_isr*/,
                                  const std::vector<BrokerId>& /*new_isr*/,
                                  Instant /*write_started*/, std::size_t /*waiting*/,
                                  Instant /*now*/) {}
  /// The ISR write told of by on_isr_write_stall ended: `applied` if ZooKeeper took it, else
  /// `outcome` names the failure; `released` requests waited for it, the first since
  /// `first_blocked`.
  virtual void on_isr_write_done(BrokerId /*leader*/, TopicPartition /*tp*/, bool /*applied*/,
                                 const std::string& /*outcome*/, std::size_t /*released*/,
                                 Instant /*first_blocked*/, Instant /*now*/) {}
  /// The controller wrote a new leader (or none) for a partition to ZooKeeper.
  virtual void on_leader_election(BrokerId /*controller*/, TopicPartition /*tp*/,
                                  BrokerId /*leader*/, LeaderEpoch /*epoch*/,
                                  const std::vector<BrokerId>& /*isr*/, ElectionKind /*kind*/,
                                  const std::string& /*why*/, Instant /*now*/) {}
  /// The controller changed a partition's ISR without changing its leader (a dead or
  /// shutting-down replica leaves it).
  virtual void on_controller_isr_change(BrokerId /*controller*/, TopicPartition /*tp*/,
                                        const std::vector<BrokerId>& /*old_isr*/,
                                        const std::vector<BrokerId>& /*new_isr*/,
                                        LeaderEpoch /*epoch*/, const std::string& /*why*/,
                                        Instant /*now*/) {}
  /// A state the controller wrote left out replicas of the ISR it replaced (`removed`, in that
  /// ISR's order): dead replicas taken out (onReplicasBecomeOffline → ReplicaStateMachine
  /// OfflineReplica → removeReplicasFromIsr, or the election of a new leader from the live ISR
  /// replicas), or a broker in controlled shutdown. Comes with on_leader_election or
  /// on_controller_isr_change for the same write.
  virtual void on_controller_isr_removal(BrokerId /*controller*/, TopicPartition /*tp*/,
                                         const std::vector<BrokerId>& /*removed*/,
                                         Instant /*now*/) {}
  virtual void on_controller_elected(BrokerId /*controller*/, ControllerEpoch /*epoch*/,
                                     Instant /*now*/) {}
  /// A leader refused a write with NOT_ENOUGH_REPLICAS (or _AFTER_APPEND).
  virtual void on_not_enough_replicas(BrokerId /*leader*/, TopicPartition /*tp*/, Errors /*error*/,
                                      Instant /*now*/) {}
  /// A broker's ZooKeeper session expired (it learned so) or was established.
  virtual void on_zk_session(BrokerId /*broker*/, bool /*expired*/, Instant /*now*/) {}
  /// A broker that was shutting down stops, after `attempts` ControlledShutdown requests
  /// (0 when controlled.shutdown.enable is false): `clean` when the controller moved all its
  /// leaders away; otherwise it gives up, still leading `still_led` partitions by the last
  /// answer it had, or none if no attempt was answered (KafkaServer.controlledShutdown then
  /// shuts down anyway).
  virtual void on_shutdown_complete(BrokerId /*broker*/, std::uint32_t /*attempts*/, bool /*clean*/,
                                    std::optional<std::size_t> /*still_led*/, Instant /*now*/) {}
  /// A broker's process started (up) or stopped: a crash, a power loss, or the end of a
  /// shutdown.
  virtual void on_broker_up(BrokerId /*broker*/, bool /*up*/, Instant /*now*/) {}
  /// A step of a consumer group at its coordinator on `coordinator` (group_coordinator.cpp):
  /// `line` says what, for the timeline.
  virtual void on_group_event(BrokerId /*coordinator*/, const std::string& /*group*/,
                              const std::string& /*line*/, Instant /*now*/) {}
  /// A broker received and handled the controller's LeaderAndIsr request.
  virtual void on_leader_and_isr(BrokerId /*broker*/, const LeaderAndIsrReceipt& /*receipt*/,
                                 Instant /*now*/) {}
};

}  // namespace kafkasim
