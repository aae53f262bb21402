// SocketServer's Processor: one request per connection at a time (SocketServer.scala, Kafka 2.4;
// see socket_server.h).
#include "kafkasim/kafka/socket_server.h"

#include <cassert>

namespace kafkasim {

namespace {

/// The responses a broker sends to its clients' requests (KafkaApis, and the controller's
/// answer to a controlled shutdown).
using BrokerResponses =
    TypeList<ProduceResponse, FetchResponse, MetadataResponse, ListOffsetsResponse,
             OffsetsForLeaderEpochResponse, LeaderAndIsrResponse, UpdateMetadataResponse,
             StopReplicaResponse, ControlledShutdownResponse, FindCoordinatorResponse,
             JoinGroupResponse, SyncGroupResponse, HeartbeatResponse, LeaveGroupResponse,
             OffsetCommitResponse, OffsetFetchResponse>;

}  // namespace

ClientSocket client_socket_of(const BrokerRequest& request) {
  return std::visit(
      Overloaded{
          [](const ProduceRequest&) { return ClientSocket::client; },
          [](const MetadataRequest&) { return ClientSocket::client; },
          [](const ListOffsetsRequest&) { return ClientSocket::client; },
          // A follower's fetches carry its replica id; a consumer's carry -1.
          [](const FetchRequest& m) {
            return m.replica_id == kNoBroker ? ClientSocket::client : ClientSocket::replica_fetcher;
          },
          [](const OffsetsForLeaderEpochRequest&) { return ClientSocket::replica_fetcher; },
          [](const MemberOf<ControllerRequests> auto&) { return ClientSocket::controller; },
          [](const ControlledShutdownRequest&) { return ClientSocket::controlled_shutdown; },
          // FindCoordinator goes to any broker on the client's connection; the group's requests
          // on the connection to the coordinator (AbstractCoordinator).
          [](const FindCoordinatorRequest&) { return ClientSocket::client; },
          [](const JoinGroupRequest&) { return ClientSocket::group_coordinator; },
          [](const SyncGroupRequest&) { return ClientSocket::group_coordinator; },
          [](const HeartbeatRequest&) { return ClientSocket::group_coordinator; },
          [](const LeaveGroupRequest&) { return ClientSocket::group_coordinator; },
          [](const OffsetCommitRequest&) { return ClientSocket::group_coordinator; },
          [](const OffsetFetchRequest&) { return ClientSocket::group_coordinator; },
      },
      request);
}

std::optional<CorrelationId> answered_request(const Message& message) {
  return std::visit(
      [](const auto& m) -> std::optional<CorrelationId> {
        if constexpr (MemberOf<decltype(m), BrokerResponses>) {
          return m.correlation_id;
        } else {
          return std::nullopt;
        }
      },
      message);
}

void SocketServer::reset(Channel& channel, std::uint32_t epoch) {
  channel.muted = false;
  channel.in_service = CorrelationId{};
  channel.epoch = epoch;
  channel.unread.clear();
}

bool SocketServer::arrive(NodeId from, std::uint32_t epoch, BrokerRequest& request,
                          std::uint32_t bytes) {
  Channel& c = channel(from, client_socket_of(request));
  // A new connection is a new channel (Processor.configureNewConnections); the old one's
  // unread requests went with its socket.
  if (c.epoch != epoch) reset(c, epoch);
  if (!c.muted) {
    assert(c.unread.empty());  // a channel is unmuted only once it has nothing unread
    // processCompletedReceives: requestChannel.sendRequest(req); selector.mute(connectionId).
    c.muted = true;
    c.in_service = std::visit([](const auto& m) { return m.correlation_id; }, request);
    return true;
  }
  // Selector.attemptRead skips a muted channel: the request stays in the socket.
  c.unread.push_back(Unread{from, std::move(request), bytes, epoch});
  return false;
}

std::optional<SocketServer::Unread> SocketServer::unmute(NodeId to, CorrelationId correlation_id,
                                                         std::uint32_t current_epoch) {
  for (std::size_t s = 0; s < kClientSockets; ++s) {
    Channel& c = channel(to, static_cast<ClientSocket>(s));
    if (!c.muted || c.in_service != correlation_id) continue;
    if (c.epoch != current_epoch) {  // answered after its connection closed: nothing to read
      reset(c, c.epoch);
      return std::nullopt;
    }
    // processCompletedSends (or a NoOpResponse in processNewResponses): tryUnmuteChannel; the
    // next poll reads the next request, if the client sent one.
    c.muted = false;
    if (c.unread.empty()) return std::nullopt;
    Unread next = std::move(c.unread.front());
    c.unread.erase(c.unread.begin());
    c.muted = true;
    c.in_service = std::visit([](const auto& m) { return m.correlation_id; }, next.request);
    return next;
  }
  return std::nullopt;
}

void SocketServer::disconnected(NodeId peer, std::uint32_t current_epoch) {
  for (std::size_t s = 0; s < kClientSockets; ++s) {
    Channel& c = channel(peer, static_cast<ClientSocket>(s));
    if (c.epoch != current_epoch) reset(c, current_epoch);
  }
}

void SocketServer::clear() {
  for (Channel& c : channels_)
    reset(c, 0);
}

}  // namespace kafkasim
