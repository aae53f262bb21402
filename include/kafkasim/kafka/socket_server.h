// A broker's network threads as they pace its clients: SocketServer's Processor reads one
// request per connection at a time (core/src/main/scala/kafka/network/SocketServer.scala,
// Kafka 2.4). processCompletedReceives hands a request to the request queue and mutes its
// channel (selector.mute); processCompletedSends unmutes it once the response has been written
// to the socket, and processNewResponses unmutes it at once for a request that gets no
// response (a NoOpResponse: acks=0 produce, after the handler has appended it). Whatever a
// client sends meanwhile stays in the connection, unread (Selector.attemptRead reads nothing
// from a muted channel), not in the request queue: a producer's pipelined requests
// (max.in.flight.requests.per.connection) overlap only their transfer, and an acks=all request
// is not even read until the one before it has been answered.
//
// One network connection between two nodes stands for several TCP connections in Kafka; each
// is muted on its own (ClientSocket). A connection that is reset is a new channel: what was
// left unread on the old one is gone with it (Selector.close discards its staged receives).
//
// Simplified: a response counts as sent when the broker hands it to the network (Kafka: when
// its last byte is in the socket's send buffer; a response larger than socket.send.buffer.bytes
// would keep the channel muted a little longer); requests read but staged (Selector's
// stagedReceives, at most one receive buffer's worth) count as unread; no quota throttling.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "kafkasim/core/strong_id.h"
#include "kafkasim/core/type_list.h"
#include "kafkasim/protocol/message.h"

namespace kafkasim {

/// A request in the broker's request queue: one of BrokerRequests (protocol/message.h).
using BrokerRequest = VariantOf<BrokerRequests>::type;

/// The TCP connections a client node keeps to a broker, each muted on its own: a producer's or
/// consumer's NetworkClient; a follower's ReplicaFetcherThread (its own NetworkClient,
/// ReplicaFetcherBlockingSend); the controller's RequestSendThread for this broker
/// (ControllerChannelManager); KafkaServer.doControlledShutdown's client.
/// group_coordinator: a consumer's connection to its group coordinator, apart from its fetch
/// connection to the same broker (AbstractCoordinator names the coordinator node
/// Integer.MAX_VALUE - id "to allow separate connections for the coordinator").
enum class ClientSocket : std::uint8_t {
  client,
  replica_fetcher,
  controller,
  controlled_shutdown,
  group_coordinator
};
inline constexpr std::size_t kClientSockets = 5;

/// The socket a request travels on.
ClientSocket client_socket_of(const BrokerRequest& request);
/// The request a response answers, if `message` is a broker's response to a client's request.
std::optional<CorrelationId> answered_request(const Message& message);

class SocketServer {
 public:
  /// A request left unread in a muted channel.
  struct Unread {
    NodeId from;
    BrokerRequest request;
    std::uint32_t bytes = 0;
    std::uint32_t epoch = 0;  // the connection it came on (Network::connection_epoch)
  };

  /// Channels for `endpoints` network nodes.
  explicit SocketServer(std::size_t endpoints) : channels_(endpoints * kClientSockets) {}

  /// A request of `bytes` arrives from `from` on connection `epoch`. Returns true if the
  /// processor reads it now (its channel was free; it is muted now); false if the request stays
  /// unread in the channel, queued behind the one being served (moved from `request`).
  bool arrive(NodeId from, std::uint32_t epoch, BrokerRequest& request, std::uint32_t bytes);

  /// The response to `correlation_id` went to `to`, or such a request was handled without one
  /// (NoOpResponse): its channel is unmuted. Returns the request the processor reads next from
  /// that channel (the channel is muted again), if one waits there on connection
  /// `current_epoch`; what waits on an older connection is dropped. A response that matches no
  /// muted channel (its connection was reset meanwhile) unmutes nothing.
  std::optional<Unread> unmute(NodeId to, CorrelationId correlation_id,
                               std::uint32_t current_epoch);

  /// The connections with `peer` older than `current_epoch` are closed: their channels and what
  /// they held unread go.
  void disconnected(NodeId peer, std::uint32_t current_epoch);
  /// The broker process died: every channel goes.
  void clear();

  /// Whether `from`'s `socket` has a request being served (for tests).
  bool muted(NodeId from, ClientSocket socket) const { return channel(from, socket).muted; }
  /// Requests waiting unread in `from`'s `socket` (for tests).
  std::size_t unread(NodeId from, ClientSocket socket) const {
    return channel(from, socket).unread.size();
  }

 private:
  struct Channel {
    bool muted = false;
    CorrelationId in_service;  // the request read and not yet answered, while muted
    std::uint32_t epoch = 0;
    std::vector<Unread> unread;  // in arrival order; a few at most (the client's window)
  };
  Channel& channel(NodeId node, ClientSocket socket) {
    return channels_[node.value() * kClientSockets + static_cast<std::size_t>(socket)];
  }
  const Channel& channel(NodeId node, ClientSocket socket) const {
    return channels_[node.value() * kClientSockets + static_cast<std::size_t>(socket)];
  }
  static void reset(Channel& channel, std::uint32_t epoch);

  std::vector<Channel> channels_;
};

}  // namespace kafkasim
