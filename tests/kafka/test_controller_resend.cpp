// The controller's channels to the brokers (sim/kafka/controller_channel_manager.cpp, Kafka's
// ControllerChannelManager and RequestSendThread) and the first preferred-leader check after a
// failover, on the controller tests' cluster (controller_fixture.h).
#include <doctest/doctest.h>

#include "controller_fixture.h"

using namespace kafkasim;
using namespace kafkasim::test;

namespace {

/// The broker that is neither `a` nor `b`.
BrokerId third(BrokerId a, BrokerId b) {
  for (int id = 1; id <= 3; ++id) {
    if (broker_id(id) != a && broker_id(id) != b) return broker_id(id);
  }
  FAIL("no third broker");
  return kNoBroker;
}

/// Whether `broker`'s replica of every partition follows what ZooKeeper holds (the leader and
/// the leader epoch the controller last wrote).
void check_replicas_follow_zookeeper(ControllerCluster& cluster, BrokerId broker) {
  for (std::int32_t p = 0; p < 3; ++p) {
    const LeaderAndIsr state = cluster.zk_state(orders(p));
    const Partition* replica = cluster.broker(broker).partition(orders(p));
    REQUIRE(replica != nullptr);
    CAPTURE(p);
    CHECK(replica->leader_epoch() == state.leader_epoch);
    CHECK(replica->leader() == state.leader);
  }
}

}  // namespace

TEST_CASE(
    "RequestSendThread: a broker back from a power loss gets its LeaderAndIsr and "
    "UpdateMetadata, and rejoins every ISR") {
  // A power loss leaves the controller's connection half-open: the first request to the
  // restarted broker is refused (RST) and, sent once, lost. RequestSendThread.doWork re-sends it
  // after its 100 ms back-off on a fresh connection, to the fresh channel addBroker opened when
  // the broker registered again.
  ControllerCluster cluster;
  cluster.run_until(seconds(2));
  const BrokerId controller_id = cluster.controller().id();
  const BrokerId victim = cluster.other_than_controller();
  cluster.broker(victim).crash(CrashKind::power_loss);
  cluster.run_until(seconds(3));
  // Its registration can come back only once the old session has expired (6 s of silence).
  cluster.broker(victim).start();
  cluster.run_until(seconds(30));
  Broker& controller = cluster.controller();
  REQUIRE(controller.id() == controller_id);
  CHECK(controller.controller()->live_brokers().contains(victim));
  CHECK(controller.controller()->channels().has_channel(victim));
  CHECK(controller.controller()->channels().queued(victim) == 0);  // everything answered
  CHECK(controller.controller()->channels().resends() >= 1);
  check_replicas_follow_zookeeper(cluster, victim);
  // UpdateMetadata: its cache holds every partition as the controller wrote it.
  for (std::int32_t p = 0; p < 3; ++p) {
    const auto& cached = cluster.broker(victim).metadata().partitions();
    REQUIRE(cached.contains(orders(p)));
    CHECK(cached.at(orders(p)).leader == cluster.zk_state(orders(p)).leader);
    // It fetches again, so its leaders took it back into the ISR.
    CHECK(has(cluster.zk_state(orders(p)).isr, victim));
  }
}

