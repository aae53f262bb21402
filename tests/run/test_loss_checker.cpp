// The loss checker and its final read (sim/run/loss_checker.cpp, sim/run/final_read.cpp) on
// hand-built logs: what counts as lost, duplicated and reordered, the high watermark as the end
// of what a consumer reads, an offline partition, and the explanation of a loss.
#include <doctest/doctest.h>

#include <deque>
#include <string>
#include <vector>

#include "kafkasim/run/loss_checker.h"

using namespace kafkasim;

namespace {

const Instant kStart = Instant::start() + std::chrono::milliseconds(2000);

Instant at_ms(std::int64_t ms) {
  return kStart + std::chrono::milliseconds(ms);
}

/// Topic "orders" with two partitions, both on brokers 1, 2 and 3; producers "app" (index 0)
/// and "billing" (index 1). Every acknowledgement is held by brokers 1 and 2 (the holders
/// query), as the cluster would answer it.
struct Fixture {
  ClusterLayout layout = make_layout();
  LossChecker losses{layout, {"app", "billing"}, kStart, [](TopicPartition, Offset) {
                       return std::uint64_t{0b011};
                     }};
  TopicPartition p0{TopicIndex(0), 0};
  TopicPartition p1{TopicIndex(0), 1};
  std::vector<Instant> send_times = std::vector<Instant>(100, kStart);

  static ClusterLayout make_layout() {
    ClusterLayout layout;
    TopicLayout topic;
    topic.name = "orders";
    topic.partitions = 2;
    topic.assignment = {{BrokerId(1), BrokerId(2), BrokerId(3)},
                        {BrokerId(2), BrokerId(3), BrokerId(1)}};
    layout.topics.push_back(topic);
    layout.brokers = {BrokerId(1), BrokerId(2), BrokerId(3)};
    layout.broker_nodes = {NodeId(1), NodeId(2), NodeId(3)};
    return layout;
  }
  /// `count` records of `producer` from `first`, without keys unless given.
  void send(std::uint32_t producer, TopicPartition tp, std::uint32_t first, std::uint32_t count,
            std::int64_t key = -1) {
    for (std::uint32_t s = first; s < first + count; ++s)
      losses.on_send(ProducerIndex(producer), tp, s, key);
  }
  /// Acknowledges records [first, first + count) of `producer` at `base_offset`, `ms` into the
  /// scenario; returns how many were acknowledged for the first time.
  std::uint32_t ack(std::uint32_t producer, TopicPartition tp, std::uint32_t first,
                    std::uint32_t count, Offset base_offset, std::int64_t ms) {
    BatchOutcome batch;
    batch.producer = ProducerIndex(producer);
    batch.tp = tp;
    batch.first_sequence = first;
    batch.record_count = count;
    batch.base_offset = base_offset;
    batch.send_times = std::span<const Instant>(send_times.data(), count);
    batch.now = at_ms(ms);
    std::uint32_t first_time = 0;
    losses.on_acknowledged(batch, [&](std::uint32_t) { ++first_time; });
    return first_time;
  }
  static RecordBatch batch(std::uint32_t producer, std::uint32_t first, std::uint32_t count,
                           Offset base_offset) {
    RecordBatch b;
    b.producer = ProducerIndex(producer);
    b.first_sequence = first;
    b.record_count = count;
    b.base_offset = base_offset;
    return b;
  }
  /// The final read of both partitions: `log0` up to `hw0`, partition 1 empty.
  RunResult read(const std::deque<RecordBatch>* log0, Offset hw0) {
    static const std::deque<RecordBatch> empty;
    RunResult result;
    losses.final_read({log0, &empty}, {hw0, 0}, result);
    return result;
  }
};

}  // namespace

TEST_CASE("final read: every acknowledged record read once loses nothing") {
  Fixture f;
  f.send(0, f.p0, 0, 10);
  CHECK(f.ack(0, f.p0, 0, 10, 0, 100) == 10);
  const std::deque<RecordBatch> log{Fixture::batch(0, 0, 4, 0), Fixture::batch(0, 4, 6, 4)};
  const RunResult r = f.read(&log, 10);
  CHECK(r.lost_acknowledged == 0);
  CHECK(r.duplicates == 0);
  CHECK(r.reordered == 0);
  CHECK(r.lost_examples.empty());
  REQUIRE(r.partitions.size() == 2);
  CHECK(r.partitions[0].name == "orders-0");
  CHECK(r.partitions[1].name == "orders-1");
  CHECK(r.partitions[0].lost_acknowledged == 0);
}

