// The controller's channels to the brokers: Kafka 2.4's ControllerChannelManager and its
// RequestSendThread (core/src/main/scala/kafka/controller/ControllerChannelManager.scala).
//
// The controller keeps one queue per live broker. A request waits in its broker's queue; one at
// a time is on the wire (the send thread's NetworkClient allows one request in flight), and it
// stays at the head of the queue until the broker answers. A request that fails (the connection
// breaks, or no answer comes in time) is re-sent after a 100 ms back-off
// (RequestSendThread.doWork: `backoff()`), on a fresh connection, for as long as the broker has
// a channel: the controller drops a broker's channel, queue and all, when the broker leaves
// /brokers/ids (removeBroker), and gives it a fresh one when it registers again (addBroker; a
// broker that bounced within one broker-change event gets both). A request for a broker without
// a channel is not sent ("Not sending request ... since it is offline").
//
// How long a request waits for its answer: the send thread first makes sure it is connected
// (brokerReady → NetworkClientUtils.awaitReady, at most controller.socket.timeout.ms), then
// waits for the response (sendAndReceive; the NetworkClient times the request out after
// request.timeout.ms). The network opens a connection with its first message, so a request on a
// connection that is not open waits controller.socket.timeout.ms (the connect), one on an open
// connection request.timeout.ms.
#pragma once

#include <cstdint>
#include <deque>
#include <map>

#include "kafkasim/engine/engine.h"
#include "kafkasim/protocol/kafka_types.h"
#include "kafkasim/protocol/message.h"

namespace kafkasim {

class Broker;

class ControllerChannelManager {
 public:
  /// RequestSendThread.doWork's back-off after a failed send.
  static constexpr Duration kSendBackoff = std::chrono::milliseconds(100);

  ControllerChannelManager(Broker& broker, ControllerEpoch epoch);
  /// Cancels the channels' timers (a controller that resigns or dies sends nothing more).
  ~ControllerChannelManager();
  ControllerChannelManager(const ControllerChannelManager&) = delete;
  ControllerChannelManager& operator=(const ControllerChannelManager&) = delete;

  /// addBroker: a fresh channel with an empty queue, unless the broker has one.
  void add_broker(BrokerId broker);
  /// removeBroker: the broker's channel goes, with every request it still held.
  void remove_broker(BrokerId broker);
  /// shutdown (the controller resigns): every channel goes.
  void shutdown();

  /// sendRequest: queues `request` (a LeaderAndIsr, UpdateMetadata or StopReplica) for `to`;
  /// dropped when `to` has no channel.
  void send_request(BrokerId to, Message request);

  bool has_channel(BrokerId broker) const { return channels_.contains(broker); }
  /// Requests held for `broker`: waiting, in flight, or to be re-sent (0 without a channel).
  std::size_t queued(BrokerId broker) const;
  /// Requests sent again after a failed attempt, over the controller's life.
  std::uint64_t resends() const { return resends_; }

  // --- What the broker forwards ---------------------------------------------------------------
  /// A LeaderAndIsr, UpdateMetadata or StopReplica response from `from`.
  void on_response(NodeId from, CorrelationId correlation_id);
  void on_disconnected(NodeId peer);
  /// A BrokerTimer::controller_channel timer rang.
  void on_timer(std::uint32_t index, std::uint64_t payload);

 private:
  struct Channel {
    /// Its head is the request on the wire (or backing off to be re-sent).
    std::deque<Message> queue;
    bool in_flight = false;
    CorrelationId in_flight_id;
    /// The timer of the attempt in flight (its timeout) or of the back-off; `timer_token` tells
    /// a timer of this channel's current wait from an older one.
    TimerId timer;
    std::uint64_t timer_token = 0;
  };

  void send_head(BrokerId to, Channel& channel);
  void attempt_failed(BrokerId to, Channel& channel, bool close_connection);
  void set_timer(BrokerId to, Channel& channel, Duration delay);
  void cancel_timer(Channel& channel);

  Broker& broker_;
  const ControllerEpoch epoch_;
  std::map<BrokerId, Channel> channels_;
  std::uint64_t next_token_ = 0;
  std::uint64_t resends_ = 0;
};

}  // namespace kafkasim
