// The log of one replica: offsets, epochs, truncation, reads and durability.
#include <doctest/doctest.h>

#include "kafkasim/kafka/partition_log.h"

using namespace kafkasim;
using namespace std::chrono_literals;

namespace {
RecordBatch batch_of(std::uint32_t first_sequence, std::uint32_t count) {
  RecordBatch b;
  b.producer = ProducerIndex(0);
  b.first_sequence = first_sequence;
  b.record_count = count;
  b.size_bytes = 100 * count;
  return b;
}
const Instant t0 = Instant::start();
}  // namespace

TEST_CASE("the leader assigns consecutive offsets and stamps its epoch") {
  PartitionLog log;
  CHECK(log.append_as_leader(batch_of(0, 3), LeaderEpoch(0), t0) == 0);
  CHECK(log.append_as_leader(batch_of(3, 2), LeaderEpoch(0), t0) == 3);
  CHECK(log.append_as_leader(batch_of(5, 1), LeaderEpoch(2), t0) == 5);
  CHECK(log.log_end_offset() == 6);
  CHECK(log.latest_epoch() == LeaderEpoch(2));
  CHECK(log.epochs().entries() ==
        std::vector<EpochEntry>{{LeaderEpoch(0), 0}, {LeaderEpoch(2), 5}});
}

TEST_CASE("the epoch cache answers OffsetsForLeaderEpoch as LeaderEpochFileCache does") {
  PartitionLog log;
  log.append_as_leader(batch_of(0, 4), LeaderEpoch(1), t0);
  log.append_as_leader(batch_of(4, 4), LeaderEpoch(3), t0);
  log.append_as_leader(batch_of(8, 2), LeaderEpoch(5), t0);
  const LeaderEpochCache& cache = log.epochs();
  // The latest epoch: the log end offset.
  CHECK(cache.end_offset_for(LeaderEpoch(5), log.log_end_offset()) ==
        std::pair{LeaderEpoch(5), Offset{10}});
  // An epoch this leader never had: the largest one below it, ending where the next starts.
  CHECK(cache.end_offset_for(LeaderEpoch(2), 10) == std::pair{LeaderEpoch(1), Offset{4}});
  CHECK(cache.end_offset_for(LeaderEpoch(3), 10) == std::pair{LeaderEpoch(3), Offset{8}});
  // Older than everything: the start of the first epoch.
  CHECK(cache.end_offset_for(LeaderEpoch(0), 10) == std::pair{LeaderEpoch(0), Offset{0}});
  // Newer than everything: undefined.
  CHECK(cache.end_offset_for(LeaderEpoch(7), 10) == std::pair{kNoLeaderEpoch, Offset{-1}});
}

TEST_CASE("a follower keeps the leader's offsets and learns its epochs") {
  PartitionLog leader;
  leader.append_as_leader(batch_of(0, 2), LeaderEpoch(4), t0);
  leader.append_as_leader(batch_of(2, 2), LeaderEpoch(6), t0);
  PartitionLog follower;
  std::vector<RecordBatch> fetched;
  CHECK(leader.read(0, 1 << 20, fetched) == 400);
  for (const RecordBatch& b : fetched)
    follower.append_as_follower(b, t0);
  CHECK(follower.log_end_offset() == 4);
  CHECK(follower.epochs().entries() == leader.epochs().entries());
}

TEST_CASE("truncation removes the tail, cuts a batch and rewinds the epoch cache") {
  PartitionLog log;
  log.append_as_leader(batch_of(0, 3), LeaderEpoch(0), t0);
  log.append_as_leader(batch_of(3, 3), LeaderEpoch(1), t0);
  log.append_as_leader(batch_of(6, 3), LeaderEpoch(2), t0);
  const std::vector<RecordBatch> removed = log.truncate_to(4);
  CHECK(log.log_end_offset() == 4);
  REQUIRE(removed.size() == 2);
  CHECK(removed[0].base_offset == 4);  // the tail of the cut batch
  CHECK(removed[0].first_sequence == 4);
  CHECK(removed[0].record_count == 2);
  CHECK(removed[1].base_offset == 6);
  CHECK(log.batches().back().record_count == 1);
  CHECK(log.epochs().entries() ==
        std::vector<EpochEntry>{{LeaderEpoch(0), 0}, {LeaderEpoch(1), 3}});
  CHECK(log.truncate_to(10).empty());  // beyond the end: nothing
}

