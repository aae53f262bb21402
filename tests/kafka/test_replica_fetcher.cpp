// The ReplicaFetcher, each case one rule of Kafka 2.4 (AbstractFetcherThread.scala,
// ReplicaFetcherThread.scala): a real broker-2 follows orders-0 from a hand-made leader at
// broker-1, which answers its requests as each case says (broker_fixture.h, FollowerFixture).
// A hand-made controller at broker-3 sends the LeaderAndIsr requests.
#include <doctest/doctest.h>

#include <chrono>

#include "broker_fixture.h"

using namespace kafkasim;
using kafkasim::test::FollowerFixture;
using kafkasim::test::kOrders0;
using kafkasim::test::ms_of;
using kafkasim::test::stored_batch;
using std::chrono::milliseconds;

namespace {

FetchPartitionData records(std::vector<RecordBatch> batches, Offset high_watermark) {
  FetchPartitionData data;
  data.high_watermark = high_watermark;
  data.log_end_offset = batches.empty() ? high_watermark : batches.back().next_offset();
  data.batches = std::move(batches);
  return data;
}

FetchPartitionData error(Errors code, Offset leader_log_end = 0) {
  FetchPartitionData data;
  data.error = code;
  data.log_end_offset = leader_log_end;
  return data;
}

/// replica.fetch.backoff.ms 1 s, replica.socket.timeout.ms 2 s.
BrokerConfig backoff_config() {
  BrokerConfig config;
  config.replica_fetch_backoff = milliseconds(1000);
  config.replica_socket_timeout = milliseconds(2000);
  return config;
}

/// broker-2 follows broker-1 in leader epoch 1; its first fetch has reached the leader.
void send_first_fetch(FollowerFixture& f) {
  f.follow_broker_1(1);
  f.run_to_ms(10);
  REQUIRE(f.fetches().size() == 1);
}

/// No second fetch reaches the leader before `earliest_ms`; one does just after, from the same
/// offset.
void check_fetched_again_only_after(FollowerFixture& f, double earliest_ms) {
  f.run_to_ms(earliest_ms - 1);
  CHECK(f.fetches().size() == 1);
  f.run_to_ms(earliest_ms + 10);
  REQUIRE(f.fetches().size() == 2);
  CHECK(ms_of(f.fetches()[1].first) >= earliest_ms);
  CHECK(f.fetches()[1].second.partitions.at(0).fetch_offset == 0);
}

/// broker-2 follows broker-1 in leader epoch 1 and copies [0, 10) of epoch 0 and [10, 20) of
/// epoch 1 from its first fetch, with the leader's HW at 10; its second fetch stays unanswered.
void copy_twenty_records(FollowerFixture& f) {
  send_first_fetch(f);
  f.answer(f.fetches()[0].second, records({stored_batch(0, 10, 0), stored_batch(10, 10, 1)}, 10));
  f.run_to_ms(20);
  REQUIRE(f.log_end() == 20);
  REQUIRE(f.fetches().size() == 2);
}

}  // namespace

TEST_CASE(
    "a follower fetches from its log end offset, as its replica id, with "
    "replica.fetch.wait.max.ms and replica.fetch.min.bytes, and again at once") {
  // ReplicaFetcherThread.buildFetch: fetchOffset = the replica's logEndOffset, replicaId =
  // brokerId, maxWait and minBytes from the broker config; the current leader epoch (KIP-320).
  BrokerConfig config;
  config.replica_fetch_wait_max = milliseconds(300);
  config.replica_fetch_min_bytes = 7;
  FollowerFixture f(config);
  f.follow_broker_1(1);
  f.run_to_ms(10);
  REQUIRE(f.fetches().size() == 1);
  const FetchRequest first = f.fetches()[0].second;
  CHECK(first.replica_id == BrokerId(2));
  CHECK(first.max_wait == milliseconds(300));
  CHECK(first.min_bytes == 7);
  REQUIRE(first.partitions.size() == 1);
  CHECK(first.partitions[0].tp == kOrders0);
  CHECK(first.partitions[0].fetch_offset == 0);
  CHECK(first.partitions[0].current_leader_epoch == LeaderEpoch(1));

  const Instant answered = f.engine.now();
  f.answer(first, records({stored_batch(0, 10, 1)}, 0));
  f.run_to_ms(20);
  CHECK(f.log_end() == 10);
  REQUIRE(f.fetches().size() == 2);
  CHECK(f.fetches()[1].second.partitions.at(0).fetch_offset == 10);
  // One round trip later: no backoff after a good answer.
  CHECK(ms_of(f.fetches()[1].first) - ms_of(answered) < 2);
}