TEST_CASE("final read: the high watermark ends the read; what lies above it is lost") {
  Fixture f;
  f.losses.on_leader_election(BrokerId(2), f.p0, BrokerId(1), LeaderEpoch(0), {BrokerId(1)},
                              ElectionKind::clean, "created", kStart);
  f.send(0, f.p0, 0, 10);
  f.ack(0, f.p0, 0, 4, 0, 100);
  f.ack(0, f.p0, 4, 6, 4, 250);
  const std::deque<RecordBatch> log{Fixture::batch(0, 0, 4, 0), Fixture::batch(0, 4, 6, 4)};
  // The leader has all ten, but only offsets 0..5 are below its high watermark.
  const RunResult r = f.read(&log, 6);
  CHECK(r.lost_acknowledged == 4);
  REQUIRE(r.partitions.size() == 2);
  CHECK(r.partitions[0].lost_acknowledged == 4);
  CHECK(r.partitions[0].lost_acknowledged_from_ms == 250);
  CHECK(r.partitions[0].lost_acknowledged_to_ms == 250);
  REQUIRE(r.lost_examples.size() == 4);
  const LostExample& e = r.lost_examples.front();
  CHECK(e.id == "app/orders-0/6");
  CHECK(e.partition == "orders-0");
  CHECK(e.offset == 6);
  CHECK(e.acknowledged_at_ms == 250);
  CHECK(e.held_by == std::vector<std::string>{"broker-1", "broker-2"});
  // No truncation removed it and the partition has a leader: the explanation left. (Before
  // any election the checker knows no leader, and would call the partition offline.)
  CHECK(e.removed_by == "no replica that had it became leader: the final leader never had it");
}

TEST_CASE("final read: a record never acknowledged is not lost when missing") {
  Fixture f;
  f.send(0, f.p0, 0, 5);
  f.ack(0, f.p0, 0, 2, 0, 100);  // records 2..4 sent, never acknowledged (failed, or pending)
  const std::deque<RecordBatch> log{Fixture::batch(0, 0, 2, 0)};
  const RunResult r = f.read(&log, 2);
  CHECK(r.lost_acknowledged == 0);
}

TEST_CASE("final read: a record read twice is one duplicate, and not lost") {
  Fixture f;
  f.send(0, f.p0, 0, 3);
  CHECK(f.ack(0, f.p0, 0, 3, 0, 100) == 3);
  // A retry of records 1 and 2 appended again after the leader had them (no idempotence); its
  // acknowledgement adds no acknowledged record.
  CHECK(f.ack(0, f.p0, 1, 2, 3, 200) == 0);
  const std::deque<RecordBatch> log{Fixture::batch(0, 0, 3, 0), Fixture::batch(0, 1, 2, 3)};
  const RunResult r = f.read(&log, 5);
  CHECK(r.duplicates == 2);
  CHECK(r.lost_acknowledged == 0);
  CHECK(r.reordered == 0);  // a copy of a record already read is a duplicate, not a reordering
}

TEST_CASE("final read: reordering is per key, or per producer without keys") {
  SUBCASE("same key: the later record read first") {
    Fixture f;
    f.send(0, f.p0, 0, 2, 7);
    f.ack(0, f.p0, 0, 2, 0, 100);
    const std::deque<RecordBatch> log{Fixture::batch(0, 1, 1, 0), Fixture::batch(0, 0, 1, 1)};
    CHECK(f.read(&log, 2).reordered == 1);
  }
  SUBCASE("different keys may interleave freely") {
    Fixture f;
    f.losses.on_send(ProducerIndex(0), f.p0, 0, 7);
    f.losses.on_send(ProducerIndex(0), f.p0, 1, 8);
    f.ack(0, f.p0, 0, 2, 0, 100);
    const std::deque<RecordBatch> log{Fixture::batch(0, 1, 1, 0), Fixture::batch(0, 0, 1, 1)};
    CHECK(f.read(&log, 2).reordered == 0);
  }
  SUBCASE("no keys: the producer's own order") {
    Fixture f;
    f.send(0, f.p0, 0, 3);
    f.ack(0, f.p0, 0, 3, 0, 100);
    const std::deque<RecordBatch> log{Fixture::batch(0, 2, 1, 0), Fixture::batch(0, 0, 2, 1)};
    CHECK(f.read(&log, 3).reordered == 2);
  }
  SUBCASE("no keys: whole batches in order, then one sent earlier") {
    // Batches after everything read of their producer take the final read's fast path; the
    // latest sequence it notes must still make the late batch's records count as reordered.
    Fixture f;
    f.send(0, f.p0, 0, 7);
    f.ack(0, f.p0, 0, 7, 0, 100);
    const std::deque<RecordBatch> log{Fixture::batch(0, 0, 3, 0), Fixture::batch(0, 5, 2, 3),
                                      Fixture::batch(0, 3, 2, 5), Fixture::batch(0, 5, 2, 7)};
    const RunResult r = f.read(&log, 9);
    CHECK(r.reordered == 2);   // 3 and 4, read after 6
    CHECK(r.duplicates == 2);  // 5 and 6 again
    CHECK(r.lost_acknowledged == 0);
  }
  SUBCASE("two producers never reorder each other") {
    Fixture f;
    f.send(0, f.p0, 0, 1);
    f.send(1, f.p0, 0, 1);
    f.ack(0, f.p0, 0, 1, 1, 100);
    f.ack(1, f.p0, 0, 1, 0, 90);
    const std::deque<RecordBatch> log{Fixture::batch(1, 0, 1, 0), Fixture::batch(0, 0, 1, 1)};
    const RunResult r = f.read(&log, 2);
    CHECK(r.reordered == 0);
    CHECK(r.lost_acknowledged == 0);
  }
}

