// The Broker as a partition leader, each case one rule of Kafka 2.4 (ReplicaManager.scala,
// Partition.scala, DelayedProduce.scala, DelayedFetch.scala, Log.scala), on a real cluster of
// three brokers and ZooKeeper (broker_fixture.h) that boots for 2 s: broker-1 then leads orders-0
// with ISR [1, 2, 3], and the client peer sends it requests. Followers are silenced with
// Process::pause (a long GC pause: they neither fetch nor answer) and crashed with
// Process::crash.
#include <doctest/doctest.h>

#include <chrono>

#include "broker_fixture.h"

using namespace kafkasim;
using kafkasim::test::ClusterFixture;
using kafkasim::test::kOrders0;
using kafkasim::test::ms_of;
using std::chrono::milliseconds;

namespace {

/// A quiet cluster whose followers' sessions outlive the pauses of a test: an ISR change then
/// comes from the leader's own maybeShrinkIsr, never from the controller seeing a broker die.
BrokerConfig long_sessions(Duration lag_max) {
  BrokerConfig config;
  config.replica_lag_time_max = lag_max;
  config.replica_fetch_wait_max = milliseconds(100);
  config.zookeeper_session_timeout = milliseconds(30000);
  return config;
}

}  // namespace

TEST_CASE("acks=1: the leader answers once it has appended, without waiting for any follower") {
  // ReplicaManager.appendRecords: delayedProduceRequestRequired is false unless acks = -1, so the
  // response goes out after the leader's own append.
  ClusterFixture f;
  f.broker(2).pause();
  f.broker(3).pause();
  f.produce(ProduceAcks::leader, 10);
  f.run_to_ms(2100);
  const auto responses = f.produce_responses();
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].second.partitions.at(0).error == Errors::none);
  CHECK(responses[0].second.partitions.at(0).base_offset == 0);
  CHECK(ms_of(responses[0].first) < 2005);  // a round trip and a handler's time, no more
  CHECK(f.log_end(1) == 10);
  CHECK(f.log_end(2) == 0);  // no follower has the batch
  CHECK(f.log_end(3) == 0);
  CHECK(f.partition(1).high_watermark() == 0);
}

TEST_CASE("acks=all: DelayedProduce completes only once the high watermark passes the batch") {
  // DelayedProduce.tryComplete → Partition.checkEnoughReplicasReachOffset: the request waits
  // until leaderHW >= requiredOffset, i.e. until every ISR member has the batch.
  ClusterFixture f;
  f.broker(3).pause();  // in the ISR (for replica.lag.time.max.ms), but not fetching
  f.produce(ProduceAcks::all, 10);
  f.run_to_ms(3000);
  CHECK(f.produce_responses().empty());
  CHECK(f.log_end(1) == 10);
  CHECK(f.log_end(2) == 10);  // one follower is not enough while the other is in the ISR
  CHECK(f.partition(1).high_watermark() == 0);
  REQUIRE(f.partition(1).isr().size() == 3);

  f.broker(3).resume();
  f.run_to_ms(3100);
  const auto responses = f.produce_responses();
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].second.partitions.at(0).error == Errors::none);
  CHECK(ms_of(responses[0].first) >= 3000);
  CHECK(f.partition(1).high_watermark() == 10);
}

TEST_CASE("acks=all: a request the ISR does not complete in time ends in REQUEST_TIMED_OUT") {
  // DelayedProduce.onExpiration after the request's timeout (the producer's request.timeout.ms
  // sent as the produce request's timeout).
  ClusterFixture f;
  f.broker(2).pause();
  f.broker(3).pause();
  f.produce(ProduceAcks::all, 10, milliseconds(1000));
  f.run_to_ms(2990);
  CHECK(f.produce_responses().empty());
  f.run_to_ms(3100);
  const auto responses = f.produce_responses();
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].second.partitions.at(0).error == Errors::request_timed_out);
  CHECK(ms_of(responses[0].first) >= 3000);
}