TEST_CASE("a follower's high watermark is min(its log end offset, the leader's), one fetch late") {
  // ReplicaFetcherThread.processPartitionData: "log.updateHighWatermark(partitionData
  // .highWatermark)", which Log caps at the log end offset.
  FollowerFixture f;
  f.follow_broker_1(1);
  f.run_to_ms(10);
  // The leader's HW is past what this answer carries (its read was cut at the fetch size).
  f.answer(f.fetches()[0].second, records({stored_batch(0, 10, 1)}, 25));
  f.run_to_ms(20);
  CHECK(f.log_end() == 10);
  CHECK(f.partition().high_watermark() == 10);

  REQUIRE(f.fetches().size() == 2);
  f.answer(f.fetches()[1].second, records({stored_batch(10, 10, 1)}, 12));
  f.run_to_ms(30);
  CHECK(f.log_end() == 20);
  CHECK(f.partition().high_watermark() == 12);
}

TEST_CASE("a partition whose fetch failed is fetched again only after replica.fetch.backoff.ms") {
  // AbstractFetcherThread.processFetchRequest → handlePartitionsWithErrors → delayPartitions(
  // fetchBackOffMs): a partition-level error (here NOT_LEADER_FOR_PARTITION) delays it.
  FollowerFixture f(backoff_config());
  send_first_fetch(f);
  const double answered = f.now_ms();
  f.answer(f.fetches()[0].second, error(Errors::not_leader_for_partition));
  check_fetched_again_only_after(f, answered + 1000);
}

TEST_CASE(
    "a fetch unanswered for replica.socket.timeout.ms is abandoned, its connection closed, and "
    "the fetcher backs off") {
  // The fetcher's NetworkClient (ReplicaFetcherBlockingSend, socketTimeout =
  // replica.socket.timeout.ms) fails the request and disconnects; AbstractFetcherThread
  // .processFetchRequest then waits fetchBackOffMs before the next fetch.
  FollowerFixture f(backoff_config());
  send_first_fetch(f);
  const double sent = ms_of(f.fetches()[0].first);
  check_fetched_again_only_after(f, sent + 2000 + 1000);  // the timeout, then the backoff
  CHECK_FALSE(f.leader.disconnects.empty());
}

TEST_CASE(
    "a fetch sent after an answered one times out replica.socket.timeout.ms after its own "
    "sending, not its predecessor's") {
  // One timer serves the fetcher's requests (ReplicaFetcher::request_sent): set for the first
  // fetch, it must not time the second one out at the first one's deadline, nor forget it.
  FollowerFixture f(backoff_config());
  send_first_fetch(f);
  const double first_sent = ms_of(f.fetches()[0].first);
  f.run_to_ms(first_sent + 500);
  f.answer(f.fetches()[0].second, records({stored_batch(0, 10, 1)}, 0));
  f.run_to_ms(first_sent + 510);
  REQUIRE(f.fetches().size() == 2);
  const double second_sent = ms_of(f.fetches()[1].first);
  CHECK(second_sent >= first_sent + 500);
  f.run_to_ms(second_sent + 1999);  // past the first fetch's deadline
  CHECK(f.leader.disconnects.empty());
  f.run_to_ms(second_sent + 2001);
  REQUIRE(f.leader.disconnects.size() == 1);
  CHECK(ms_of(f.leader.disconnects[0].first) >= second_sent + 2000);
}

