// The replication rules of one partition (Partition.scala, Replica.scala, Kafka 2.4): the high
// watermark, lastCaughtUpTime, ISR shrink and expand, the min.insync.replicas check.
#include <doctest/doctest.h>

#include "kafkasim/kafka/partition.h"

using namespace kafkasim;
using namespace std::chrono_literals;

namespace {

const BrokerId b1{1}, b2{2}, b3{3};
const Duration lag_max = 10s;

LeaderAndIsrPartitionState state(BrokerId leader, std::vector<BrokerId> isr, int epoch = 1) {
  LeaderAndIsrPartitionState s;
  s.tp = TopicPartition{TopicIndex(0), 0};
  s.controller_epoch = ControllerEpoch(1);
  s.leader = leader;
  s.leader_epoch = LeaderEpoch(epoch);
  s.isr = std::move(isr);
  s.zk_version = ZkVersion(0);
  s.replicas = {b1, b2, b3};
  return s;
}

RecordBatch records(std::uint32_t count) {
  RecordBatch b;
  b.record_count = count;
  b.size_bytes = 100 * count;
  return b;
}

Instant at(Duration d) {
  return Instant::start() + d;
}

}  // namespace

TEST_CASE("the high watermark waits for every ISR member and never goes back") {
  Partition p(TopicPartition{TopicIndex(0), 0}, b1);
  p.make_leader(state(b1, {b1, b2, b3}), at(0s), lag_max);
  p.log().append_as_leader(records(10), p.leader_epoch(), at(0s));
  CHECK(p.high_watermark() == 0);  // the followers' log ends are unknown
  p.update_follower_fetch_state(b2, 10, at(1s));
  CHECK_FALSE(p.maybe_increment_high_watermark(at(1s), lag_max));  // b3 still unknown
  p.update_follower_fetch_state(b3, 4, at(1s));
  CHECK(p.maybe_increment_high_watermark(at(1s), lag_max));
  CHECK(p.high_watermark() == 4);
  p.update_follower_fetch_state(b3, 10, at(2s));
  CHECK(p.maybe_increment_high_watermark(at(2s), lag_max));
  CHECK(p.high_watermark() == 10);
  // A follower reporting an older position (it truncated) cannot pull the HW back.
  p.update_follower_fetch_state(b3, 7, at(3s));
  CHECK_FALSE(p.maybe_increment_high_watermark(at(3s), lag_max));
  CHECK(p.high_watermark() == 10);
}

TEST_CASE("min.insync.replicas refuses acks=all when the ISR is too small, not acks=1") {
  Partition p(TopicPartition{TopicIndex(0), 0}, b1);
  p.make_leader(state(b1, {b1}), at(0s), lag_max);
  CHECK(p.check_append(ProduceAcks::all, 2) == Errors::not_enough_replicas);
  CHECK(p.check_append(ProduceAcks::every_replica, 2) == Errors::not_enough_replicas);
  CHECK(p.check_append(ProduceAcks::leader, 2) == Errors::none);
  CHECK(p.check_append(ProduceAcks::all, 1) == Errors::none);
  Partition follower(TopicPartition{TopicIndex(0), 0}, b2);
  follower.make_follower(state(b1, {b1, b2}));
  CHECK(follower.check_append(ProduceAcks::leader, 1) == Errors::not_leader_for_partition);
}

