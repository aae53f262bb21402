// The producer's per-partition queues of batches (clients/.../producer/internals/
// RecordAccumulator.java): append() adds a record to the last batch of its partition while it
// fits in batch.size, else opens a new batch; the sender takes batches from the front; a batch
// to retry goes back to the front (reenqueue).
//
// Batches live in a pool of slots that is reused, send-time vectors and all, so a steady run
// allocates nothing per record. Live batches (not yet completed) are also kept in a list by
// creation time, whose head is the next to reach delivery.timeout.ms (KIP-91).
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "kafkasim/client/producer_batch.h"
#include "kafkasim/core/index_set.h"
#include "kafkasim/core/time.h"

namespace kafkasim {

/// Where a batch to retry goes back in its queue.
enum class RetryOrder : std::uint8_t {
  front,     // first in line (Kafka without idempotence: a retry may overtake later batches)
  sequence,  // among the other retries by sequence (idempotence: insertInSequenceOrder)
};

class RecordAccumulator {
 public:
  RecordAccumulator(std::int32_t partitions, std::int32_t batch_size);

  /// Whether a record of `bytes` would open a new batch in `partition` (no open batch, or it
  /// does not fit): KafkaProducer's abortOnNewBatch test.
  bool needs_new_batch(std::int32_t partition, std::uint32_t bytes) const;

  struct AppendResult {
    BatchSlot slot;
    bool new_batch;
    /// RecordAppendResult.batchIsFull: "deque.size() > 1 || batch.isFull()".
    bool batch_is_full;
  };
  /// Appends the record with `sequence`, sent at `now`. A record larger than batch.size gets a
  /// batch of its own, as in Kafka.
  AppendResult append(std::int32_t partition, std::uint32_t sequence, std::uint32_t bytes,
                      Instant now);

  ProducerBatch& batch(BatchSlot slot) { return pool_[slot]; }
  const ProducerBatch& batch(BatchSlot slot) const { return pool_[slot]; }
  const std::deque<BatchSlot>& queue(std::int32_t partition) const {
    return queues_[static_cast<std::size_t>(partition)];
  }
  /// The partitions whose queue holds a batch, ascending: the sender's loops over partitions
  /// with something to send walk these, not every partition of the topic.
  const IndexSet& nonempty_queues() const { return nonempty_; }
  /// MemoryRecordsBuilder.isFull: the batch has reached batch.size. A batch that merely cannot
  /// take the next record becomes sendable when that record opens the next batch (the queue
  /// then holds two: RecordAccumulator.ready's "deque.size() > 1").
  bool full(const ProducerBatch& batch) const;

  /// Takes the front batch of `partition` for sending; it no longer accepts records.
  BatchSlot pop_front(std::int32_t partition);
  /// Puts a batch to retry back in its queue (RecordAccumulator.reenqueue): at the front, or,
  /// with idempotence, in sequence order among the batches already waiting to be retried
  /// (insertInSequenceOrder), so that retries go out in order.
  void reenqueue(BatchSlot slot, Instant now, RetryOrder order);
  /// Takes a batch out of its queue wherever it is (delivery timeout).
  void remove_queued(BatchSlot slot);
  /// The batch completed: it leaves the live list. Its slot stays taken until release().
  void retire(BatchSlot slot);
  /// Returns a retired batch's slot to the pool.
  void release(BatchSlot slot);

  /// The oldest live batch, or kNoBatch.
  BatchSlot oldest_live() const { return live_oldest_; }
  /// Records held: in live batches and in completed batches still referenced by a request.
  std::size_t records_held() const { return records_held_; }
  std::size_t slots_in_use() const { return pool_.size() - free_.size(); }

 private:
  bool fits(const ProducerBatch& batch, std::uint32_t bytes) const;
  BatchSlot allocate();

  std::int32_t batch_size_;
  std::vector<std::deque<BatchSlot>> queues_;
  IndexSet nonempty_;  // i with !queues_[i].empty(), kept by every change of queues_
  std::vector<ProducerBatch> pool_;
  std::vector<BatchSlot> free_;
  BatchSlot live_oldest_ = kNoBatch;
  BatchSlot live_newest_ = kNoBatch;
  std::size_t records_held_ = 0;
};

}  // namespace kafkasim