TEST_CASE(
    "acks=all: each parked request expires at its own deadline, though one timer serves them") {
  // The purgatory keeps one timer (Broker::arm_produce_expiry, PurgatoryTimeouts): set for the
  // first request, answered at once, it must neither expire the second at the first one's
  // deadline nor forget it.
  ClusterFixture f;
  f.produce(ProduceAcks::all, 10, milliseconds(1000));  // every follower fetches: answered
  f.run_to_ms(2300);
  REQUIRE(f.produce_responses().size() == 1);
  CHECK(f.produce_responses()[0].second.partitions.at(0).error == Errors::none);
  f.broker(2).pause();
  f.broker(3).pause();
  f.produce(ProduceAcks::all, 10, milliseconds(1000));  // parked until about 3300
  f.run_to_ms(3290);                                    // past the first request's deadline
  CHECK(f.produce_responses().size() == 1);
  f.run_to_ms(3400);
  const auto responses = f.produce_responses();
  REQUIRE(responses.size() == 2);
  CHECK(responses[1].second.partitions.at(0).error == Errors::request_timed_out);
  CHECK(ms_of(responses[1].first) >= 3300);
}

TEST_CASE("the leader's high watermark is the smallest log end offset of the ISR") {
  // Partition.maybeIncrementLeaderHW: the minimum of the LEOs of the ISR (and of followers caught
  // up within replica.lag.time.max.ms).
  ClusterFixture f;
  f.produce(ProduceAcks::leader, 10);
  f.run_to_ms(2100);
  REQUIRE(f.log_end(3) == 10);
  CHECK(f.partition(1).high_watermark() == 10);

  f.broker(3).pause();
  f.produce(ProduceAcks::leader, 5);
  f.run_to_ms(2300);
  CHECK(f.log_end(1) == 15);
  CHECK(f.log_end(2) == 15);
  CHECK(f.log_end(3) == 10);
  CHECK(f.partition(1).high_watermark() == 10);

  f.broker(3).resume();
  f.run_to_ms(2400);
  CHECK(f.log_end(3) == 15);
  CHECK(f.partition(1).high_watermark() == 15);
}

TEST_CASE(
    "acks=all: NOT_ENOUGH_REPLICAS, and no append, when the ISR is below min.insync.replicas") {
  // Partition.appendRecordsToLeader: "if (inSyncSize < minIsr && requiredAcks == -1) throw new
  // NotEnoughReplicasException" before the append; acks=1 is not checked.
  ClusterFixture f(long_sessions(milliseconds(1000)));
  f.broker(2).pause();
  f.broker(3).pause();
  f.produce(ProduceAcks::leader, 10);  // the followers fall behind, then out of the ISR
  f.run_to_ms(4000);
  REQUIRE(f.partition(1).isr() == std::vector<BrokerId>{BrokerId(1)});
  REQUIRE(f.log_end(1) == 10);

  f.produce(ProduceAcks::all, 5);
  f.run_to_ms(4100);
  auto responses = f.produce_responses();
  REQUIRE(responses.size() == 2);
  CHECK(responses[1].second.partitions.at(0).error == Errors::not_enough_replicas);
  CHECK(f.log_end(1) == 10);

  f.produce(ProduceAcks::leader, 5);
  f.run_to_ms(4200);
  responses = f.produce_responses();
  REQUIRE(responses.size() == 3);
  CHECK(responses[2].second.partitions.at(0).error == Errors::none);
  CHECK(f.log_end(1) == 15);
}

