// One replica's log of one partition (core/src/main/scala/kafka/log/Log.scala): record batches
// in offset order, the log end offset (LEO), the leader epoch cache, and what has reached the
// disk. A log stores batches, never per-record objects: a batch is 32 bytes however many
// records it carries.
//
// Durability (docs/design.html "Persistence", Log.scala flush): an append lands in the page
// cache. It reaches the disk when Kafka flushes the log (log.flush.interval.messages / .ms,
// both "never" by default) or when the operating system writes dirty pages back (Linux writes
// back a file whose first dirtying is older than vm.dirty_expire_centisecs, 30 s, checked every
// vm.dirty_writeback_centisecs, 5 s; the whole file's dirty pages go together). A process crash
// loses nothing appended (the page cache survives); a power loss loses the unflushed tail.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/kafka/leader_epoch_cache.h"
#include "kafkasim/kafka/producer_state.h"
#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim {

class PartitionLog {
 public:
  Offset log_end_offset() const { return log_end_offset_; }
  const std::deque<RecordBatch>& batches() const { return batches_; }
  const LeaderEpochCache& epochs() const { return epochs_; }
  /// Each producer's epoch and next sequence, from the batches in this log.
  const ProducerStateTable& producer_state() const { return producer_state_; }
  /// The offset of `producer`'s record with sequence number `sequence` in its current epoch, if
  /// this log holds it (a backward scan: only a retried duplicate asks).
  std::optional<Offset> offset_of_sequence(ProducerIndex producer, std::uint16_t producer_epoch,
                                           std::uint32_t sequence) const;
  /// The epoch of the last batch in the log, or kNoLeaderEpoch for an empty log.
  LeaderEpoch latest_epoch() const;

  /// The leader appends: the batch gets the next offsets and the leader's epoch, and a new
  /// epoch is recorded in the epoch cache (Log.appendAsLeader). Returns the base offset.
  Offset append_as_leader(RecordBatch batch, LeaderEpoch epoch, Instant now);
  /// A new leader opens its epoch at its log end offset before any append (Partition.makeLeader
  /// → Log.maybeAssignEpochStartOffset, KIP-279), so that followers holding records of a later
  /// epoch than any in its log can still find where to truncate.
  void assign_epoch_start(LeaderEpoch epoch, Offset start_offset) {
    epochs_.assign(epoch, start_offset);
  }
  /// A follower appends what its leader sent, keeping the leader's offsets and epochs
  /// (Log.appendAsFollower). Precondition: batch.base_offset == log_end_offset().
  void append_as_follower(const RecordBatch& batch, Instant now);

  /// Removes every record at or after `offset` (Log.truncateTo) and returns what was removed;
  /// a batch cut in two keeps its head. Nothing happens if offset >= log_end_offset().
  std::vector<RecordBatch> truncate_to(Offset offset);

  /// Appends to `out` the batches holding records from `from` on, whole batches, at least one
  /// and then up to `max_bytes` in all (Log.read with minOneMessage). Returns the bytes added.
  std::uint64_t read(Offset from, std::uint64_t max_bytes, std::vector<RecordBatch>& out) const;

  // --- Durability ------------------------------------------------------------------------------
  /// Records below this offset are on disk (Log.recoveryPoint).
  Offset flushed_offset() const { return flushed_offset_; }
  Offset unflushed_messages() const { return log_end_offset_ - flushed_offset_; }
  std::optional<Instant> dirty_since() const { return dirty_since_; }
  /// Kafka's fsync: everything appended is on disk.
  void flush();
  /// The operating system's periodic writeback: if the file was first dirtied `dirty_expire`
  /// ago or earlier, all its dirty pages are written back.
  void writeback(Instant now, Duration dirty_expire);
  /// A power loss: the unflushed tail is gone. Returns what was lost.
  std::vector<RecordBatch> lose_unflushed();

 private:
  void note_dirty(Instant now);

  std::deque<RecordBatch> batches_;
  Offset log_end_offset_ = 0;
  Offset flushed_offset_ = 0;
  std::optional<Instant> dirty_since_;
  LeaderEpochCache epochs_;
  ProducerStateTable producer_state_;
};

}  // namespace kafkasim
