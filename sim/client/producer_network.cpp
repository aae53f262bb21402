// The producer's NetworkClient: metadata requests to the least loaded broker, answers matched
// by correlation id, request time-outs and disconnections (clients/NetworkClient.java
// leastLoadedNode, handleTimedOutRequests, processDisconnection; DefaultMetadataUpdater).
#include <algorithm>
#include <cassert>
#include <variant>

#include "kafkasim/client/producer.h"

namespace kafkasim {

void Producer::on_message(NodeId from, Message&& message) {
  const std::int32_t broker = broker_of(from);
  if (broker < 0) return;
  const auto index = static_cast<std::size_t>(broker);
  std::visit(Overloaded{
                 [&](ProduceResponse& m) { on_produce_response(index, m); },
                 [&](MetadataResponse& m) { on_metadata_response(index, m); },
                 [](MemberOf<ZkServerBound> auto&) { not_for_this_node("producer"); },
                 [](MemberOf<ZkClientBound> auto&) { not_for_this_node("producer"); },
                 [](MemberOf<BrokerRequests> auto&) { not_for_this_node("producer"); },
                 [](MemberOf<ControllerResponses> auto&) { not_for_this_node("producer"); },
                 [](FetchResponse&) { not_for_this_node("producer"); },
                 [](OffsetsForLeaderEpochResponse&) { not_for_this_node("producer"); },
                 [](ControlledShutdownResponse&) { not_for_this_node("producer"); },
                 [](ListOffsetsResponse&) { not_for_this_node("producer"); },
                 [](MemberOf<GroupResponses> auto&) { not_for_this_node("producer"); },
             },
             message);
  run_sender();
}

void Producer::on_disconnected(NodeId peer) {
  const std::int32_t broker = broker_of(peer);
  if (broker < 0) return;
  close_connection(static_cast<std::size_t>(broker), engine_.now());
  run_sender();
}

void Producer::on_writable(NodeId peer) {
  const std::int32_t broker = broker_of(peer);
  if (broker < 0) return;
  complete_written(static_cast<std::size_t>(broker), engine_.now());
  run_sender();
}

std::int32_t Producer::broker_of(NodeId node) const {
  if (node.value() >= broker_by_node_.size()) return -1;
  return broker_by_node_[node.value()];
}

Producer::InFlightRequest* Producer::find_in_flight(std::size_t broker, CorrelationId id) {
  for (InFlightRequest& request : connections_[broker].in_flight)
    if (request.active && request.correlation_id == id) return &request;
  return nullptr;
}

void Producer::retire_request(std::size_t broker, InFlightRequest& request) {
  request.active = false;
  request.batches.clear();
  --connections_[broker].in_flight_count;
}

void Producer::maybe_update_metadata(Instant now) {
  if (metadata_in_flight_) return;
  const Instant due = metadata_.next_update_at();
  if (due > now) {
    if (due < metadata_timer_at_) {
      metadata_timer_at_ = due;
      metadata_timer_ = engine_.set_timer(due, actor(), timer_cookie(TimerKind::metadata));
    }
    return;
  }
  const std::int32_t broker = least_loaded_broker(now);
  if (broker < 0) {
    // Every broker is backing off or busy: try again when the first backoff ends (a busy
    // broker's answer runs the sender anyway).
    Instant retry_at = Instant::never();
    for (const BrokerConnection& connection : connections_)
      if (connection.reconnect_after > now)
        retry_at = std::min(retry_at, connection.reconnect_after);
    if (retry_at != Instant::never()) wake_sender_at(retry_at);
    return;
  }
  const auto index = static_cast<std::size_t>(broker);
  const CorrelationId id(next_correlation_id_++);
  add_in_flight(index, RequestKind::metadata, id, now);
  Message request(MetadataRequest{id});
  const std::uint32_t bytes = wire_size(request);
  transport_.send(placement_.node, placement_.brokers[index].node, std::move(request), bytes);
  metadata_.on_request_sent(now);
  metadata_in_flight_ = true;
  ++counters_.metadata_requests;
}

std::int32_t Producer::least_loaded_broker(Instant now) {
  // NetworkClient.leastLoadedNode: the broker with the fewest requests in flight among those
  // that can take one. Kafka starts the scan at a random offset; the model rotates the start,
  // which spreads requests the same way without a random draw.
  std::int32_t best = -1;
  const std::size_t count = connections_.size();
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t broker = (bootstrap_next_ + i) % count;
    if (!can_send_to(broker, now)) continue;
    if (best < 0 || connections_[broker].in_flight_count <
                        connections_[static_cast<std::size_t>(best)].in_flight_count)
      best = static_cast<std::int32_t>(broker);
  }
  if (best >= 0) bootstrap_next_ = (static_cast<std::size_t>(best) + 1) % count;
  return best;
}

void Producer::on_metadata_response(std::size_t broker, const MetadataResponse& response) {
  assert(is_up() && broker < connections_.size());
  InFlightRequest* request = find_in_flight(broker, response.correlation_id);
  if (request == nullptr || request->kind != RequestKind::metadata) return;
  retire_request(broker, *request);
  metadata_in_flight_ = false;
  metadata_.update(response, engine_.now());
}

void Producer::on_request_timeout(std::size_t broker) {
  // NetworkClient.handleTimedOutRequests: a request unanswered for request.timeout.ms closes
  // its connection, failing everything on it.
  BrokerConnection& connection = connections_[broker];
  const Instant now = engine_.now();
  Instant earliest = Instant::never();
  for (const InFlightRequest& request : connection.in_flight)
    if (request.active) earliest = std::min(earliest, request.deadline);
  if (earliest == Instant::never()) return;
  if (earliest > now) {
    connection.timeout_timer = engine_.set_timer(
        earliest, actor(),
        timer_cookie(TimerKind::request_timeout, static_cast<std::uint32_t>(broker)));
    return;
  }
  ++counters_.request_timeouts;
  transport_.disconnect(placement_.node, placement_.brokers[broker].node);
  close_connection(broker, now);
}

void Producer::close_connection(std::size_t broker, Instant now) {
  // NetworkClient.processDisconnection: in-flight requests fail as disconnected, which the
  // Sender turns into NETWORK_EXCEPTION for each batch; metadata is refreshed.
  BrokerConnection& connection = connections_[broker];
  connection.reconnect_after = now + spec_.config.reconnect_backoff;
  engine_.cancel(connection.timeout_timer);
  for (InFlightRequest& request : connection.in_flight) {
    if (!request.active) continue;
    request.active = false;
    --connection.in_flight_count;
    if (request.kind == RequestKind::metadata) {
      metadata_in_flight_ = false;
      metadata_.on_request_failed();
    } else {
      for (const BatchSlot slot : request.batches)
        complete_batch(slot, Errors::network_exception, -1, now);
    }
    request.batches.clear();
  }
  metadata_.request_update();
}

}  // namespace kafkasim
