// The controller's per-broker request queues, re-sent until answered: Kafka 2.4's
// ControllerChannelManager (addBroker, removeBroker, sendRequest) and RequestSendThread.doWork
// (core/src/main/scala/kafka/controller/ControllerChannelManager.scala). See the header.
#include "kafkasim/kafka/controller_channel_manager.h"

#include <cassert>
#include <utility>

#include "kafkasim/kafka/broker.h"

namespace kafkasim {

namespace {

/// The correlation id of a controller request (LeaderAndIsr, UpdateMetadata, StopReplica).
CorrelationId& correlation_id_of(Message& request) {
  CorrelationId* id = nullptr;
  std::visit(
      [&id](auto& m) {
        if constexpr (MemberOf<decltype(m), ControllerRequests>) id = &m.correlation_id;
      },
      request);
  assert(id != nullptr && "only the controller's requests go through its channels");
  return *id;
}

}  // namespace

ControllerChannelManager::ControllerChannelManager(Broker& broker, ControllerEpoch epoch)
    : broker_(broker), epoch_(epoch) {}

ControllerChannelManager::~ControllerChannelManager() {
  shutdown();
}

void ControllerChannelManager::add_broker(BrokerId broker) {
  // "be careful here. Maybe the startup() API has already started the request send thread"
  channels_.try_emplace(broker);
}

void ControllerChannelManager::remove_broker(BrokerId broker) {
  // removeExistingBroker: the send thread stops (no more re-sends) and the queue is cleared. An
  // answer to the request that was in flight finds no channel and is dropped.
  const auto it = channels_.find(broker);
  if (it == channels_.end()) return;
  cancel_timer(it->second);
  channels_.erase(it);
}

void ControllerChannelManager::shutdown() {
  for (auto& [broker, channel] : channels_)
    cancel_timer(channel);
  channels_.clear();
}

void ControllerChannelManager::send_request(BrokerId to, Message request) {
  const auto it = channels_.find(to);
  if (it == channels_.end()) return;  // "since it is offline"
  Channel& channel = it->second;
  channel.queue.push_back(std::move(request));
  // The send thread takes the next request only once the one before was answered.
  if (!channel.in_flight && !channel.timer.valid()) send_head(to, channel);
}

std::size_t ControllerChannelManager::queued(BrokerId broker) const {
  const auto it = channels_.find(broker);
  return it == channels_.end() ? 0 : it->second.queue.size();
}

void ControllerChannelManager::send_head(BrokerId to, Channel& channel) {
  assert(!channel.queue.empty() && !channel.in_flight);
  const NodeId target = broker_.layout().node_of(to);
  // brokerReady waits for the connection up to controller.socket.timeout.ms; once connected,
  // the NetworkClient gives the request request.timeout.ms.
  const BrokerConfig& config = broker_.cluster().broker_config;
  const Duration timeout = broker_.env_.network.connected(broker_.node(), target)
                               ? config.request_timeout
                               : config.controller_socket_timeout;
  Message request = channel.queue.front();
  channel.in_flight = true;
  channel.in_flight_id = correlation_id_of(request);
  set_timer(to, channel, timeout);
  broker_.send(target, std::move(request));
}

void ControllerChannelManager::on_response(NodeId from, CorrelationId correlation_id) {
  const BrokerId broker = broker_.layout().broker_of(from);
  const auto it = channels_.find(broker);
  if (it == channels_.end()) return;
  Channel& channel = it->second;
  // An answer to an attempt given up on (timed out, its connection closed) is not the one
  // awaited: NetworkClient matches answers to requests by correlation id.
  if (!channel.in_flight || channel.in_flight_id != correlation_id) return;
  // The response's content needs nothing: the model's controller registers no callbacks
  // (Kafka's uses them for topic deletion and for the errors of a LeaderAndIsr, not modelled).
  cancel_timer(channel);
  channel.in_flight = false;
  channel.queue.pop_front();
  if (!channel.queue.empty()) send_head(broker, channel);
}

void ControllerChannelManager::on_disconnected(NodeId peer) {
  const BrokerId broker = broker_.layout().broker_of(peer);
  const auto it = channels_.find(broker);
  if (it == channels_.end() || !it->second.in_flight) return;
  // NetworkClientUtils.sendAndReceive: "Connection to ... was disconnected before the response
  // was read" → doWork's catch: close, back off, send again. The connection is gone already.
  attempt_failed(broker, it->second, false);
}

void ControllerChannelManager::on_timer(std::uint32_t index, std::uint64_t payload) {
  if (static_cast<std::int32_t>(payload >> 32) != epoch_.value()) return;
  const BrokerId broker(static_cast<std::int32_t>(index));
  const auto it = channels_.find(broker);
  if (it == channels_.end()) return;
  Channel& channel = it->second;
  if ((payload & 0xffffffffu) != channel.timer_token) return;  // cancelled meanwhile
  channel.timer = TimerId{};
  if (channel.in_flight) {
    // No answer in time (a lost request, a host that is down, a path cut): the NetworkClient
    // disconnects and doWork's catch closes the connection, backs off and re-sends.
    attempt_failed(broker, channel, true);
  } else {
    // The back-off is over: the same request again, under a new correlation id
    // (NetworkClient.newClientRequest numbers each send).
    assert(!channel.queue.empty());
    ++resends_;
    correlation_id_of(channel.queue.front()) = broker_.next_correlation_id();
    send_head(broker, channel);
  }
}

void ControllerChannelManager::attempt_failed(BrokerId to, Channel& channel,
                                              bool close_connection) {
  assert(channel.in_flight);
  channel.in_flight = false;
  cancel_timer(channel);
  // networkClient.close(brokerNode): what was held on the connection (a request waiting at a
  // cut path) is discarded, so that only the re-sent copy arrives.
  if (close_connection) {
    broker_.env_.network.disconnect(broker_.node(), broker_.layout().node_of(to));
  }
  set_timer(to, channel, kSendBackoff);
}

void ControllerChannelManager::set_timer(BrokerId to, Channel& channel, Duration delay) {
  cancel_timer(channel);
  channel.timer_token = ++next_token_ & 0xffffffffu;
  const std::uint64_t payload =
      (static_cast<std::uint64_t>(static_cast<std::uint32_t>(epoch_.value())) << 32) |
      channel.timer_token;
  channel.timer = broker_.set_timer(delay, BrokerTimer::controller_channel, payload,
                                    static_cast<std::uint32_t>(to.value()));
}

void ControllerChannelManager::cancel_timer(Channel& channel) {
  if (channel.timer.valid()) broker_.engine().cancel(channel.timer);
  channel.timer = TimerId{};
  channel.timer_token = 0;
}

}  // namespace kafkasim
