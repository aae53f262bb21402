// The Kafka API messages the model exchanges, as plain structs (STYLE.md 5). Field names follow
// Kafka's request and response schemas (clients/src/main/resources/common/message/*.json);
// only the fields the model uses are kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/core/type_list.h"
#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim {

// --- Metadata (clients find partition leaders) -------------------------------------------------

struct MetadataRequest {
  CorrelationId correlation_id;
};

struct PartitionMetadata {
  TopicPartition tp;
  Errors error = Errors::none;
  BrokerId leader = kNoBroker;
  LeaderEpoch leader_epoch = kNoLeaderEpoch;
  std::vector<BrokerId> replicas;
  std::vector<BrokerId> isr;
};

struct MetadataResponse {
  CorrelationId correlation_id;
  BrokerId controller = kNoBroker;
  std::vector<BrokerId> live_brokers;
  std::vector<PartitionMetadata> partitions;
};

// --- Produce ----------------------------------------------------------------------------------

/// The acks of a produce request. `every_replica` is the SPEC's `sync` mode, which Kafka does
/// not have: the leader waits for every assigned replica, in the ISR or not.
enum class ProduceAcks : std::int8_t { none = 0, leader = 1, all = -1, every_replica = -2 };

struct ProducePartitionData {
  TopicPartition tp;
  RecordBatch batch;
};

struct ProduceRequest {
  CorrelationId correlation_id;
  ProduceAcks acks = ProduceAcks::leader;
  Duration timeout{0};
  /// enable.idempotence: the leader checks the batch's sequence numbers per producer.
  bool idempotent = false;
  std::vector<ProducePartitionData> partitions;
};

struct ProducePartitionResponse {
  TopicPartition tp;
  Errors error = Errors::none;
  Offset base_offset = -1;
};

struct ProduceResponse {
  CorrelationId correlation_id;
  std::vector<ProducePartitionResponse> partitions;
};

// --- Fetch (followers and consumers) -----------------------------------------------------------

struct FetchPartition {
  TopicPartition tp;
  Offset fetch_offset = 0;
  LeaderEpoch current_leader_epoch = kNoLeaderEpoch;
};

struct FetchRequest {
  CorrelationId correlation_id;
  /// The fetching follower; kNoBroker for a consumer (Kafka's replica_id -1).
  BrokerId replica_id = kNoBroker;
  Duration max_wait{0};
  std::int32_t min_bytes = 1;
  std::int32_t max_bytes = 0;
  std::int32_t partition_max_bytes = 0;
  std::vector<FetchPartition> partitions;
};

struct FetchPartitionData {
  TopicPartition tp;
  Errors error = Errors::none;
  Offset high_watermark = 0;
  Offset log_end_offset = 0;
  std::vector<RecordBatch> batches;
};

struct FetchResponse {
  CorrelationId correlation_id;
  std::vector<FetchPartitionData> partitions;
};

// --- ListOffsets (consumers find where to start: auto.offset.reset) ---------------------------

/// ListOffsetRequest's special timestamps (ListOffsetRequest.java): the log's last fetchable
/// offset, or its first.
enum class OffsetSpec : std::int8_t { latest = -1, earliest = -2 };

struct ListOffsetsPartition {
  TopicPartition tp;
  OffsetSpec spec = OffsetSpec::latest;
};

struct ListOffsetsRequest {
  CorrelationId correlation_id;
  /// kNoBroker for a consumer (Kafka's replica_id -1): "latest" is then the high watermark.
  BrokerId replica_id = kNoBroker;
  std::vector<ListOffsetsPartition> partitions;
};

struct ListOffsetsPartitionResponse {
  TopicPartition tp;
  Errors error = Errors::none;
  Offset offset = -1;
};

struct ListOffsetsResponse {
  CorrelationId correlation_id;
  std::vector<ListOffsetsPartitionResponse> partitions;
};

// --- Leader epochs (KIP-101/279): where a new follower truncates --------------------------------