TEST_CASE(
    "maybeShrinkIsr: a follower out of sync longer than replica.lag.time.max.ms leaves the "
    "ISR") {
  // Partition.getOutOfSyncReplicas: a follower whose LEO is behind the leader's and whose
  // lastCaughtUpTime is more than replica.lag.time.max.ms old; ReplicaManager checks every
  // lag/2 ("isr-expiration"). The HW then moves on without it.
  const Duration lag = milliseconds(1000);
  ClusterFixture f(long_sessions(lag));
  f.broker(3).pause();  // it last fetched (caught up) within 100 ms before the pause
  f.produce(ProduceAcks::leader, 10);
  f.run_to_ms(2800);  // less than the lag minus its last fetch wait since the pause
  CHECK(f.partition(1).in_isr(BrokerId(3)));
  CHECK(f.partition(1).high_watermark() == 0);

  f.run_to_ms(3510);  // the lag, and one isr-expiration period more
  CHECK(f.partition(1).isr() == std::vector<BrokerId>{BrokerId(1), BrokerId(2)});
  REQUIRE(f.observer.isr_changes.size() == 1);
  CHECK(ms_of(f.observer.isr_changes[0].at) >= 2900);
  CHECK(f.partition(1).high_watermark() == 10);
}

TEST_CASE("maybeExpandIsr: a follower back and caught up to the high watermark rejoins the ISR") {
  // Partition.maybeExpandIsr / isFollowerInSync: a follower outside the ISR whose LEO reaches the
  // high watermark (and the start of the leader's epoch) is added back.
  ClusterFixture f(long_sessions(milliseconds(1000)));
  f.broker(3).pause();
  f.produce(ProduceAcks::leader, 10);
  f.run_to_ms(4000);
  REQUIRE_FALSE(f.partition(1).in_isr(BrokerId(3)));
  REQUIRE(f.partition(1).high_watermark() == 10);

  f.broker(3).resume();
  f.run_to_ms(4100);
  CHECK(f.log_end(3) == 10);
  CHECK(f.partition(1).in_isr(BrokerId(3)));
  REQUIRE(f.observer.isr_changes.size() == 2);
  CHECK(f.observer.isr_changes[1].new_isr.size() == 3);
}

TEST_CASE("DelayedFetch: a fetch with nothing to read waits its max wait, then answers empty") {
  // ReplicaManager.fetchMessages parks a fetch that found fewer than fetch.min.bytes
  // (replica.fetch.min.bytes for followers) until fetch.max.wait.ms (replica.fetch.wait.max.ms)
  // passes: DelayedFetch.onExpiration.
  ClusterFixture f;
  f.consumer_fetch(0, milliseconds(500));
  f.run_to_ms(2490);
  CHECK(f.consumer.all<FetchResponse>().empty());
  f.run_to_ms(2600);
  const auto responses = f.consumer.all<FetchResponse>();
  REQUIRE(responses.size() == 1);
  CHECK(ms_of(responses[0].first) >= 2500);
  CHECK(responses[0].second.partitions.at(0).error == Errors::none);
  CHECK(responses[0].second.partitions.at(0).batches.empty());
}

TEST_CASE(
    "DelayedFetch: a consumer's parked fetch completes once the high watermark passes new "
    "data") {
  // DelayedFetch.tryComplete: enough bytes to return; a consumer reads only below the high
  // watermark (FetchIsolation.HighWatermark), so the leader's append alone does not complete it.
  ClusterFixture f;
  f.consumer_fetch(0, milliseconds(500));
  f.broker(3).pause();
  f.run_to_ms(2100);
  f.produce(ProduceAcks::leader, 10);
  f.run_to_ms(2200);
  CHECK(f.consumer.all<FetchResponse>().empty());  // appended, but not below the HW yet

  f.broker(3).resume();
  f.run_to_ms(2300);
  const auto responses = f.consumer.all<FetchResponse>();
  REQUIRE(responses.size() == 1);
  CHECK(ms_of(responses[0].first) < 2300);  // before its max wait (2500)
  REQUIRE(responses[0].second.partitions.at(0).batches.size() == 1);
  CHECK(responses[0].second.partitions.at(0).batches[0].record_count == 10);
  CHECK(responses[0].second.partitions.at(0).high_watermark == 10);
}

