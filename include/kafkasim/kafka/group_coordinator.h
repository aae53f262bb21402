// The group coordinator of one broker (core/src/main/scala/kafka/coordinator/group/
// {GroupCoordinator,GroupMetadataManager,GroupMetadata,MemberMetadata,DelayedJoin,
// DelayedHeartbeat}.scala, Kafka 2.4). A group's coordinator is the leader of partition
// abs(hashCode(group)) % offsets.topic.num.partitions of __consumer_offsets
// (GroupMetadataManager.partitionFor). It runs the group's rebalances (JoinGroup, SyncGroup with
// generations), watches its members' heartbeats, and stores the group's assignment and committed
// offsets as records appended to that partition with acks=all. A broker that becomes the
// partition's leader loads the groups from the log (handleGroupImmigration); one that stops
// leading it drops them (handleGroupEmigration), and its members, answered NOT_COORDINATOR, find
// the new coordinator.
//
// The records' values. The log stores record batches, never payloads (partition_log.h): a batch of
// __consumer_offsets carries the producer kGroupRecordProducer and, as its first sequence, the
// index of its value in the run's GroupRecordStore, which never changes once written. Replication,
// truncation and loss act on the batch as on any other; the value is found again when the batch is.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kafkasim/engine/engine.h"
#include "kafkasim/protocol/message.h"
#include "kafkasim/random/rng.h"

namespace kafkasim {

class Broker;
struct DelayedProduce;

/// The name Kafka gives the offsets topic (Topic.GROUP_METADATA_TOPIC_NAME).
inline constexpr const char* kConsumerOffsetsTopic = "__consumer_offsets";
/// The producer of the coordinator's own appends (ReplicaManager.appendRecords with
/// internalTopicsAllowed): none (RecordBatch.NO_PRODUCER_ID).
inline constexpr ProducerIndex kGroupRecordProducer = kNoProducerId;
/// offsets.commit.timeout.ms (KafkaConfig.scala, 2.4): an acks=all append of the coordinator
/// waits at most this long for the replicas.
inline constexpr Duration kOffsetCommitTimeout = std::chrono::milliseconds(5000);
/// GroupCoordinator.NewMemberJoinTimeoutMs: a new member's JoinGroup waits at most this long.
inline constexpr Duration kNewMemberJoinTimeout = std::chrono::milliseconds(5 * 60 * 1000);

/// GroupMetadataManager.partitionFor: Utils.abs(groupId.hashCode) % partitions.
std::int32_t offsets_partition_for(const std::string& group, std::int32_t partitions);

/// One member as the group metadata record stores it (GroupMetadataManager.groupMetadataValue).
struct GroupMemberRecord {
  std::string member_id;
  NodeId client;
  Duration session_timeout{0};
  Duration rebalance_timeout{0};
  TopicIndex topic;
  SubscriptionUserData user_data;  // the subscription's userData (MemberMetadata.metadata)
  std::vector<TopicPartition> assignment;
};

/// The value of one __consumer_offsets batch: a group's committed offsets (one record per
/// partition) or its metadata after a rebalance (one record).
struct GroupRecord {
  std::string group;
  /// Offset commit records (offsetCommitValue): partition and offset.
  std::vector<std::pair<TopicPartition, Offset>> offsets;
  /// A group metadata record (groupMetadataValue), when `is_metadata`.
  bool is_metadata = false;
  std::int32_t generation = 0;
  std::string leader;
  std::vector<GroupMemberRecord> members;
};

/// The values of every batch the coordinators of a run appended, by index (see the header).
class GroupRecordStore {
 public:
  std::uint32_t add(GroupRecord record) {
    records_.push_back(std::move(record));
    return static_cast<std::uint32_t>(records_.size() - 1);
  }
  const GroupRecord& at(std::uint32_t index) const { return records_.at(index); }

 private:
  std::vector<GroupRecord> records_;
};

/// GroupState.scala.
enum class GroupState : std::uint8_t {
  empty,
  preparing_rebalance,
  completing_rebalance,
  stable,
  dead
};

class GroupCoordinator {
 public:
  GroupCoordinator(Broker& broker, TopicIndex offsets_topic, GroupRecordStore& store,
                   std::uint64_t seed);

  // --- KafkaApis: each runs on a request handler thread of the broker -------------------------
  void handle_find_coordinator(NodeId from, const FindCoordinatorRequest& request);
  void handle_join_group(NodeId from, const JoinGroupRequest& request);
  void handle_sync_group(NodeId from, const SyncGroupRequest& request);
  void handle_heartbeat(NodeId from, const HeartbeatRequest& request);
  void handle_leave_group(NodeId from, const LeaveGroupRequest& request);
  void handle_offset_commit(NodeId from, const OffsetCommitRequest& request);
  void handle_offset_fetch(NodeId from, const OffsetFetchRequest& request);