struct OffsetForLeaderPartition {
  TopicPartition tp;
  LeaderEpoch leader_epoch;  // the follower's latest epoch
  LeaderEpoch current_leader_epoch;
};

struct OffsetsForLeaderEpochRequest {
  CorrelationId correlation_id;
  std::vector<OffsetForLeaderPartition> partitions;
};

struct EpochEndOffset {
  TopicPartition tp;
  Errors error = Errors::none;
  LeaderEpoch leader_epoch = kNoLeaderEpoch;  // the largest epoch <= the one asked (KIP-279)
  Offset end_offset = -1;
};

struct OffsetsForLeaderEpochResponse {
  CorrelationId correlation_id;
  std::vector<EpochEndOffset> partitions;
};

// --- Controller to brokers --------------------------------------------------------------------

struct LeaderAndIsrPartitionState {
  TopicPartition tp;
  ControllerEpoch controller_epoch;
  BrokerId leader = kNoBroker;
  LeaderEpoch leader_epoch;
  std::vector<BrokerId> isr;
  ZkVersion zk_version;
  std::vector<BrokerId> replicas;
  bool is_new = false;
};

struct LeaderAndIsrRequest {
  CorrelationId correlation_id;
  BrokerId controller_id = kNoBroker;
  ControllerEpoch controller_epoch;
  std::vector<LeaderAndIsrPartitionState> partition_states;
};

struct LeaderAndIsrResponse {
  CorrelationId correlation_id;
  Errors error = Errors::none;
};

struct UpdateMetadataRequest {
  CorrelationId correlation_id;
  BrokerId controller_id = kNoBroker;
  ControllerEpoch controller_epoch;
  std::vector<LeaderAndIsrPartitionState> partition_states;
  std::vector<BrokerId> live_brokers;
};

struct UpdateMetadataResponse {
  CorrelationId correlation_id;
  Errors error = Errors::none;
};

struct StopReplicaRequest {
  CorrelationId correlation_id;
  BrokerId controller_id = kNoBroker;
  ControllerEpoch controller_epoch;
  std::vector<TopicPartition> partitions;
};

struct StopReplicaResponse {
  CorrelationId correlation_id;
  Errors error = Errors::none;
};

// --- Controlled shutdown (a broker asks the controller to move its leaders away) ---------------

struct ControlledShutdownRequest {
  CorrelationId correlation_id;
  BrokerId broker_id = kNoBroker;
};

struct ControlledShutdownResponse {
  CorrelationId correlation_id;
  Errors error = Errors::none;
  std::vector<TopicPartition> remaining_partitions;
};

// --- Consumer groups: the group coordinator (Kafka 2.4; FindCoordinator.json, JoinGroup.json,
// SyncGroup.json, Heartbeat.json, LeaveGroup.json, OffsetCommit.json, OffsetFetch.json) ------
// The consumer protocol's metadata (ConsumerProtocol: the subscription, the assignment) is
// carried as the topic and partitions it encodes.

struct FindCoordinatorRequest {
  CorrelationId correlation_id;
  std::string key;  // the group id
};

struct FindCoordinatorResponse {
  CorrelationId correlation_id;
  Errors error = Errors::none;
  BrokerId node_id = kNoBroker;
};

/// The userData of a consumer's subscription (ConsumerProtocol), which only the sticky assignor
/// fills (StickyAssignor.subscriptionUserData, STICKY_ASSIGNOR_USER_DATA_V1): the partitions of
/// the member's last assignment and that assignment's generation; empty before its first.
struct SubscriptionUserData {
  std::vector<std::int32_t> owned_partitions;
  std::optional<std::int32_t> generation;
  bool operator==(const SubscriptionUserData&) const = default;
};

struct JoinGroupRequest {
  CorrelationId correlation_id;
  std::string group_id;
  Duration session_timeout{0};
  Duration rebalance_timeout{0};
  std::string member_id;  // "" for a member that has none yet
  std::string client_id;  // the first part of the member id the coordinator gives
  TopicIndex topic;       // the subscription
  SubscriptionUserData user_data;
};