TEST_CASE("a follower that stops fetching leaves the ISR after replica.lag.time.max.ms") {
  Partition p(TopicPartition{TopicIndex(0), 0}, b1);
  p.make_leader(state(b1, {b1, b2, b3}), at(0s), lag_max);
  p.log().append_as_leader(records(5), p.leader_epoch(), at(1s));
  p.update_follower_fetch_state(b2, 5, at(1s));  // b2 caught up at 1 s
  p.update_follower_fetch_state(b3, 5, at(1s));
  p.maybe_increment_high_watermark(at(1s), lag_max);
  p.log().append_as_leader(records(5), p.leader_epoch(), at(2s));
  p.update_follower_fetch_state(b2, 10, at(2s));  // b2 keeps up; b3 stops fetching
  // At 11 s b3 has been behind (5 != 10) and not caught up for exactly 10 s: not yet.
  CHECK_FALSE(p.isr_to_shrink(at(11s), lag_max).has_value());
  const auto shrunk = p.isr_to_shrink(at(11s) + 1ms, lag_max);
  REQUIRE(shrunk.has_value());
  CHECK(*shrunk == std::vector<BrokerId>{b1, b2});
  // The change takes effect only once ZooKeeper accepted it; then the HW may advance.
  CHECK(p.high_watermark() == 5);
  CHECK(p.apply_isr_change(*shrunk, ZkVersion(1), at(12s), lag_max));
  CHECK(p.high_watermark() == 10);
  CHECK(p.zk_version() == ZkVersion(1));
}

TEST_CASE("a slow but steady follower stays in the ISR (lastCaughtUpTime rule)") {
  Partition p(TopicPartition{TopicIndex(0), 0}, b1);
  p.make_leader(state(b1, {b1, b2}), at(0s), lag_max);
  // Every second the leader appends; the follower's fetch reaches where the log ended at its
  // previous fetch, never the current end: it was caught up as of its previous fetch.
  Offset leader_end = 0;
  for (int second = 1; second <= 60; ++second) {
    const Offset previous_end = leader_end;
    p.update_follower_fetch_state(b2, previous_end, at(std::chrono::seconds(second)));
    p.log().append_as_leader(records(3), p.leader_epoch(), at(std::chrono::seconds(second)));
    leader_end = p.log().log_end_offset();
    CHECK_FALSE(p.isr_to_shrink(at(std::chrono::seconds(second)), lag_max).has_value());
  }
}

TEST_CASE("an out-of-sync follower that stays at the log end is not removed") {
  Partition p(TopicPartition{TopicIndex(0), 0}, b1);
  p.make_leader(state(b1, {b1, b2}), at(0s), lag_max);
  p.log().append_as_leader(records(5), p.leader_epoch(), at(0s));
  p.update_follower_fetch_state(b2, 5, at(0s));
  // No traffic for a minute: the follower is at the log end, so it is in sync.
  CHECK_FALSE(p.isr_to_shrink(at(60s), lag_max).has_value());
}

TEST_CASE("a follower rejoins the ISR once it reaches the high watermark and the epoch start") {
  Partition p(TopicPartition{TopicIndex(0), 0}, b1);
  p.log().append_as_leader(records(4), LeaderEpoch(0), at(0s));
  p.make_leader(state(b1, {b1, b2}, 2), at(0s), lag_max);
  CHECK(p.leader_epoch_start_offset() == 4);
  p.log().append_as_leader(records(4), p.leader_epoch(), at(1s));
  p.update_follower_fetch_state(b2, 8, at(1s));
  p.maybe_increment_high_watermark(at(1s), lag_max);
  CHECK(p.high_watermark() == 8);
  p.update_follower_fetch_state(b3, 3, at(2s));
  CHECK_FALSE(p.isr_to_expand(b3).has_value());
  p.update_follower_fetch_state(b3, 8, at(3s));
  const auto expanded = p.isr_to_expand(b3);
  REQUIRE(expanded.has_value());
  CHECK(*expanded == std::vector<BrokerId>{b1, b2, b3});
  p.isr_update_in_flight = true;  // one ZooKeeper write at a time
  CHECK_FALSE(p.isr_to_expand(b3).has_value());
}

