// The producer's Sender: which batches are ready, draining them per leader into produce
// requests, and the per-connection limit on requests in flight
// (clients/.../producer/internals/Sender.java sendProducerData, RecordAccumulator.java ready and
// drainBatchesForOneNode, clients/NetworkClient.java canSendMoreRequests).
#include <algorithm>

#include "kafkasim/client/producer.h"

namespace kafkasim {

void Producer::run_sender() {
  const Instant now = engine_.now();
  // RecordAccumulator.ready: a partition with records but no known leader asks for metadata.
  for (const std::uint32_t p : accumulator_.nonempty_queues()) {
    if (metadata_.leader(static_cast<std::int32_t>(p)) == kNoLeader) {
      metadata_.request_update();
      break;
    }
  }
  maybe_update_metadata(now);
  for (std::size_t broker = 0; broker < connections_.size(); ++broker) {
    if (!has_ready_partition(broker, now)) continue;
    if (now < connections_[broker].reconnect_after) {
      wake_sender_at(connections_[broker].reconnect_after);
      continue;
    }
    // Sender.run loops without waiting while requests can go: one request per pass and broker.
    while (can_send_to(broker, now) && has_ready_partition(broker, now)) {
      if (!send_produce(broker, now)) break;
    }
    // The socket buffers are full: the broker has not read what they hold. Wait for room.
    if (!written(broker))
      transport_.wait_for_room(placement_.node, placement_.brokers[broker].node);
  }
}

bool Producer::can_send_to(std::size_t broker, Instant now) const {
  const BrokerConnection& connection = connections_[broker];
  return now >= connection.reconnect_after &&
         connection.in_flight_count < spec_.config.max_in_flight_requests_per_connection &&
         written(broker);
}

bool Producer::written(std::size_t broker) const {
  // InFlightRequests.canSendMore: "queue.peekFirst().send.completed()". The last request's
  // bytes are all in the socket buffers once the bytes the broker has not read fit in them:
  // this socket's SO_SNDBUF (send.buffer.bytes) and the broker's SO_RCVBUF
  // (socket.receive.buffer.bytes), set in Selector.configureSocketChannel.
  const std::uint64_t buffers = static_cast<std::uint64_t>(spec_.config.send_buffer_bytes) +
                                static_cast<std::uint64_t>(placement_.broker_receive_buffer_bytes);
  return transport_.unread_bytes(placement_.node, placement_.brokers[broker].node) <= buffers;
}

void Producer::complete_written(std::size_t broker, Instant now) {
  if (!written(broker)) return;
  for (InFlightRequest& request : connections_[broker].in_flight) {
    if (!request.active || !request.awaiting_write) continue;
    for (const BatchSlot slot : request.batches)
      complete_batch(slot, Errors::none, -1, now);
    retire_request(broker, request);
  }
}

bool Producer::has_ready_partition(std::size_t broker, Instant now) const {
  // Of the partitions `broker` leads (led_by), only those with a batch can be sendable: walk
  // those instead (a topic of many partitions has few with records waiting at any time).
  for (const std::uint32_t index : accumulator_.nonempty_queues()) {
    const auto p = static_cast<std::int32_t>(index);
    if (metadata_.leader(p) == static_cast<std::int32_t>(broker) && sendable_now(p, now))
      return true;
  }
  return false;
}

bool Producer::sendable_now(std::int32_t partition, Instant now) const {
  const auto& queue = accumulator_.queue(partition);
  if (queue.empty()) return false;
  const std::int32_t in_flight = in_flight_batches_[static_cast<std::size_t>(partition)];
  // Sender.guaranteeMessageOrder: with one request in flight per connection, a partition is
  // muted while its batch is out.
  if (spec_.config.max_in_flight_requests_per_connection == 1 && in_flight > 0) return false;
  const ProducerBatch& first = accumulator_.batch(queue.front());
  if (first.attempts > 0 && now < first.last_attempt + spec_.config.retry_backoff) return false;
  if (retry_must_wait(first)) return false;
  const bool full = queue.size() > 1 || accumulator_.full(first);
  const bool lingered = now >= first.last_attempt + spec_.config.linger;
  return full || lingered;
}

bool Producer::retry_must_wait(const ProducerBatch& first) const {
  // RecordAccumulator.shouldStopDrainBatchesForPartition (idempotence): a batch sent before
  // goes again only if no batch of its partition with a lower sequence is still in flight, so
  // that the leader sees the sequences in order. New batches queue behind it.
  if (!idempotent_ || first.attempts == 0 ||
      in_flight_batches_[static_cast<std::size_t>(first.partition)] == 0)
    return false;
  for (const BrokerConnection& connection : connections_) {
    for (const InFlightRequest& request : connection.in_flight) {
      if (!request.active) continue;
      for (const BatchSlot slot : request.batches) {
        const ProducerBatch& other = accumulator_.batch(slot);
        if (other.partition == first.partition && other.first_sequence < first.first_sequence)
          return true;
      }
    }
  }
  return false;
}

void Producer::drain(std::size_t broker, Instant now, std::vector<BatchSlot>& out) {
  // RecordAccumulator.drainBatchesForOneNode: one batch from each partition the broker leads,
  // ready or not, from a rotating start, up to max.request.size.
  const auto partitions = metadata_.led_by(broker);
  if (partitions.empty()) return;
  BrokerConnection& connection = connections_[broker];
  const std::size_t start = connection.drain_index % partitions.size();
  // The walk goes round `partitions` (ascending) once from `start`; drain_index ends just past
  // the partition it stopped at, or back at `start` after a full round. A partition with an
  // empty queue is passed over and only moves drain_index, which the next one overwrites: so
  // visit only the non-empty queues (RecordAccumulator::nonempty_queues, ascending) that this
  // broker leads, from partitions[start] up, then from the lowest up to partitions[start].
  const std::int32_t round_start = partitions[start];
  const std::vector<std::uint32_t>& nonempty = accumulator_.nonempty_queues().members();
  std::int32_t from = round_start;
  bool wrapped = false;
  std::uint32_t size = 0;
  for (;;) {
    // Re-searched each time: pop_front below may empty a queue and shorten `nonempty`.
    auto next =
        std::lower_bound(nonempty.begin(), nonempty.end(), static_cast<std::uint32_t>(from));
    while (next != nonempty.end() &&
           metadata_.leader(static_cast<std::int32_t>(*next)) != static_cast<std::int32_t>(broker))
      ++next;
    if (!wrapped && next == nonempty.end()) {
      wrapped = true;
      from = 0;
      continue;
    }
    if (wrapped && (next == nonempty.end() || static_cast<std::int32_t>(*next) >= round_start)) {
      connection.drain_index = start;  // a full round
      return;
    }
    const auto p = static_cast<std::int32_t>(*next);
    from = p + 1;
    const auto position = static_cast<std::size_t>(
        std::lower_bound(partitions.begin(), partitions.end(), p) - partitions.begin());
    connection.drain_index = (position + 1) % partitions.size();
    const auto& queue = accumulator_.queue(p);
    const std::int32_t in_flight = in_flight_batches_[static_cast<std::size_t>(p)];
    if (spec_.config.max_in_flight_requests_per_connection == 1 && in_flight > 0) continue;
    const ProducerBatch& first = accumulator_.batch(queue.front());
    if (first.attempts > 0 && now < first.last_attempt + spec_.config.retry_backoff) continue;
    if (size + first.size_bytes > static_cast<std::uint32_t>(spec_.config.max_request_size) &&
        !out.empty())
      break;
    if (retry_must_wait(first)) break;
    size += first.size_bytes;
    out.push_back(accumulator_.pop_front(p));
  }
}

bool Producer::send_produce(std::size_t broker, Instant now) {
  drained_.clear();
  drain(broker, now, drained_);
  if (drained_.empty()) return false;
  const CorrelationId id(next_correlation_id_++);
  ProduceRequest request;
  request.correlation_id = id;
  request.acks = acks_;
  request.timeout = spec_.config.request_timeout;
  request.idempotent = idempotent_;
  request.partitions.reserve(drained_.size());
  for (const BatchSlot slot : drained_) {
    ProducerBatch& batch = accumulator_.batch(slot);
    RecordBatch records;
    records.producer = placement_.index;
    records.first_sequence = batch.first_sequence;
    records.record_count = batch.record_count;
    records.size_bytes = batch.size_bytes;
    records.producer_epoch = producer_epoch_;
    request.partitions.push_back({TopicPartition{placement_.topic, batch.partition}, records});
    batch.in_flight = true;
    batch.request = id;
    ++in_flight_batches_[static_cast<std::size_t>(batch.partition)];
  }
  Message message(std::move(request));
  const std::uint32_t bytes = wire_size(message);
  transport_.send(placement_.node, placement_.brokers[broker].node, std::move(message), bytes);
  ++counters_.produce_requests;
  if (acks_ == ProduceAcks::none && written(broker)) {
    // NetworkClient.handleCompletedSends completes a request that expects no response once its
    // send has completed: its bytes are in the socket buffers.
    for (const BatchSlot slot : drained_)
      complete_batch(slot, Errors::none, -1, now);
    return true;
  }
  InFlightRequest& in_flight = add_in_flight(broker, RequestKind::produce, id, now);
  in_flight.batches.assign(drained_.begin(), drained_.end());
  // acks=0 that did not fit: in flight until the broker reads enough (on_writable).
  in_flight.awaiting_write = acks_ == ProduceAcks::none;
  return true;
}

Producer::InFlightRequest& Producer::add_in_flight(std::size_t broker, RequestKind kind,
                                                   CorrelationId id, Instant now) {
  BrokerConnection& connection = connections_[broker];
  auto slot = std::find_if(connection.in_flight.begin(), connection.in_flight.end(),
                           [](const InFlightRequest& r) { return !r.active; });
  if (slot == connection.in_flight.end()) {
    connection.in_flight.emplace_back();
    slot = connection.in_flight.end() - 1;
  }
  slot->active = true;
  slot->kind = kind;
  slot->correlation_id = id;
  slot->deadline = now + spec_.config.request_timeout;
  slot->batches.clear();
  slot->awaiting_write = false;
  ++connection.in_flight_count;
  if (!engine_.is_pending(connection.timeout_timer)) {
    connection.timeout_timer = engine_.set_timer(
        slot->deadline, actor(),
        timer_cookie(TimerKind::request_timeout, static_cast<std::uint32_t>(broker)));
  }
  return *slot;
}

}  // namespace kafkasim
