#include "kafkasim/client/record_accumulator.h"

#include <algorithm>
#include <stdexcept>

namespace kafkasim {

RecordAccumulator::RecordAccumulator(std::int32_t partitions, std::int32_t batch_size)
    : batch_size_(batch_size),
      queues_(static_cast<std::size_t>(partitions)),
      nonempty_(queues_.size()) {}

bool RecordAccumulator::fits(const ProducerBatch& b, std::uint32_t bytes) const {
  return b.record_count == 0 ||
         b.size_bytes + bytes <= static_cast<std::uint32_t>(std::max(batch_size_, 0));
}

bool RecordAccumulator::full(const ProducerBatch& b) const {
  return b.size_bytes >= static_cast<std::uint32_t>(std::max(batch_size_, 0));
}

bool RecordAccumulator::needs_new_batch(std::int32_t partition, std::uint32_t bytes) const {
  const std::deque<BatchSlot>& queue = queues_[static_cast<std::size_t>(partition)];
  if (queue.empty()) return true;
  const ProducerBatch& last = pool_[queue.back()];
  return !last.open || !fits(last, bytes);
}

BatchSlot RecordAccumulator::allocate() {
  if (!free_.empty()) {
    const BatchSlot slot = free_.back();
    free_.pop_back();
    return slot;
  }
  pool_.emplace_back();
  return static_cast<BatchSlot>(pool_.size() - 1);
}

RecordAccumulator::AppendResult RecordAccumulator::append(std::int32_t partition,
                                                          std::uint32_t sequence,
                                                          std::uint32_t bytes, Instant now) {
  std::deque<BatchSlot>& queue = queues_[static_cast<std::size_t>(partition)];
  AppendResult result{kNoBatch, false, false};
  if (needs_new_batch(partition, bytes)) {
    if (!queue.empty()) pool_[queue.back()].open = false;
    result = {allocate(), true, false};
    ProducerBatch& b = pool_[result.slot];
    std::vector<Instant> times = std::move(b.send_times);  // keep its capacity
    times.clear();
    b = ProducerBatch{};
    b.send_times = std::move(times);
    b.partition = partition;
    b.first_sequence = sequence;
    b.created = b.last_attempt = now;
    b.open = b.queued = true;
    b.older = live_newest_;
    if (live_newest_ != kNoBatch) pool_[live_newest_].newer = result.slot;
    live_newest_ = result.slot;
    if (live_oldest_ == kNoBatch) live_oldest_ = result.slot;
    queue.push_back(result.slot);
    nonempty_.insert(static_cast<std::size_t>(partition));
  } else {
    result.slot = queue.back();
  }
  ProducerBatch& b = pool_[result.slot];
  ++b.record_count;
  b.size_bytes += bytes;
  b.send_times.push_back(now);
  ++records_held_;
  result.batch_is_full = queue.size() > 1 || full(b);
  return result;
}

BatchSlot RecordAccumulator::pop_front(std::int32_t partition) {
  std::deque<BatchSlot>& queue = queues_[static_cast<std::size_t>(partition)];
  const BatchSlot slot = queue.front();
  queue.pop_front();
  if (queue.empty()) nonempty_.erase(static_cast<std::size_t>(partition));
  ProducerBatch& b = pool_[slot];
  b.open = false;
  b.queued = false;
  return slot;
}

void RecordAccumulator::reenqueue(BatchSlot slot, Instant now, RetryOrder order) {
  ProducerBatch& b = pool_[slot];
  b.last_attempt = now;
  ++b.attempts;
  b.queued = true;
  std::deque<BatchSlot>& queue = queues_[static_cast<std::size_t>(b.partition)];
  auto at = queue.begin();
  if (order == RetryOrder::sequence) {
    // Among the batches already retried (at the front, attempts > 0), by sequence.
    while (at != queue.end() && pool_[*at].attempts > 0 &&
           pool_[*at].first_sequence < b.first_sequence)
      ++at;
  }
  queue.insert(at, slot);
  nonempty_.insert(static_cast<std::size_t>(b.partition));
}

void RecordAccumulator::remove_queued(BatchSlot slot) {
  ProducerBatch& b = pool_[slot];
  std::deque<BatchSlot>& queue = queues_[static_cast<std::size_t>(b.partition)];
  const auto at = std::find(queue.begin(), queue.end(), slot);
  if (at == queue.end()) throw std::logic_error("accumulator: batch not queued");
  queue.erase(at);
  if (queue.empty()) nonempty_.erase(static_cast<std::size_t>(b.partition));
  b.queued = false;
  b.open = false;
}

void RecordAccumulator::retire(BatchSlot slot) {
  ProducerBatch& b = pool_[slot];
  if (b.older != kNoBatch)
    pool_[b.older].newer = b.newer;
  else
    live_oldest_ = b.newer;
  if (b.newer != kNoBatch)
    pool_[b.newer].older = b.older;
  else
    live_newest_ = b.older;
  b.older = b.newer = kNoBatch;
  b.done = true;
}

void RecordAccumulator::release(BatchSlot slot) {
  ProducerBatch& b = pool_[slot];
  records_held_ -= b.record_count;
  b.record_count = 0;
  b.send_times.clear();
  free_.push_back(slot);
}

}  // namespace kafkasim
