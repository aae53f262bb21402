// The application side of the producer: send() at the scheduled times, the partition choice
// and the append to the accumulator (KafkaProducer.doSend).
#include "kafkasim/client/producer.h"

#include <algorithm>
#include <optional>
#include <span>
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
    : Process(engine, transport, placement.node, Initially::up),
      engine_(engine),
      transport_(transport),
      spec_(spec),
      placement_(std::move(placement)),
      listener_(listener),
      acks_(produce_acks(placement_.mode)),
      // KafkaProducer.configureAcks refuses idempotence with acks other than all (the loader
      // refuses a producer config that sets both; check_clients.cpp): a run whose mode is
      // acks=1 or 0 runs an idempotent producer as a Kafka application must be configured to
      // use those acks, without idempotence (the loader warns, the timeline says so). sync is
      // stricter than all.
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

void Producer::start_sending() {
  if (const auto first = arrivals_.next()) {
    next_arrival_at_ = *first;
    if (is_up()) engine_.set_timer(*first, actor(), timer_cookie(TimerKind::arrival));
  }
  if (is_up()) run_sender();  // the bootstrap metadata request
}

void Producer::on_crash(CrashKind /*kind*/) {
  const Instant now = engine_.now();
  // What the process held is gone with it: queued batches, and batches in requests whose
  // answers will never be read. Each is reported once; a batch already done was reported.
  for (BatchSlot slot = accumulator_.oldest_live(); slot != kNoBatch;) {
    const ProducerBatch& batch = accumulator_.batch(slot);
    counters_.abandoned += batch.record_count;
    listener_.on_abandoned({placement_.index, TopicPartition{placement_.topic, batch.partition},
                            batch.first_sequence, batch.record_count, -1, Errors::none,
                            std::span<const Instant>(batch.send_times), now});
    slot = batch.newer;
  }
  accumulator_ = RecordAccumulator(placement_.partitions, spec_.config.batch_size);
  metadata_ = ProducerMetadata(placement_.topic, placement_.partitions, placement_.brokers,
                               spec_.config.retry_backoff, spec_.config.metadata_max_age);
  partitioner_ = RecordPartitioner(spec_, placement_.partitions,
                                   producer_stream(placement_, spec_, "partitioner"));
  connections_.assign(placement_.brokers.size(), BrokerConnection{});
  std::fill(in_flight_batches_.begin(), in_flight_batches_.end(), 0);
  drained_.clear();
  bootstrap_next_ = 0;
  metadata_in_flight_ = false;
  metadata_timer_ = TimerId{};
  metadata_timer_at_ = Instant::never();
  delivery_timer_ = TimerId{};
  last_wakeup_at_ = Instant::never();
}

void Producer::on_start() {
  // A new producer id to the brokers (see ProducerStateTable); the application's message
  // numbering goes on.
  ++producer_epoch_;
  const Instant now = engine_.now();
  std::optional<Instant> next;
  if (next_arrival_at_ != Instant::never()) next = next_arrival_at_;
  while (next && *next < now)
    next = arrivals_.next();
  next_arrival_at_ = next ? *next : Instant::never();
  if (next) engine_.set_timer(*next, actor(), timer_cookie(TimerKind::arrival));
  run_sender();  // the bootstrap metadata request
}

void Producer::on_timer(TimerCookie timer) {
  const auto kind = timer_kind<TimerKind>(timer);
  const auto data = static_cast<std::uint32_t>(timer.payload);
  switch (kind) {
    case TimerKind::arrival:
      // KafkaProducer.doSend: "if (result.batchIsFull || result.newBatchCreated)
      // this.sender.wakeup()". A record that joins a batch that is not yet full changes
      // nothing the sender acts on: its linger, back-off and reconnect timers, and the
      // responses it awaits, wake it when there is something to do.
      if (!on_arrival()) return;
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

bool Producer::on_arrival() {
  const Instant now = engine_.now();
  const std::int64_t key =
      spec_.keys > 0
          ? static_cast<std::int64_t>(keys_rng_.below(static_cast<std::uint64_t>(spec_.keys)))
          : kNoKey;
  const bool wake_sender = append(key, now);
  next_arrival_at_ = Instant::never();
  // A paused producer process resumes with arrivals that came due meanwhile: the application
  // calls send() for them at once, one after another, as a process does with the work that
  // piled up during a GC pause (found by the swarm: the next arrival was set in the past).
  if (const auto next = arrivals_.next()) {
    next_arrival_at_ = std::max(*next, now);
    engine_.set_timer(next_arrival_at_, actor(), timer_cookie(TimerKind::arrival));
  }
  return wake_sender;
}

std::uint32_t Producer::record_bytes(std::int64_t key) const {
  if (key == kNoKey) return key_free_record_bytes_;
  // "key-" and the decimal digits: the key's bytes travel with the value (murmur2.h).
  std::uint32_t digits = 1;
  for (std::int64_t k = key; k >= 10; k /= 10)
    ++digits;
  return key_free_record_bytes_ + 4 + digits;
}

bool Producer::append(std::int64_t key, Instant now) {
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
  return result.new_batch || result.batch_is_full;
}

void Producer::wake_sender_at(Instant at) {
  if (at == last_wakeup_at_ && at > engine_.now()) return;  // already set
  last_wakeup_at_ = at;
  engine_.set_timer(at, actor(), timer_cookie(TimerKind::sender_wakeup));
}

}  // namespace kafkasim