TEST_CASE("reads return whole batches from the one holding the offset, at least one") {
  PartitionLog log;
  for (std::uint32_t i = 0; i < 5; ++i)
    log.append_as_leader(batch_of(2 * i, 2), LeaderEpoch(0), t0);
  std::vector<RecordBatch> out;
  CHECK(log.read(3, 450, out) == 400);  // batches at 2 and 4 (200 bytes each), not the third
  REQUIRE(out.size() == 2);
  CHECK(out[0].base_offset == 2);
  out.clear();
  CHECK(log.read(0, 10, out) == 200);  // one batch even if larger than max_bytes
  out.clear();
  CHECK(log.read(10, 1000, out) == 0);  // at the log end: nothing
}

TEST_CASE("a power loss keeps what was flushed or written back") {
  PartitionLog log;
  log.append_as_leader(batch_of(0, 5), LeaderEpoch(0), t0);
  log.flush();
  log.append_as_leader(batch_of(5, 5), LeaderEpoch(0), t0 + 1s);
  CHECK(log.unflushed_messages() == 5);
  log.writeback(t0 + 20s, 30s);  // dirtied 19 s ago: not yet
  CHECK(log.flushed_offset() == 5);
  log.append_as_leader(batch_of(10, 5), LeaderEpoch(0), t0 + 25s);
  log.writeback(t0 + 31s, 30s);  // first dirtied 30 s ago: the whole file goes
  CHECK(log.flushed_offset() == 15);
  log.append_as_leader(batch_of(15, 5), LeaderEpoch(1), t0 + 32s);
  const std::vector<RecordBatch> lost = log.lose_unflushed();
  CHECK(log.log_end_offset() == 15);
  REQUIRE(lost.size() == 1);
  CHECK(lost[0].first_sequence == 15);
  CHECK(log.latest_epoch() == LeaderEpoch(0));
}

TEST_CASE("every replica knows each producer's next sequence; truncation rebuilds it") {
  PartitionLog leader;
  PartitionLog follower;
  RecordBatch other = batch_of(0, 4);
  other.producer = ProducerIndex(2);
  other.producer_epoch = 1;
  for (const RecordBatch& b : {batch_of(0, 3), other, batch_of(3, 2)}) {
    const Offset base = leader.append_as_leader(b, LeaderEpoch(0), t0);
    RecordBatch copied = b;
    copied.base_offset = base;
    follower.append_as_follower(copied, t0);
  }
  for (const PartitionLog* log : {&leader, &follower}) {
    const ProducerStateTable::Entry p0 = log->producer_state().find(ProducerIndex(0));
    CHECK(p0.known);
    CHECK(p0.next_sequence == 5);
    const ProducerStateTable::Entry p2 = log->producer_state().find(ProducerIndex(2));
    CHECK(p2.known);
    CHECK(p2.epoch == 1);
    CHECK(p2.next_sequence == 4);
    CHECK_FALSE(log->producer_state().find(ProducerIndex(1)).known);
  }
  // Cutting the last batch of producer 0 in two: it expects the first record removed next.
  follower.truncate_to(8);
  CHECK(follower.producer_state().find(ProducerIndex(0)).next_sequence == 4);
  // Removing all of producer 2's records: the log no longer knows it.
  follower.truncate_to(3);
  CHECK_FALSE(follower.producer_state().find(ProducerIndex(2)).known);
  CHECK(follower.producer_state().find(ProducerIndex(0)).next_sequence == 3);
}

// A retried duplicate waits for the high watermark past its original records (Log.append
// returns the duplicate's offsets; DelayedProduce waits for them): the leader finds them by
// producer, epoch and sequence.
TEST_CASE("a producer's record is found by its sequence number, in its epoch only") {
  PartitionLog log;
  RecordBatch other = batch_of(0, 4);
  other.producer = ProducerIndex(2);
  for (const RecordBatch& b : {batch_of(0, 3), other, batch_of(3, 2)})
    log.append_as_leader(b, LeaderEpoch(0), t0);
  CHECK(log.offset_of_sequence(ProducerIndex(0), 0, 1) == Offset{1});
  CHECK(log.offset_of_sequence(ProducerIndex(0), 0, 4) == Offset{8});
  CHECK(log.offset_of_sequence(ProducerIndex(2), 0, 3) == Offset{6});
  CHECK_FALSE(log.offset_of_sequence(ProducerIndex(0), 0, 5).has_value());
  CHECK_FALSE(log.offset_of_sequence(ProducerIndex(0), 1, 1).has_value());
  log.truncate_to(8);
  CHECK_FALSE(log.offset_of_sequence(ProducerIndex(0), 0, 4).has_value());
}
