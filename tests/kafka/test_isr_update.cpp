// The leader's ISR write to ZooKeeper and the lock it holds (Kafka 2.4: Partition.maybeShrinkIsr
// holds leaderIsrUpdateLock for write around ReplicationUtils.updateLeaderAndIsr, which
// KafkaZkClient.retryRequestsUntilConnected keeps waiting until ZooKeeper answers;
// appendRecordsToLeader and readRecords take the lock for read), and KIP-392's DelayedFetch
// completion on a high watermark the follower has not been sent. On the real three-broker
// cluster of broker_fixture.h: broker-1 leads orders-0 with ISR [1, 2, 3] at 2 s.
#include <doctest/doctest.h>

#include <chrono>

#include "broker_fixture.h"

using namespace kafkasim;
using kafkasim::test::ClusterFixture;
using kafkasim::test::kOrders0;
using kafkasim::test::ms_of;
using std::chrono::milliseconds;

namespace {

BrokerConfig zombie_config(Duration session_timeout) {
  BrokerConfig config;
  config.replica_lag_time_max = milliseconds(1000);
  config.replica_fetch_wait_max = milliseconds(100);
  config.zookeeper_session_timeout = session_timeout;
  return config;
}

/// Cuts broker-1 (and the client, which still reaches it) off from ZooKeeper and the other
/// brokers.
PartitionHandle isolate_broker_1(ClusterFixture& f) {
  return f.net.partition({{f.node("broker-1"), f.node("client"), f.node("consumer")},
                          {f.node("broker-2"), f.node("broker-3"), f.node("zookeeper")}});
}

}  // namespace

TEST_CASE(
    "Partition.maybeShrinkIsr holds leaderIsrUpdateLock over its ZooKeeper write: a leader cut "
    "off acknowledges acks=1 until it tries to shrink the ISR, then its produces and fetches "
    "wait until ZooKeeper answers") {
  // The session (30 s) outlives the cut: the write goes through once ZooKeeper is reachable.
  ClusterFixture f(zombie_config(milliseconds(30000)));
  const PartitionHandle cut = isolate_broker_1(f);
  f.produce(ProduceAcks::leader, 5);
  f.run_to_ms(2100);
  REQUIRE(f.produce_responses().size() == 1);  // acknowledged: no ISR write yet
  CHECK(f.produce_responses()[0].second.partitions.at(0).error == Errors::none);

  // The followers last fetched at about 2 s; the first isr-expiration run past 3 s shrinks.
  f.run_to_ms(3600);
  CHECK(f.partition(1).isr_update_in_flight);
  CHECK(f.partition(1).isr().size() == 3);  // ZooKeeper has not answered: the ISR is unchanged
  // The count that lets requests skip looking for locked partitions follows the write.
  CHECK(f.broker(1).isr_writes_in_flight() == 1);

  f.produce(ProduceAcks::leader, 5);
  f.consumer_fetch(0, milliseconds(0));
  f.run_to_ms(8000);
  CHECK(f.produce_responses().size() == 1);  // the second produce waits for the lock
  CHECK(f.consumer.all<FetchResponse>().empty());
  CHECK(f.log_end(1) == 5);  // not even appended
  REQUIRE(f.observer.isr_write_stalls.size() == 1);
  CHECK(f.observer.isr_write_stalls[0].new_isr == std::vector<BrokerId>{BrokerId(1)});
  CHECK(f.observer.isr_write_stalls[0].waiting == 2);
  CHECK(ms_of(f.observer.isr_write_stalls[0].write_started) >= 3000);

  f.net.heal(cut);
  f.run_to_ms(8100);
  // The write reaches ZooKeeper; the lock is released; the produce and the fetch go on.
  REQUIRE(f.observer.isr_write_ends.size() == 1);
  CHECK(f.observer.isr_write_ends[0].applied);
  CHECK(f.observer.isr_write_ends[0].released == 2);
  REQUIRE(f.produce_responses().size() == 2);
  CHECK(f.produce_responses()[1].second.partitions.at(0).error == Errors::none);
  CHECK(ms_of(f.produce_responses()[1].first) >= 8000);
  CHECK(f.consumer.all<FetchResponse>().size() == 1);
  CHECK(f.log_end(1) == 10);
  CHECK(f.broker(1).isr_writes_in_flight() == 0);
}

