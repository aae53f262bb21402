// Everything that crosses the simulated network: ZooKeeper's protocol and Kafka's, in one closed
// std::variant. Each node dispatches on it once and hands each alternative to one handler
// (STYLE.md 5).
#pragma once

#include <variant>

#include "kafkasim/core/type_list.h"
#include "kafkasim/protocol/kafka_protocol.h"
#include "kafkasim/protocol/zookeeper_protocol.h"

namespace kafkasim {

using Message = VariantOf<ConcatTypeLists<ZkMessages, KafkaApiMessages>::type>::type;

// The messages grouped by who receives them. Each node kind's on_message visits a Message with
// one handler per type or group it receives and one for the groups it never receives, with no
// catch-all: a message type added to the protocol does not compile until every node kind has
// placed it.

/// To the ZooKeeper server.
using ZkServerBound = TypeList<ZkConnectRequest, ZkPingRequest, ZkRequest>;
/// To a ZooKeeper client (a broker's or a ZooKeeper-style consumer's ZkClient).
using ZkClientBound = TypeList<ZkConnectResponse, ZkPingResponse, ZkResponse, ZkWatchEvent>;
/// The requests a broker serves through its request queue (KafkaApis.handle).
using BrokerRequests =
    TypeList<ProduceRequest, FetchRequest, MetadataRequest, OffsetsForLeaderEpochRequest,
             LeaderAndIsrRequest, UpdateMetadataRequest, StopReplicaRequest,
             ControlledShutdownRequest, ListOffsetsRequest, FindCoordinatorRequest,
             JoinGroupRequest, SyncGroupRequest, HeartbeatRequest, LeaveGroupRequest,
             OffsetCommitRequest, OffsetFetchRequest>;
/// The controller's requests to the brokers (ControllerChannelManager).
using ControllerRequests = TypeList<LeaderAndIsrRequest, UpdateMetadataRequest, StopReplicaRequest>;
/// The answers to the controller's requests (ControllerChannelManager).
using ControllerResponses =
    TypeList<LeaderAndIsrResponse, UpdateMetadataResponse, StopReplicaResponse>;

/// What a node does with a message no node of the model sends it: a model bug, caught by the
/// assertion in test builds; otherwise dropped, as a server drops a packet it cannot parse.
void not_for_this_node(const char* node_kind);

/// Bytes on the wire: record payloads count in full, the rest as a small fixed header. The
/// network charges size*8/bandwidth per hop.
std::uint32_t wire_size(const Message& message);

}  // namespace kafkasim
