#include "kafkasim/kafka/partition_log.h"

#include <algorithm>
#include <cassert>
#include <iterator>

namespace kafkasim {

LeaderEpoch PartitionLog::latest_epoch() const {
  return batches_.empty() ? kNoLeaderEpoch : batches_.back().leader_epoch;
}

void PartitionLog::note_dirty(Instant now) {
  if (!dirty_since_) dirty_since_ = now;
}

std::optional<Offset> PartitionLog::offset_of_sequence(ProducerIndex producer,
                                                       std::uint16_t producer_epoch,
                                                       std::uint32_t sequence) const {
  for (auto it = batches_.rbegin(); it != batches_.rend(); ++it) {
    if (it->producer != producer) continue;
    if (it->producer_epoch != producer_epoch) return std::nullopt;  // older epochs: not it
    if (it->first_sequence > sequence) continue;
    if (sequence - it->first_sequence < it->record_count) {
      return it->base_offset + (sequence - it->first_sequence);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

Offset PartitionLog::append_as_leader(RecordBatch batch, LeaderEpoch epoch, Instant now) {
  batch.base_offset = log_end_offset_;
  batch.leader_epoch = epoch;
  // Log.appendAsLeader → maybeAssignEpochStartOffset: the first batch of a new epoch opens it.
  epochs_.assign(epoch, batch.base_offset);
  producer_state_.update(batch);
  batches_.push_back(batch);
  log_end_offset_ = batch.next_offset();
  note_dirty(now);
  return batch.base_offset;
}

void PartitionLog::append_as_follower(const RecordBatch& batch, Instant now) {
  assert(batch.base_offset == log_end_offset_);
  // Log.appendAsFollower: the follower's cache learns the epochs of what it copies.
  epochs_.assign(batch.leader_epoch, batch.base_offset);
  producer_state_.update(batch);
  batches_.push_back(batch);
  log_end_offset_ = batch.next_offset();
  note_dirty(now);
}

std::vector<RecordBatch> PartitionLog::truncate_to(Offset offset) {
  std::vector<RecordBatch> removed;
  if (offset >= log_end_offset_) return removed;
  offset = std::max<Offset>(offset, 0);
  while (!batches_.empty() && batches_.back().base_offset >= offset) {
    removed.push_back(batches_.back());
    batches_.pop_back();
  }
  if (!batches_.empty() && batches_.back().next_offset() > offset) {
    // Cut the last batch: keep its head, report its tail.
    RecordBatch& head = batches_.back();
    RecordBatch tail = head;
    const auto kept = static_cast<std::uint32_t>(offset - head.base_offset);
    tail.base_offset = offset;
    tail.first_sequence = head.first_sequence + kept;
    tail.record_count = head.record_count - kept;
    tail.size_bytes = static_cast<std::uint32_t>(static_cast<std::uint64_t>(head.size_bytes) *
                                                 tail.record_count / head.record_count);
    head.record_count = kept;
    head.size_bytes -= tail.size_bytes;
    removed.push_back(tail);
  }
  std::reverse(removed.begin(), removed.end());
  log_end_offset_ = offset;
  flushed_offset_ = std::min(flushed_offset_, offset);
  epochs_.truncate_from_end(offset);
  producer_state_.rebuild(batches_);
  return removed;
}

std::uint64_t PartitionLog::read(Offset from, std::uint64_t max_bytes,
                                 std::vector<RecordBatch>& out) const {
  // A fetch from the log end (most partitions of a follower's fetch) reads nothing: every batch
  // ends at or before it. Answered without touching the batches.
  if (from >= log_end_offset_) return 0;
  // The first batch whose records reach past `from`. Followers and consumers read near the end
  // of the log: look back a few batches from there before a binary search of the whole log.
  auto it = batches_.end();
  for (int steps = 0; steps < 16 && it != batches_.begin(); ++steps) {
    if (std::prev(it)->next_offset() <= from) break;
    --it;
  }
  if (it != batches_.begin() && std::prev(it)->next_offset() > from) {
    it = std::partition_point(batches_.begin(), it,
                              [from](const RecordBatch& b) { return b.next_offset() <= from; });
  }
  std::uint64_t bytes = 0;
  for (; it != batches_.end(); ++it) {
    if (bytes > 0 && bytes + it->size_bytes > max_bytes) break;
    out.push_back(*it);
    bytes += it->size_bytes;
  }
  return bytes;
}

void PartitionLog::flush() {
  flushed_offset_ = log_end_offset_;
  dirty_since_.reset();
}

void PartitionLog::writeback(Instant now, Duration dirty_expire) {
  if (dirty_since_ && now - *dirty_since_ >= dirty_expire) flush();
}

std::vector<RecordBatch> PartitionLog::lose_unflushed() {
  std::vector<RecordBatch> lost = truncate_to(flushed_offset_);
  dirty_since_.reset();
  return lost;
}

}  // namespace kafkasim