TEST_CASE(
    "KafkaZkClient.retryRequestsUntilConnected: the ISR write of a leader whose session expired "
    "fails when it reconnects (ZooKeeperClientExpiredException); the ISR stays, the waiting "
    "produce goes on") {
  ClusterFixture f(zombie_config(milliseconds(6000)));
  const PartitionHandle cut = isolate_broker_1(f);
  f.produce(ProduceAcks::leader, 5);  // the followers fall behind (an equal log never shrinks)
  f.run_to_ms(4000);                  // the shrink is under way, unanswered
  REQUIRE(f.partition(1).isr_update_in_flight);
  f.produce(ProduceAcks::leader, 5);
  f.run_to_ms(12000);
  REQUIRE(f.produce_responses().size() == 1);
  CHECK(f.partition(2).is_leader());  // the controller moved leadership after the expiry

  f.net.heal(cut);
  f.run_to_ms(30000);
  REQUIRE(f.observer.isr_write_ends.size() == 1);
  CHECK_FALSE(f.observer.isr_write_ends[0].applied);
  CHECK(f.observer.isr_write_ends[0].outcome == "SESSIONEXPIRED");
  CHECK(f.broker(1).isr_writes_in_flight() == 0);  // a failed write releases the lock too
  CHECK(ms_of(f.observer.isr_write_ends[0].at) >= 12000);
  // Still the leader in its own eyes when the lock came free, broker-1 appended and answered;
  // then it learned of broker-2 and truncated what it had taken alone.
  REQUIRE(f.produce_responses().size() == 2);
  CHECK(f.produce_responses()[1].second.partitions.at(0).error == Errors::none);
  CHECK(ms_of(f.produce_responses()[1].first) >= 12000);
  CHECK_FALSE(f.partition(1).is_leader());
  REQUIRE_FALSE(f.observer.truncations.empty());
  CHECK(f.observer.truncations.back().broker == BrokerId(1));
}

TEST_CASE(
    "KafkaRequestHandler: a request waiting for a partition's leaderIsrUpdateLock keeps its "
    "handler thread, so num.io.threads waiting requests stop the broker") {
  BrokerConfig config = zombie_config(milliseconds(30000));
  config.num_io_threads = 2;
  ClusterFixture f(config);
  isolate_broker_1(f);
  f.produce(ProduceAcks::leader, 5);
  f.run_to_ms(4000);
  REQUIRE(f.partition(1).isr_update_in_flight);
  REQUIRE(f.produce_responses().size() == 1);
  f.produce(ProduceAcks::leader, 5);
  f.produce(ProduceAcks::leader, 5);
  f.run_to_ms(4100);
  // Metadata takes no partition lock, but no thread is left to serve it.
  MetadataRequest metadata;
  metadata.correlation_id = CorrelationId(1000);
  f.client.send(f.node("broker-1"), metadata);
  f.run_to_ms(6000);
  CHECK(f.produce_responses().size() == 1);
  CHECK(f.client.all<MetadataResponse>().empty());
}

TEST_CASE(
    "DelayedFetch (KIP-392): a follower's parked fetch completes once the leader's high "
    "watermark passes the lastSentHighWatermark of that follower") {
  // DelayedFetch.tryComplete, case H. Without it the follower whose fetch did not move the HW
  // learns the new HW only after replica.fetch.wait.max.ms (here 5 s).
  BrokerConfig config;
  config.replica_fetch_wait_max = milliseconds(5000);
  ClusterFixture f(config);
  f.produce(ProduceAcks::leader, 10);
  f.run_to_ms(2100);
  REQUIRE(f.partition(1).high_watermark() == 10);
  CHECK(f.partition(2).high_watermark() == 10);
  CHECK(f.partition(3).high_watermark() == 10);
}