struct JoinGroupResponseMember {
  std::string member_id;
  TopicIndex topic;  // its subscription
  SubscriptionUserData user_data;
};

struct JoinGroupResponse {
  CorrelationId correlation_id;
  Errors error = Errors::none;
  std::int32_t generation_id = -1;
  std::string leader;
  std::string member_id;
  /// For the leader only: every member, to compute the assignment.
  std::vector<JoinGroupResponseMember> members;
};

struct SyncGroupRequestAssignment {
  std::string member_id;
  std::vector<TopicPartition> partitions;
};

struct SyncGroupRequest {
  CorrelationId correlation_id;
  std::string group_id;
  std::int32_t generation_id = -1;
  std::string member_id;
  /// From the leader only.
  std::vector<SyncGroupRequestAssignment> assignments;
};

struct SyncGroupResponse {
  CorrelationId correlation_id;
  Errors error = Errors::none;
  std::vector<TopicPartition> partitions;  // this member's assignment
};

struct HeartbeatRequest {
  CorrelationId correlation_id;
  std::string group_id;
  std::int32_t generation_id = -1;
  std::string member_id;
};

struct HeartbeatResponse {
  CorrelationId correlation_id;
  Errors error = Errors::none;
};

struct LeaveGroupRequest {
  CorrelationId correlation_id;
  std::string group_id;
  std::string member_id;
};

struct LeaveGroupResponse {
  CorrelationId correlation_id;
  Errors error = Errors::none;
};

struct OffsetCommitRequestPartition {
  TopicPartition tp;
  Offset committed_offset = -1;
};

struct OffsetCommitRequest {
  CorrelationId correlation_id;
  std::string group_id;
  std::int32_t generation_id = -1;
  std::string member_id;
  std::vector<OffsetCommitRequestPartition> partitions;
};

struct OffsetCommitResponsePartition {
  TopicPartition tp;
  Errors error = Errors::none;
};

struct OffsetCommitResponse {
  CorrelationId correlation_id;
  std::vector<OffsetCommitResponsePartition> partitions;
};

struct OffsetFetchRequest {
  CorrelationId correlation_id;
  std::string group_id;
  std::vector<TopicPartition> partitions;
};

struct OffsetFetchResponsePartition {
  TopicPartition tp;
  Offset committed_offset = -1;  // -1: none committed
};

struct OffsetFetchResponse {
  CorrelationId correlation_id;
  Errors error = Errors::none;
  std::vector<OffsetFetchResponsePartition> partitions;
};

/// The group coordinator's requests (KafkaApis: handleFindCoordinatorRequest, handleJoinGroup-
/// Request, ...), served through a broker's request queue like every request.
using GroupRequests =
    TypeList<FindCoordinatorRequest, JoinGroupRequest, SyncGroupRequest, HeartbeatRequest,
             LeaveGroupRequest, OffsetCommitRequest, OffsetFetchRequest>;
/// Their answers, to a consumer.
using GroupResponses =
    TypeList<FindCoordinatorResponse, JoinGroupResponse, SyncGroupResponse, HeartbeatResponse,
             LeaveGroupResponse, OffsetCommitResponse, OffsetFetchResponse>;

using KafkaApiMessages =
    TypeList<MetadataRequest, MetadataResponse, ProduceRequest, ProduceResponse, FetchRequest,
             FetchResponse, OffsetsForLeaderEpochRequest, OffsetsForLeaderEpochResponse,
             LeaderAndIsrRequest, LeaderAndIsrResponse, UpdateMetadataRequest,
             UpdateMetadataResponse, StopReplicaRequest, StopReplicaResponse,
             ControlledShutdownRequest, ControlledShutdownResponse, ListOffsetsRequest,
             ListOffsetsResponse, FindCoordinatorRequest, FindCoordinatorResponse, JoinGroupRequest,
             JoinGroupResponse, SyncGroupRequest, SyncGroupResponse, HeartbeatRequest,
             HeartbeatResponse, LeaveGroupRequest, LeaveGroupResponse, OffsetCommitRequest,
             OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse>;

}  // namespace kafkasim