TEST_CASE(
    "RequestSendThread: an unanswered request is re-sent after request.timeout.ms and the "
    "100 ms back-off, and arrives once the path heals") {
  // The controller and the victim are cut apart (both still reach ZooKeeper, so the victim stays
  // registered); a third broker dies, and the controller's LeaderAndIsr for the new leader waits
  // at the cut. The replica fetchers on both sides time out after replica.socket.timeout.ms and
  // close the connection (one connection per pair in the model), which discards the request:
  // sent once, it would never arrive. The controller gives up on it after request.timeout.ms
  // (30 s), backs off 100 ms and sends it again; the copy crosses when the path heals.
  ControllerCluster cluster;
  cluster.run_until(seconds(2));
  const BrokerId controller_id = cluster.controller().id();
  const BrokerId victim = cluster.other_than_controller();
  const BrokerId dying = third(controller_id, victim);
  const PartitionHandle cut =
      cluster.network().partition({{cluster.node_of(victim)}, {cluster.node_of(controller_id)}});
  cluster.broker(dying).crash(CrashKind::process);
  // The dying broker's session expires 6 to 9 s later (zookeeper.session.timeout.ms, on
  // ZooKeeper's 3 s ticks); the controller then elects and sends: find that instant to 10 ms.
  Duration elected = milliseconds(2000);
  while (cluster.zk_state(preferred_of(dying)).leader == dying && elected < seconds(15)) {
    elected += milliseconds(10);
    cluster.run_until(elected);
  }
  const ControllerChannelManager& channels = cluster.controller().controller()->channels();
  REQUIRE(cluster.zk_state(preferred_of(dying)).leader != dying);
  const LeaderEpoch moved = cluster.zk_state(preferred_of(dying)).leader_epoch;
  REQUIRE(channels.queued(victim) >= 1);
  CHECK(channels.resends() == 0);
  // Nothing is re-sent before the request's 30 s are up (it went out when the leader moved).
  cluster.run_until(elected + milliseconds(29500));
  CHECK(channels.resends() == 0);
  cluster.run_until(elected + milliseconds(30500));
  CHECK(channels.resends() >= 1);
  cluster.run_until(elected + seconds(36));
  CHECK(cluster.broker(victim).partition(preferred_of(dying))->leader_epoch() < moved);
  cluster.network().heal(cut);
  cluster.run_until(elected + seconds(38));
  CHECK(cluster.controller().controller()->channels().queued(victim) == 0);
  check_replicas_follow_zookeeper(cluster, victim);
}

TEST_CASE(
    "onControllerFailover: the first preferred-leader check comes 5 s after the failover, "
    "then every leader.imbalance.check.interval.seconds; none without "
    "auto.leader.rebalance.enable") {
  // The victim loses its preferred leadership (it dies and its session expires), comes back and
  // rejoins the ISR; then /controller is deleted and a new controller takes over. With the
  // default interval (300 s) only the first check, 5 s after that failover, can move the
  // leadership back in the time the test runs.
  const auto run = [](bool enabled) {
    BrokerConfig config;
    config.auto_leader_rebalance_enable = enabled;
    auto cluster = std::make_unique<ControllerCluster>(config);
    cluster->run_until(seconds(2));
    const BrokerId victim = cluster->other_than_controller();
    cluster->broker(victim).crash(CrashKind::process);
    cluster->run_until(seconds(10));
    REQUIRE(cluster->zk_state(preferred_of(victim)).leader != victim);
    cluster->broker(victim).start();
    cluster->run_until(seconds(12));
    REQUIRE(has(cluster->zk_state(preferred_of(victim)).isr, victim));
    cluster->admin().client.remove(ControllerZNode::path(), kAnyZkVersion, {});
    return std::make_pair(std::move(cluster), victim);
  };
  SUBCASE("enabled (the default)") {
    auto [cluster, victim] = run(true);
    cluster->run_until(milliseconds(16900));
    CHECK(cluster->controller().controller()->epoch() == ControllerEpoch(2));
    CHECK(cluster->zk_state(preferred_of(victim)).leader != victim);  // not before 5 s
    cluster->run_until(seconds(18));
    CHECK(cluster->zk_state(preferred_of(victim)).leader == victim);
    REQUIRE_FALSE(cluster->recorder.elections.empty());
    CHECK(cluster->recorder.elections.back().kind == ElectionKind::preferred);
  }
  SUBCASE("auto.leader.rebalance.enable=false: never") {
    auto [cluster, victim] = run(false);
    cluster->run_until(seconds(400));
    CHECK(cluster->controller().controller()->epoch() == ControllerEpoch(2));
    CHECK(cluster->zk_state(preferred_of(victim)).leader != victim);
  }
}