TEST_CASE(
    "a connection lost with a fetch in flight makes the fetcher back off "
    "replica.fetch.backoff.ms") {
  // AbstractFetcherThread.processFetchRequest: a failed fetch (the leader closed the
  // connection) is retried after fetchBackOffMs, from the same offset.
  FollowerFixture f(backoff_config());
  send_first_fetch(f);
  const double closed = f.now_ms();
  f.net.disconnect(f.leader.node(), f.node("broker-2"));
  check_fetched_again_only_after(f, closed + 1000);
}

TEST_CASE(
    "KIP-101: a new follower truncates to the leader's end offset for its latest epoch, "
    "not to its high watermark") {
  // AbstractFetcherThread.maybeTruncate → truncateToEpochEndOffsets: OffsetsForLeaderEpoch for
  // the follower's latest epoch, then truncate to min(the leader's end offset, its own end of
  // that epoch) (getOffsetTruncationState); only then fetch.
  FollowerFixture f;
  copy_twenty_records(f);
  REQUIRE(f.partition().high_watermark() == 10);

  f.follow_broker_1(2);  // a new leader epoch: the fetcher starts over, truncation first
  f.run_to_ms(40);
  const auto asked = f.leader.all<OffsetsForLeaderEpochRequest>();
  REQUIRE(asked.size() == 1);
  REQUIRE(asked[0].second.partitions.size() == 1);
  CHECK(asked[0].second.partitions[0].leader_epoch == LeaderEpoch(1));
  CHECK(asked[0].second.partitions[0].current_leader_epoch == LeaderEpoch(2));
  CHECK(f.log_end() == 20);  // nothing truncated before the leader answers
  CHECK(f.fetches().size() == 2);

  OffsetsForLeaderEpochResponse response;
  response.correlation_id = asked[0].second.correlation_id;
  response.partitions.push_back({kOrders0, Errors::none, LeaderEpoch(1), 15});
  f.leader.send(f.node("broker-2"), response);
  f.run_to_ms(50);
  CHECK(f.log_end() == 15);
  REQUIRE(f.observer.truncations.size() == 1);
  CHECK(f.observer.truncations[0].from == 15);
  CHECK(f.observer.truncations[0].records == 5);
  CHECK(f.observer.truncations[0].reason == TruncationReason::leader_epoch);
  REQUIRE(f.fetches().size() == 3);
  CHECK(f.fetches()[2].second.partitions.at(0).fetch_offset == 15);
  CHECK(f.fetches()[2].second.partitions.at(0).current_leader_epoch == LeaderEpoch(2));
}

TEST_CASE("before KIP-101 a new follower truncates to its own high watermark, then fetches") {
  // Kafka 0.10.2's ReplicaManager.makeFollowers: "logManager.truncateTo(... partition
  // .getOrCreateReplica().highWatermark.messageOffset)" (what the scenario key "truncation":
  // "high_watermark" models), with no OffsetsForLeaderEpoch round.
  FollowerFixture f(BrokerConfig{}, Truncation::high_watermark);
  copy_twenty_records(f);
  REQUIRE(f.partition().high_watermark() == 10);

  f.follow_broker_1(2);
  f.run_to_ms(40);
  CHECK(f.log_end() == 10);
  REQUIRE(f.observer.truncations.size() == 1);
  CHECK(f.observer.truncations[0].reason == TruncationReason::high_watermark);
  CHECK(f.observer.truncations[0].records == 10);
  CHECK(f.leader.all<OffsetsForLeaderEpochRequest>().empty());
  REQUIRE(f.fetches().size() == 3);
  CHECK(f.fetches()[2].second.partitions.at(0).fetch_offset == 10);
}

TEST_CASE(
    "makeFollowers: a new leader that is not among the alive brokers leaves the partition as it "
    "was") {
  // ReplicaManager.makeFollowers (2.4): "Only change partition state when the leader is
  // available": for a leader missing from the metadata cache's alive brokers, Partition
  // .makeFollower is not called: no truncation (not even before 0.11, to the high watermark),
  // no fetcher, and the leader epoch stays, so the same request later, with the leader alive,
  // still counts as new.
  FollowerFixture f(BrokerConfig{}, Truncation::high_watermark);
  copy_twenty_records(f);
  REQUIRE(f.partition().high_watermark() == 10);

  f.update_metadata({BrokerId(2), BrokerId(3)});
  f.follow_broker_1(2);
  f.run_to_ms(40);
  CHECK(f.log_end() == 20);
  CHECK(f.observer.truncations.empty());
  CHECK(f.partition().leader_epoch() == LeaderEpoch(1));
  CHECK(f.fetches().size() == 2);

  f.update_metadata({BrokerId(1), BrokerId(2), BrokerId(3)});
  f.follow_broker_1(2);
  f.run_to_ms(60);
  CHECK(f.partition().leader_epoch() == LeaderEpoch(2));
  CHECK(f.log_end() == 10);
  REQUIRE(f.observer.truncations.size() == 1);
  CHECK(f.observer.truncations[0].reason == TruncationReason::high_watermark);
}