TEST_CASE("a power loss loses the unflushed tail of the log; a process crash loses nothing") {
  // Log.append flushes when unflushedMessages >= log.flush.interval.messages; what was never
  // flushed lives in the page cache, which survives the process but not the power.
  BrokerConfig config;
  config.log_flush_interval_messages = 10;
  ClusterFixture f(config);
  f.produce(ProduceAcks::leader, 10);  // reaches the interval: flushed, on every replica
  f.run_to_ms(2100);
  f.produce(ProduceAcks::leader, 5);  // not flushed
  f.run_to_ms(2200);
  REQUIRE(f.log_end(2) == 15);
  REQUIRE(f.log_end(3) == 15);
  REQUIRE(f.partition(3).log().flushed_offset() == 10);

  f.broker(3).crash(CrashKind::power_loss);
  CHECK(f.log_end(3) == 10);
  REQUIRE(f.observer.truncations.size() == 1);
  CHECK(f.observer.truncations[0].broker == BrokerId(3));
  CHECK(f.observer.truncations[0].from == 10);
  CHECK(f.observer.truncations[0].records == 5);
  CHECK(f.observer.truncations[0].reason == TruncationReason::power_loss);

  f.broker(2).crash(CrashKind::process);
  CHECK(f.log_end(2) == 15);
  CHECK(f.observer.truncations.size() == 1);
}

TEST_CASE("a restarted broker starts from its checkpointed high watermark, not the one it had") {
  // ReplicaManager's "highwatermark-checkpoint" task writes replication-offset-checkpoint every
  // replica.high.watermark.checkpoint.interval.ms (5 s); a restarted broker reads its HW from
  // that file (Log's highWatermark is initialised from it, capped at the log end).
  ClusterFixture f;
  f.produce(ProduceAcks::leader, 10);
  f.run_to_ms(4900);
  REQUIRE(f.partition(3).high_watermark() == 10);
  f.run_to_ms(5100);  // the checkpoint at 5 s
  REQUIRE(f.broker(3).checkpointed_high_watermark(kOrders0) == 10);

  f.produce(ProduceAcks::leader, 5);
  f.run_to_ms(6000);
  REQUIRE(f.partition(3).high_watermark() == 15);
  CHECK(f.broker(3).checkpointed_high_watermark(kOrders0) == 10);

  f.broker(3).crash(CrashKind::process);
  f.broker(3).start();
  CHECK(f.log_end(3) == 15);
  CHECK(f.partition(3).high_watermark() == 10);

  // With the power gone too, the checkpoint is capped at what the log kept.
  f.broker(2).crash(CrashKind::power_loss);
  f.broker(2).start();
  CHECK(f.log_end(2) == 0);
  CHECK(f.partition(2).high_watermark() == 0);
}

TEST_CASE(
    "KafkaServer.shutdown: a controlled shutdown checkpoints the high watermarks and flushes "
    "the logs before the process stops") {
  // ReplicaManager.shutdown(checkpointHW = true) writes replication-offset-checkpoint, and
  // LogManager.shutdown flushes every log: the broker restarts from the high watermark it
  // stopped at (not the last periodic checkpoint, every 5 s), and a power loss after the restart
  // takes nothing it had before the shutdown.
  ClusterFixture f;
  f.produce(ProduceAcks::all, 10);
  f.run_to_ms(2600);  // before the first periodic checkpoint at 5 s
  REQUIRE(f.partition(3).high_watermark() == 10);
  REQUIRE(f.broker(3).checkpointed_high_watermark(kOrders0) == 0);
  REQUIRE(f.partition(3).log().flushed_offset() == 0);

  f.broker(3).shutdown();
  f.run_to_ms(3500);
  REQUIRE_FALSE(f.broker(3).is_up());
  CHECK(f.broker(3).checkpointed_high_watermark(kOrders0) == 10);
  CHECK(f.partition(3).log().flushed_offset() == 10);

  f.broker(3).start();
  CHECK(f.partition(3).high_watermark() == 10);
  f.broker(3).crash(CrashKind::power_loss);
  CHECK(f.log_end(3) == 10);
  CHECK(f.observer.truncations.empty());
}