  // --- Partition leadership (KafkaApis.handleLeaderAndIsrRequest's onLeadershipChange) --------
  void on_became_leader(std::int32_t offsets_partition);
  void on_resigned(std::int32_t offsets_partition);
  /// The process died: every group in memory goes.
  void reset();

  void on_timer(std::uint32_t kind, std::uint64_t id);
  /// An acks=all append of this coordinator was answered (DelayedProduce's callback).
  void on_append_done(std::uint64_t append, Errors error);

  TopicIndex offsets_topic() const { return offsets_topic_; }
  /// The offset `group` has committed for `tp` as this coordinator holds it in memory (its
  /// offsets cache, what OffsetFetch answers); nullopt when it holds no such offset: not the
  /// group's coordinator, still loading the group, or nothing committed. For the run's checks.
  std::optional<Offset> committed_offset(const std::string& group, TopicPartition tp) const;

 private:
  enum class Timer : std::uint32_t { heartbeat = 1, join = 2, load = 3 };
  struct Member {
    std::string member_id;
    NodeId client;
    Duration session_timeout{0};
    Duration rebalance_timeout{0};
    TopicIndex topic;
    SubscriptionUserData user_data;
    std::vector<TopicPartition> assignment;
    std::optional<CorrelationId> awaiting_join;
    std::optional<CorrelationId> awaiting_sync;
    bool is_new = false;
    std::uint64_t heartbeat_timer = 0;  // the DelayedHeartbeat in force (its id)
  };
  struct Group {
    std::string id;
    std::int32_t partition = 0;
    GroupState state = GroupState::empty;
    std::int32_t generation = 0;
    std::string leader;
    std::map<std::string, Member> members;
    std::set<std::string> pending_members;
    bool new_member_added = false;
    std::uint64_t join_timer = 0;  // the DelayedJoin in force (its id)
    bool initial_join = false;     // it is an InitialDelayedJoin
    Duration join_remaining{0};    // InitialDelayedJoin's remainingMs
    Duration join_delay{0};        // and its delayMs
    std::map<TopicPartition, Offset> offsets;
  };
  struct PendingAppend {
    std::string group;
    std::int32_t generation = 0;
    bool is_metadata = false;
    NodeId client;  // an offset commit's member
    CorrelationId correlation_id;
    std::vector<std::pair<TopicPartition, Offset>> offsets;
    std::string member_id;
  };
  static PendingAppend pending_for(const Group& group, bool is_metadata) {
    PendingAppend pending;
    pending.group = group.id;
    pending.generation = group.generation;
    pending.is_metadata = is_metadata;
    return pending;
  }

  /// GroupCoordinator.validateGroupStatus: NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS.
  std::optional<Errors> validate_group_status(const std::string& group) const;
  /// UNKNOWN_MEMBER_ID, COORDINATOR_NOT_AVAILABLE (a dead group) or ILLEGAL_GENERATION for a
  /// member's SyncGroup or Heartbeat; none when the member may go on.
  std::optional<Errors> member_error(const Group* group, const std::string& member_id,
                                     std::int32_t generation_id) const;
  bool is_local(std::int32_t partition) const;
  Group& get_or_create(const std::string& group);
  Group* find(const std::string& group);
  void send(NodeId to, Message message);
  void note(const Group& group, const std::string& line);

  void add_member_and_rebalance(Group& group, NodeId from, const JoinGroupRequest& request,
                                const std::string& member_id);
  void maybe_prepare_rebalance(Group& group, const std::string& reason);
  void prepare_rebalance(Group& group, const std::string& reason);
  void try_complete_join(Group& group);
  void on_complete_join(Group& group);
  void on_join_timer(Group& group);
  void remove_member_and_update_group(Group& group, const std::string& member_id,
                                      const std::string& reason);
  void schedule_heartbeat_expiration(Group& group, Member& member, Duration timeout);
  void on_heartbeat_expired(std::uint64_t id);
  void reset_and_propagate_assignment_error(Group& group, Errors error);
  void propagate_assignment(Group& group);
  Duration rebalance_timeout(const Group& group) const;
  bool has_all_members_joined(const Group& group) const;

  /// GroupMetadataManager.appendForGroup: a batch of the group's partition of __consumer_offsets,
  /// appended with acks=all; on_append_done answers it.
  void append_for_group(const Group& group, GroupRecord record, PendingAppend pending);
  void load_partition(std::int32_t partition);
  void unload_group(Group& group);

  Broker& broker_;
  TopicIndex offsets_topic_;
  GroupRecordStore& store_;
  Rng rng_;
  std::map<std::string, Group> groups_;
  std::set<std::int32_t> owned_partitions_;    // loaded, led here
  std::set<std::int32_t> loading_partitions_;  // being loaded
  std::uint64_t next_id_ = 0;
  std::map<std::uint64_t, std::pair<std::string, std::string>> heartbeat_timers_;
  std::map<std::uint64_t, std::string> join_timers_;
  std::map<std::uint64_t, std::int32_t> load_timers_;
  std::map<std::uint64_t, PendingAppend> appends_;
};

}  // namespace kafkasim