TEST_CASE("OFFSET_OUT_OF_RANGE: a follower ahead of its leader truncates to the leader's log end") {
  // AbstractFetcherThread.handleOutOfRangeError → fetchOffsetAndTruncate (unclean elections):
  // "if (leaderEndOffset < replicaEndOffset) truncate to leaderEndOffset", then fetch from there.
  FollowerFixture f;
  copy_twenty_records(f);
  f.answer(f.fetches()[1].second, error(Errors::offset_out_of_range, 12));
  f.run_to_ms(30);
  CHECK(f.log_end() == 12);
  REQUIRE(f.observer.truncations.size() == 1);
  CHECK(f.observer.truncations[0].reason == TruncationReason::out_of_range);
  REQUIRE(f.fetches().size() == 3);
  CHECK(f.fetches()[2].second.partitions.at(0).fetch_offset == 12);
}

TEST_CASE(
    "an OffsetsForLeaderEpoch that failed is asked again after replica.fetch.backoff.ms, "
    "not never") {
  // AbstractFetcherThread.maybeTruncateToEpochEndOffsets: an error other than
  // FENCED_LEADER_EPOCH ("Retrying leaderEpoch request for partition ...") delays the partition;
  // maybeFetch then has nothing to fetch and waits fetchBackOffMs, and doWork's next
  // maybeTruncate asks again (fetchTruncatingPartitions takes every Truncating partition).
  // Here the new leader has not yet heard its LeaderAndIsr: NOT_LEADER_FOR_PARTITION. The
  // fetcher used to arm its backoff timer only for delayed partitions that were fetching, so a
  // delayed truncating one was never asked again (swarm: "replica fetcher stall").
  FollowerFixture f(backoff_config());
  copy_twenty_records(f);
  f.follow_broker_1(2);
  f.run_to_ms(40);
  auto asked = f.leader.all<OffsetsForLeaderEpochRequest>();
  REQUIRE(asked.size() == 1);

  OffsetsForLeaderEpochResponse refused;
  refused.correlation_id = asked[0].second.correlation_id;
  refused.partitions.push_back({kOrders0, Errors::not_leader_for_partition, kNoLeaderEpoch, -1});
  f.leader.send(f.node("broker-2"), refused);
  f.run_to_ms(41);
  const double answered = f.now_ms();
  f.run_to_ms(answered + 990);
  CHECK(f.leader.all<OffsetsForLeaderEpochRequest>().size() == 1);
  f.run_to_ms(answered + 1010);
  asked = f.leader.all<OffsetsForLeaderEpochRequest>();
  REQUIRE(asked.size() == 2);
  CHECK(ms_of(asked[1].first) >= answered + 1000 - 1);
  CHECK(asked[1].second.partitions.at(0).current_leader_epoch == LeaderEpoch(2));
  CHECK(f.fetches().size() == 2);  // no fetch before the truncation is done

  // Answered this time: truncate, then fetch from the new end.
  OffsetsForLeaderEpochResponse response;
  response.correlation_id = asked[1].second.correlation_id;
  response.partitions.push_back({kOrders0, Errors::none, LeaderEpoch(1), 15});
  f.leader.send(f.node("broker-2"), response);
  f.run_to_ms(answered + 1020);
  CHECK(f.log_end() == 15);
  REQUIRE(f.fetches().size() == 3);
  CHECK(f.fetches()[2].second.partitions.at(0).fetch_offset == 15);
}
