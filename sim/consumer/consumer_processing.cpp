// The application thread of a member: poll(), then process each record for processing_ms
// (KafkaConsumer.poll with max.poll.records, Fetcher.fetchedRecords; Kafka 2.4).
#include <algorithm>

#include "kafkasim/consumer/consumer.h"

namespace kafkasim {

bool Consumer::poll_group() {
  if (!coordinated()) return true;
  // KafkaConsumer.poll → ConsumerCoordinator.poll: the heartbeat thread learns of the poll
  // (pollHeartbeat), the group is joined if need be, and offsets are committed every
  // auto.commit.interval.ms (maybeAutoCommitOffsetsAsync). Until the member is stable with its
  // offsets, poll() returns nothing.
  last_poll_ = engine_.now();
  if (!ensure_group()) {
    idle_ = true;
    return false;
  }
  if (spec_.config.enable_auto_commit && engine_.now() >= next_auto_commit_) {
    next_auto_commit_ = engine_.now() + spec_.config.auto_commit_interval;
    send_offset_commit(false);
  }
  return true;
}

bool Consumer::take_records() {
  // Fetcher.fetchedRecords: up to max.poll.records buffered records, a partition's in offset
  // order; the partitions take turns from one poll to the next.
  const auto limit = static_cast<std::size_t>(spec_.config.max_poll_records);
  const std::size_t count = owned_.size();
  for (std::size_t k = 0; k < count && polled_.size() < limit; ++k) {
    OwnedPartition& p = owned_[(poll_cursor_ + k) % count];
    while (!p.buffered.empty() && polled_.size() < limit) {
      RecordBatch& batch = p.buffered.front();
      // Records below the consumed offset (the head of a batch that began before it) are
      // skipped, as Fetcher.PartitionRecords does.
      const Offset from = std::max(batch.base_offset, p.consumed);
      const Offset room = static_cast<Offset>(limit - polled_.size());
      const Offset to = std::min(batch.next_offset(), from + room);
      for (Offset offset = from; offset < to; ++offset) {
        const auto index = static_cast<std::uint32_t>(offset - batch.base_offset);
        polled_.push_back({p.partition, offset, batch.producer, batch.first_sequence + index});
      }
      if (to >= batch.next_offset()) {
        p.buffered.pop_front();
      } else {
        // The rest of the batch waits for the next poll: trim what was handed over.
        const auto taken = static_cast<std::uint32_t>(to - batch.base_offset);
        batch.base_offset = to;
        batch.first_sequence += taken;
        batch.record_count -= taken;
      }
    }
  }
  if (count > 0) poll_cursor_ = (poll_cursor_ + 1) % count;
  // "Before returning the fetched records, we can send off the next round of fetches"
  // (KafkaConsumer.poll): fetching overlaps processing.
  send_fetches();
  idle_ = polled_.empty();  // an empty poll blocks until an answer brings data
  return !idle_;
}

void Consumer::poll() {
  if (!is_up() || rebalancing_ || processing_) return;
  run_application();
}

void Consumer::run_application() {
  // Records that take no time are done at once; one that takes time ends this call, and its
  // timer carries on.
  while (polled_.empty() ? poll_group() && take_records() : true) {
    current_ = polled_.front();
    polled_.pop_front();
    const Duration time = spec_.processing_ms.sample_ms(rng_);
    if (time > Duration{0}) {
      processing_ = true;
      set_timer(time, TimerKind::processing_done);
      return;
    }
    complete_record();
  }
}

void Consumer::complete_record() {
  ++counters_.processed;
  listener_.on_processed(placement_.group, TopicPartition{placement_.topic, current_.partition},
                         current_.offset, current_.producer, current_.sequence, engine_.now());
  if (OwnedPartition* p = owned(current_.partition)) p->consumed = current_.offset + 1;
}

void Consumer::on_processing_done() {
  processing_ = false;
  complete_record();
  if (waiting_for_processing_) {
    continue_attempt();  // the rebalance was waiting for this record
    return;
  }
  poll();
}

}  // namespace kafkasim