TEST_CASE("each follower's in_isr follows the ISR through makeLeader and ISR changes") {
  // FollowerState.in_isr is a copy of the ISR's membership that the fetch path reads instead
  // of the ISR: it must never disagree with in_isr().
  Partition p(TopicPartition{TopicIndex(0), 0}, b1);
  const auto agrees = [&p] {
    for (const FollowerState& f : p.followers()) {
      if (f.in_isr != p.in_isr(f.broker)) return false;
    }
    return true;
  };
  p.make_leader(state(b1, {b1, b2}), at(0s), lag_max);
  REQUIRE(p.followers().size() == 2);
  CHECK(agrees());
  CHECK(p.follower_state(b2)->in_isr);
  CHECK_FALSE(p.follower_state(b3)->in_isr);
  p.apply_isr_change({b1, b2, b3}, ZkVersion(1), at(1s), lag_max);
  CHECK(agrees());
  CHECK(p.follower_state(b3)->in_isr);
  p.apply_isr_change({b1, b3}, ZkVersion(2), at(2s), lag_max);
  CHECK(agrees());
  CHECK_FALSE(p.follower_state(b2)->in_isr);
  // The same leader told a new ISR by the controller keeps its followers' state, not their flags.
  p.make_leader(state(b1, {b1, b2}), at(3s), lag_max);
  CHECK(agrees());
  CHECK_FALSE(p.follower_state(b3)->in_isr);
  p.reset_role();
  p.make_leader(state(b1, {b1, b2, b3}, 2), at(4s), lag_max);
  CHECK(agrees());
  CHECK(p.follower_state(b3)->in_isr);
}

TEST_CASE("a non-ISR follower caught up within the lag time holds the HW back (0.10.2+)") {
  Partition p(TopicPartition{TopicIndex(0), 0}, b1);
  p.make_leader(state(b1, {b1, b2}), at(0s), lag_max);
  p.log().append_as_leader(records(10), p.leader_epoch(), at(0s));
  p.update_follower_fetch_state(b2, 10, at(1s));
  p.update_follower_fetch_state(b3, 10, at(1s));  // caught up at 1 s, not in the ISR
  p.log().append_as_leader(records(10), p.leader_epoch(), at(2s));
  p.update_follower_fetch_state(b2, 20, at(2s));
  p.update_follower_fetch_state(b3, 12, at(2s));
  p.maybe_increment_high_watermark(at(2s), lag_max);
  CHECK(p.high_watermark() == 12);  // b3 counts: caught up 1 s ago
  p.maybe_increment_high_watermark(at(12s), lag_max);
  CHECK(p.high_watermark() == 20);  // b3 no longer counts
}

TEST_CASE("a follower's high watermark is min(its log end, the leader's)") {
  Partition p(TopicPartition{TopicIndex(0), 0}, b2);
  p.make_follower(state(b1, {b1, b2}));
  RecordBatch b = records(6);
  p.log().append_as_follower(b, at(0s));
  p.update_follower_high_watermark(9);
  CHECK(p.high_watermark() == 6);
  p.update_follower_high_watermark(4);
  CHECK(p.high_watermark() == 4);
}

TEST_CASE("make_follower reports a new leader or epoch, not a repeat") {
  Partition p(TopicPartition{TopicIndex(0), 0}, b2);
  CHECK(p.make_follower(state(b1, {b1, b2}, 1)));
  CHECK_FALSE(p.make_follower(state(b1, {b1, b2}, 1)));
  CHECK(p.make_follower(state(b1, {b1, b2}, 2)));
  CHECK(p.make_follower(state(b3, {b3, b2}, 3)));
}

TEST_CASE("the sync mode waits for every assigned replica, in the ISR or not") {
  Partition p(TopicPartition{TopicIndex(0), 0}, b1);
  p.make_leader(state(b1, {b1, b2}), at(0s), lag_max);
  p.log().append_as_leader(records(5), p.leader_epoch(), at(0s));
  p.update_follower_fetch_state(b2, 5, at(0s));
  CHECK_FALSE(p.every_replica_has(5));  // b3, outside the ISR, has nothing
  p.update_follower_fetch_state(b3, 5, at(0s));
  CHECK(p.every_replica_has(5));
}