TEST_CASE("final read: an offline partition loses every acknowledged record, and says why") {
  Fixture f;
  f.send(1, f.p1, 0, 3);
  f.ack(1, f.p1, 0, 3, 0, 500);
  f.losses.on_leader_election(BrokerId(1), f.p1, kNoBroker, LeaderEpoch(4), {},
                              ElectionKind::none_available, "no live replica", at_ms(600));
  const std::deque<RecordBatch> log0;
  RunResult result;
  f.losses.final_read({&log0, nullptr}, {0, 0}, result);
  CHECK(result.lost_acknowledged == 3);
  CHECK(result.partitions[1].lost_acknowledged == 3);
  REQUIRE(result.lost_examples.size() == 3);
  CHECK(result.lost_examples[0].id == "billing/orders-1/0");
  // Partition 1's replicas are [2, 3, 1]: holder bits 0 and 1 are brokers 2 and 3.
  CHECK(result.lost_examples[0].held_by == std::vector<std::string>{"broker-2", "broker-3"});
  CHECK(result.lost_examples[0].removed_by == "the partition had no leader at the end (offline)");
}

TEST_CASE("final read: a loss is explained by every truncation that removed the record") {
  Fixture f;
  f.send(0, f.p0, 0, 4);
  f.ack(0, f.p0, 0, 4, 0, 100);
  const std::vector<RecordBatch> tail{Fixture::batch(0, 2, 2, 2)};
  f.losses.on_truncation(BrokerId(2), f.p0, tail, TruncationReason::leader_epoch, at_ms(5000));
  f.losses.on_truncation(BrokerId(3), f.p0, tail, TruncationReason::power_loss, at_ms(7250));
  const std::deque<RecordBatch> log{Fixture::batch(0, 0, 2, 0)};
  const RunResult r = f.read(&log, 2);
  CHECK(r.lost_acknowledged == 2);
  REQUIRE(r.lost_examples.size() == 2);
  CHECK(r.lost_examples[1].id == "app/orders-0/3");
  CHECK(r.lost_examples[1].offset == 3);
  CHECK(r.lost_examples[1].removed_by ==
        "broker-2 leader-epoch truncation at 5.000 s; broker-3 power-loss truncation at 7.250 s");
}

TEST_CASE("final read: at most ten lost examples, every loss counted") {
  Fixture f;
  f.send(0, f.p0, 0, 25);
  f.ack(0, f.p0, 0, 25, 0, 100);
  const std::deque<RecordBatch> log;
  const RunResult r = f.read(&log, 0);
  CHECK(r.lost_acknowledged == 25);
  CHECK(r.lost_examples.size() == 10);
}

TEST_CASE("acknowledged_among counts records acknowledged at the very offsets removed") {
  Fixture f;
  f.send(0, f.p0, 0, 6);
  f.ack(0, f.p0, 0, 3, 0, 100);   // records 0..2 at offsets 0..2
  f.ack(0, f.p0, 3, 3, 10, 200);  // records 3..5 acknowledged at offsets 10..12 (a retry)
  // A replica removes offsets 3..5 holding records 3..5: an earlier copy, not the acknowledged.
  CHECK(f.losses.acknowledged_among(f.p0, {Fixture::batch(0, 3, 3, 3)}) == 0);
  CHECK(f.losses.acknowledged_among(f.p0, {Fixture::batch(0, 1, 2, 1)}) == 2);
  CHECK(f.losses.acknowledged_among(f.p0, {Fixture::batch(0, 4, 2, 11)}) == 2);
  // acks=0: no offset known, any acknowledgement of the record counts.
  f.send(1, f.p0, 0, 2);
  f.ack(1, f.p0, 0, 2, -1, 300);
  CHECK(f.losses.acknowledged_among(f.p0, {Fixture::batch(1, 0, 2, 40)}) == 2);
}
