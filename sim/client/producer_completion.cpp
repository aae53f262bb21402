// How a producer's batches end: answers, retries and the delivery timeout
// (clients/.../producer/internals/Sender.java completeBatch, canRetry and reenqueueBatch;
// RecordAccumulator.java expiredBatches; ProducerBatch.java hasReachedDeliveryTimeout, KIP-91).
#include <cassert>
#include <span>

#include "kafkasim/client/producer.h"

namespace kafkasim {

namespace {

/// Errors that are InvalidMetadataException in Kafka: the producer asks for new metadata.
bool says_metadata_is_stale(Errors error) {
  switch (error) {
    case Errors::not_leader_for_partition:
    case Errors::leader_not_available:
    case Errors::unknown_topic_or_partition:
    case Errors::network_exception:
    case Errors::fenced_leader_epoch:
    case Errors::unknown_leader_epoch:
      return true;
    default:
      return false;
  }
}

}  // namespace

void Producer::on_produce_response(std::size_t broker, const ProduceResponse& response) {
  assert(is_up() && broker < connections_.size());
  InFlightRequest* request = find_in_flight(broker, response.correlation_id);
  // Unknown: answered after its connection was declared lost; its batches were failed then.
  if (request == nullptr || request->kind != RequestKind::produce) return;
  const Instant now = engine_.now();
  for (const BatchSlot slot : request->batches) {
    const std::int32_t partition = accumulator_.batch(slot).partition;
    // A leader answers for every partition it was sent; a missing answer is treated as a
    // lost one.
    Errors error = Errors::network_exception;
    Offset base_offset = -1;
    for (const ProducePartitionResponse& p : response.partitions) {
      if (p.tp.topic == placement_.topic && p.tp.partition == partition) {
        error = p.error;
        base_offset = p.base_offset;
        break;
      }
    }
    complete_batch(slot, error, base_offset, now);
  }
  retire_request(broker, *request);
}

void Producer::complete_batch(BatchSlot slot, Errors error, Offset base_offset, Instant now) {
  ProducerBatch& batch = accumulator_.batch(slot);
  if (batch.in_flight) {
    batch.in_flight = false;
    --in_flight_batches_[static_cast<std::size_t>(batch.partition)];
  }
  // Already failed by the delivery timeout while in flight: the answer changes nothing
  // (ProducerBatch.done refuses a second completion).
  if (batch.done) {
    accumulator_.release(slot);
    return;
  }
  // Sender: DUPLICATE_SEQUENCE_NUMBER means an idempotent leader already has the batch.
  if (error == Errors::none || (idempotent_ && error == Errors::duplicate_sequence_number)) {
    finish(slot, Errors::none, error == Errors::none ? base_offset : -1, now);
    return;
  }
  if (says_metadata_is_stale(error)) metadata_.request_update();
  if (can_retry(batch, error, now)) {
    accumulator_.reenqueue(slot, now, idempotent_ ? RetryOrder::sequence : RetryOrder::front);
    ++counters_.retries;
    wake_sender_at(now + spec_.config.retry_backoff);
    return;
  }
  finish(slot, error, -1, now);
}

bool Producer::can_retry(const ProducerBatch& batch, Errors error, Instant now) const {
  // Sender.canRetry (2.4): attempts left, delivery timeout not reached, a retriable error. With
  // idempotence an out-of-order sequence means an earlier batch failed and will be resent first.
  const bool retriable =
      is_retriable(error) || (idempotent_ && error == Errors::out_of_order_sequence_number);
  return batch.attempts < spec_.config.retries &&
         now - batch.created < spec_.config.delivery_timeout && retriable;
}

void Producer::finish(BatchSlot slot, Errors error, Offset base_offset, Instant now) {
  ProducerBatch& batch = accumulator_.batch(slot);
  accumulator_.retire(slot);
  const BatchOutcome outcome{placement_.index,
                             TopicPartition{placement_.topic, batch.partition},
                             batch.first_sequence,
                             batch.record_count,
                             base_offset,
                             error,
                             std::span<const Instant>(batch.send_times),
                             now};
  if (error == Errors::none) {
    counters_.acknowledged += batch.record_count;
    listener_.on_acknowledged(outcome);
  } else {
    counters_.failed += batch.record_count;
    listener_.on_failed(outcome);
  }
  // A request still carries it: the slot is freed when that request ends.
  if (!batch.in_flight) accumulator_.release(slot);
}

void Producer::on_delivery_timeout() {
  // RecordAccumulator.expiredBatches and Sender.getExpiredInflightBatches: a batch that has
  // existed for delivery.timeout.ms fails, queued or in flight.
  const Instant now = engine_.now();
  for (BatchSlot slot = accumulator_.oldest_live(); slot != kNoBatch;
       slot = accumulator_.oldest_live()) {
    const ProducerBatch& batch = accumulator_.batch(slot);
    if (batch.created + spec_.config.delivery_timeout > now) break;
    if (batch.queued) accumulator_.remove_queued(slot);
    finish(slot, Errors::request_timed_out, -1, now);
  }
  arm_delivery_timer();
}

void Producer::arm_delivery_timer() {
  // One timer, at the oldest live batch's deadline: batches are created in time order, so it
  // is the earliest. If that batch completes first, the timer fires early and moves on.
  if (engine_.is_pending(delivery_timer_)) return;
  const BatchSlot oldest = accumulator_.oldest_live();
  if (oldest == kNoBatch) return;
  delivery_timer_ =
      engine_.set_timer(accumulator_.batch(oldest).created + spec_.config.delivery_timeout, actor(),
                        timer_cookie(TimerKind::delivery_timeout));
}

}  // namespace kafkasim
