// The application side of the producer: send() at the scheduled times, the partition choice
// and the append to the accumulator (KafkaProducer.doSend).
#include "kafkasim/client/producer.h"

#include <algorithm>
#include <string>

namespace kafkasim {

ProduceAcks produce_acks(AckMode mode) {
  switch (mode) {
    case AckMode::none:
      return ProduceAcks::none;
    case AckMode::async:
      return ProduceAcks::leader;
    case AckMode::isr:
      return ProduceAcks::all;
    case AckMode::sync:
      return ProduceAcks::every_replica;
  }
  return ProduceAcks::leader;
}

namespace {

Rng producer_stream(const ProducerPlacement& placement, const ProducerSpec& spec,
                    const char* what) {
  return Rng::stream(placement.seed, "producer/" + spec.name + "/" + what);
}

}  // namespace

Producer::Producer(Engine& engine, Transport<Message>& transport, const ProducerSpec& spec,
                   ProducerPlacement placement, ProducerListener& listener)
    : engine_(engine),
      transport_(transport),
      spec_(spec),
      placement_(std::move(placement)),
      listener_(listener),
      actor_(engine.add_actor(*this)),
      acks_(produce_acks(placement_.mode)),
      // KafkaProducer refuses idempotence without acks=all; sync is stricter than all.
      idempotent_(spec.config.enable_idempotence &&
                  (acks_ == ProduceAcks::all || acks_ == ProduceAcks::every_replica)),
      key_free_record_bytes_(static_cast<std::uint32_t>(spec.message_bytes)),
      arrivals_(spec_, placement_.end, producer_stream(placement_, spec_, "arrivals")),
      keys_rng_(producer_stream(placement_, spec_, "keys")),
      partitioner_(spec_, placement_.partitions, producer_stream(placement_, spec_, "partitioner")),
      accumulator_(placement_.partitions, spec.config.batch_size),
      metadata_(placement_.topic, placement_.partitions, placement_.brokers,
                spec.config.retry_backoff, spec.config.metadata_max_age),
      connections_(placement_.brokers.size()),
      next_sequence_(static_cast<std::size_t>(placement_.partitions), 0),
      in_flight_batches_(static_cast<std::size_t>(placement_.partitions), 0) {
  for (std::size_t i = 0; i < placement_.brokers.size(); ++i) {
    const std::size_t node = placement_.brokers[i].node.value();
    if (node >= broker_by_node_.size()) broker_by_node_.resize(node + 1, -1);
    broker_by_node_[node] = static_cast<std::int32_t>(i);
  }
}

void Producer::start() {
  if (const auto first = arrivals_.next())
    engine_.set_timer(*first, actor_, cookie(TimerKind::arrival));
  run_sender();  // the bootstrap metadata request
}

void Producer::on_timer(TimerCookie timer) {
  const auto kind = static_cast<TimerKind>(timer >> 32);
  const auto data = static_cast<std::uint32_t>(timer);
  switch (kind) {
    case TimerKind::arrival:
      on_arrival();
      break;
    case TimerKind::sender_wakeup:
      break;
    case TimerKind::request_timeout:
      on_request_timeout(data);
      break;
    case TimerKind::delivery_timeout:
      on_delivery_timeout();
      break;
    case TimerKind::metadata:
      metadata_timer_at_ = Instant::never();
      break;
  }
  run_sender();
}

void Producer::on_arrival() {
  const Instant now = engine_.now();
  const std::int64_t key =
      spec_.keys > 0
          ? static_cast<std::int64_t>(keys_rng_.below(static_cast<std::uint64_t>(spec_.keys)))
          : kNoKey;
  append(key, now);
  // A paused (or crashed, then frozen) producer process resumes with arrivals that came due
  // meanwhile: the application calls send() for them at once, one after another, as a
  // process does with the work that piled up during a GC pause.
  if (const auto next = arrivals_.next())
    engine_.set_timer(std::max(*next, now), actor_, cookie(TimerKind::arrival));
}

std::uint32_t Producer::record_bytes(std::int64_t key) const {
  if (key == kNoKey) return key_free_record_bytes_;
  // "key-" and the decimal digits: the key's bytes travel with the value (murmur2.h).
  std::uint32_t digits = 1;
  for (std::int64_t k = key; k >= 10; k /= 10)
    ++digits;
  return key_free_record_bytes_ + 4 + digits;
}

void Producer::append(std::int64_t key, Instant now) {
  const std::uint32_t bytes = record_bytes(key);
  std::int32_t partition = partitioner_.partition(key, metadata_.available());
  // KafkaProducer.doSend (KIP-480): a record that would open a new batch first lets the sticky
  // partitioner move on (onNewBatch), then is partitioned again.
  if (partitioner_.sticky_for(key) && accumulator_.needs_new_batch(partition, bytes)) {
    partitioner_.on_new_batch(partition, metadata_.available());
    partition = partitioner_.partition(key, metadata_.available());
  }
  const std::uint32_t sequence = next_sequence_[static_cast<std::size_t>(partition)]++;
  const auto result = accumulator_.append(partition, sequence, bytes, now);
  ++counters_.sent;
  listener_.on_send(placement_.index, TopicPartition{placement_.topic, partition}, sequence, key,
                    now);
  if (result.new_batch) {
    arm_delivery_timer();
    // Linger: the sender looks again when the batch has waited linger.ms.
    if (spec_.config.linger > Duration(0)) wake_sender_at(now + spec_.config.linger);
  }
}

void Producer::wake_sender_at(Instant at) {
  if (at == last_wakeup_at_ && at > engine_.now()) return;  // already set
  last_wakeup_at_ = at;
  engine_.set_timer(at, actor_, cookie(TimerKind::sender_wakeup));
}

}  // namespace kafkasim
