// The controller (sim/kafka/controller*.cpp) on a small cluster of its own: three brokers and a
// ZooKeeper on a 0.5 ms network, one topic `orders` of three partitions, each broker the
// preferred leader of one (orders-0: [1, 2, 3], orders-1: [2, 3, 1], orders-2: [3, 1, 2]), no
// producers. Each test checks one of the controller's rules in what it wrote to ZooKeeper and
// in what the brokers were told: a broken rule leaves a wrong state there.
#include <doctest/doctest.h>

#include "controller_fixture.h"

using namespace kafkasim;
using namespace kafkasim::test;

TEST_CASE("controller failover: each new partition gets its first live replica as leader") {
  // onControllerFailover → PartitionStateMachine NewPartition → OnlinePartition: leader epoch 0,
  // the live replicas as ISR; LeaderAndIsr makes the brokers leader and followers.
  ControllerCluster cluster;
  cluster.run_until(seconds(2));
  Broker& controller = cluster.controller();
  CHECK(controller.controller()->epoch() == ControllerEpoch(1));
  CHECK(controller.controller()->live_brokers().size() == 3);
  for (std::int32_t p = 0; p < 3; ++p) {
    const TopicPartition tp = orders(p);
    const LeaderAndIsr state = cluster.zk_state(tp);
    const BrokerId preferred = broker_id(p + 1);
    CHECK(state.leader == preferred);
    CHECK(state.leader_epoch == LeaderEpoch(0));
    CHECK(state.isr.size() == 3);
    CHECK(controller.controller()->partition_states().at(tp).leader == preferred);
    // Every replica heard it (LeaderAndIsr), from this controller's epoch.
    for (int b = 1; b <= 3; ++b) {
      const Partition* replica = cluster.broker(broker_id(b)).partition(tp);
      REQUIRE(replica != nullptr);
      CHECK(replica->leader() == preferred);
      CHECK(replica->is_leader() == (broker_id(b) == preferred));
      CHECK(replica->controller_epoch() == ControllerEpoch(1));
    }
  }
  REQUIRE(cluster.recorder.elections.size() == 3);
  for (const Recorder::Election& e : cluster.recorder.elections) {
    CHECK(e.controller == controller.id());
    CHECK(e.kind == ElectionKind::clean);
  }
}

TEST_CASE("broker change: a dead broker's leaderships move and it leaves every ISR") {
  // processBrokerChange → onBrokerFailure: its partition gets the next live ISR replica in
  // assignment order; ReplicaStateMachine OfflineReplica takes it out of the other ISRs.
  ControllerCluster cluster;
  cluster.run_until(seconds(2));
  const BrokerId controller_id = cluster.controller().id();
  const BrokerId victim = cluster.other_than_controller();
  const TopicPartition led = preferred_of(victim);
  cluster.broker(victim).crash(CrashKind::process);
  // Its registration goes with its session, 6 s (zookeeper.session.timeout.ms) later; the
  // followers' lag check (replica.lag.time.max.ms, 10 s) would come later still.
  cluster.run_until(seconds(10));
  CHECK_FALSE(cluster.controller().controller()->live_brokers().contains(victim));
  const LeaderAndIsr moved = cluster.zk_state(led);
  const BrokerId next = cluster.broker(victim).layout().replicas(led)[1];
  CHECK(moved.leader == next);
  CHECK(moved.leader_epoch == LeaderEpoch(1));
  CHECK(cluster.broker(next).partition(led)->is_leader());
  CHECK(cluster.broker(next).partition(led)->leader_epoch() == LeaderEpoch(1));
  for (std::int32_t p = 0; p < 3; ++p) {
    const LeaderAndIsr state = cluster.zk_state(orders(p));
    CHECK_FALSE(has(state.isr, victim));
    CHECK(state.isr.size() == 2);
  }
  // The controller did it: one election, two ISR removals.
  REQUIRE(cluster.recorder.elections.size() == 4);
  CHECK(cluster.recorder.elections.back().controller == controller_id);
  CHECK(cluster.recorder.elections.back().tp == led);
  REQUIRE(cluster.recorder.isr_changes.size() == 2);
  for (const Recorder::IsrChange& change : cluster.recorder.isr_changes) {
    CHECK(change.controller == controller_id);
    CHECK_FALSE(has(change.isr, victim));
  }
  // controller_isr_removals: the victim left three ISRs by the controller's hand (the election
  // took it out of the one it led), none by a leader's.
  CHECK(cluster.recorder.isr_removals == 3);
}

TEST_CASE("removeBroker: a dead broker's channel goes, with every request it held") {
  // processBrokerChange → controllerChannelManager.removeBroker: the send thread stops and the
  // queue is cleared, so the controller does not re-send to a dead broker for ever. A crashed
  // broker is told nothing while it is down: what the controller sends it after the crash (the
  // elections of onBrokerFailure come after removeBroker, so nothing new) would sit in the queue.
  ControllerCluster cluster;
  cluster.run_until(seconds(2));
  Broker& controller = cluster.controller();
  const BrokerId victim = cluster.other_than_controller();
  CHECK(controller.controller()->channels().has_channel(victim));
  cluster.broker(victim).crash(CrashKind::power_loss);
  // While it is registered, the controller still queues for it: the other broker's controlled
  // shutdown makes it announce new states to every live replica.
  BrokerId leaving = broker_id(1);
  while (leaving == controller.id() || leaving == victim)
    leaving = broker_id(leaving.value() + 1);
  cluster.broker(leaving).shutdown();
  cluster.run_until(seconds(3));
  CHECK(controller.controller()->channels().queued(victim) >= 1);
  // Its session expires (6 s of silence) and the controller hears it is gone.
  cluster.run_until(seconds(10));
  CHECK_FALSE(controller.controller()->live_brokers().contains(victim));
  CHECK_FALSE(controller.controller()->channels().has_channel(victim));
  CHECK(controller.controller()->channels().queued(victim) == 0);
}

TEST_CASE(
    "controller failover after the controller dies: a higher epoch, offline partitions "
    "elected, the dead broker out of the ISRs") {
  ControllerCluster cluster;
  cluster.run_until(seconds(2));
  const BrokerId first = cluster.controller().id();
  const TopicPartition led = preferred_of(first);
  cluster.broker(first).crash(CrashKind::process);
  cluster.run_until(seconds(12));
  Broker& second = cluster.controller();
  CHECK(second.id() != first);
  CHECK(second.controller()->epoch() == ControllerEpoch(2));
  CHECK_FALSE(second.controller()->live_brokers().contains(first));
  const LeaderAndIsr moved = cluster.zk_state(led);
  CHECK(moved.leader == cluster.broker(first).layout().replicas(led)[1]);
  CHECK(moved.leader_epoch == LeaderEpoch(1));
  for (std::int32_t p = 0; p < 3; ++p) {
    const TopicPartition tp = orders(p);
    CHECK_FALSE(has(cluster.zk_state(tp).isr, first));
    // The live replicas follow the new controller's word (LeaderAndIsr at epoch 2).
    for (int b = 1; b <= 3; ++b) {
      if (broker_id(b) == first) continue;
      CHECK(cluster.broker(broker_id(b)).partition(tp)->controller_epoch() == ControllerEpoch(2));
    }
  }
  REQUIRE(cluster.recorder.elections.size() == 4);
  CHECK(cluster.recorder.elections.back().controller == second.id());
}

TEST_CASE(
    "controller failover with nothing to elect: every live broker hears the whole state "
    "from the new controller epoch") {
  // ReplicaStateMachine.startup announces every partition (UpdateMetadata to every live broker,
  // LeaderAndIsr to its replicas) even when no state changes: /controller is deleted (an
  // operator's re-election), the brokers elect again, and the new controller (epoch 2) writes
  // nothing. The brokers ignore a LeaderAndIsr whose leader epoch is not newer, so what shows is
  // their metadata cache.
  ControllerCluster cluster;
  cluster.run_until(seconds(2));
  cluster.admin().client.remove(ControllerZNode::path(), kAnyZkVersion, {});
  cluster.run_until(seconds(3));
  Broker& controller = cluster.controller();
  CHECK(controller.controller()->epoch() == ControllerEpoch(2));
  CHECK(cluster.recorder.elections.size() == 3);  // the boot's only
  for (std::int32_t p = 0; p < 3; ++p) {
    const TopicPartition tp = orders(p);
    CHECK(cluster.zk_state(tp).leader_epoch == LeaderEpoch(0));
    for (int b = 1; b <= 3; ++b) {
      const auto& cached = cluster.broker(broker_id(b)).metadata().partitions();
      REQUIRE(cached.contains(tp));
      CHECK(cached.at(tp).controller_epoch == ControllerEpoch(2));
      CHECK(cached.at(tp).leader == broker_id(p + 1));
    }
  }
}

TEST_CASE("epoch fencing: a controller whose /controller_epoch moved on resigns unwritten") {
  // Every state write checks /controller_epoch's version in the same multi (Kafka 2.2+): here
  // another writer bumps it, as a newer controller's election would, and the broker's death
  // that follows must not be acted on by the stale controller.
  ControllerCluster cluster;
  cluster.run_until(seconds(2));
  Broker& controller = cluster.controller();
  const BrokerId victim = cluster.other_than_controller();
  const TopicPartition led = preferred_of(victim);
  cluster.admin().client.set_data(ControllerEpochZNode::path(),
                                  ControllerEpochZNode::encode(ControllerEpoch(2)), kAnyZkVersion,
                                  {});
  cluster.run_until(seconds(3));
  cluster.broker(victim).crash(CrashKind::process);
  cluster.run_until(seconds(12));
  REQUIRE(controller.controller() != nullptr);
  CHECK_FALSE(controller.controller()->is_active());
  CHECK_FALSE(controller.is_controller());
  const LeaderAndIsr state = cluster.zk_state(led);
  CHECK(state.leader == victim);
  CHECK(state.leader_epoch == LeaderEpoch(0));
  CHECK(cluster.recorder.elections.size() == 3);  // the boot's, none after
  CHECK(cluster.recorder.isr_changes.empty());
}

TEST_CASE("controlled shutdown: leadership moves off the broker, which leaves the ISRs") {
  // doControlledShutdown: the partition it leads gets the next ISR replica not shutting down;
  // it leaves the ISR of those it follows; the answer lists no partition still led.
  ControllerCluster cluster;
  cluster.run_until(seconds(2));
  const BrokerId controller_id = cluster.controller().id();
  const BrokerId leaving = cluster.other_than_controller();
  const TopicPartition led = preferred_of(leaving);
  cluster.broker(leaving).shutdown();
  cluster.run_until(seconds(3));
  REQUIRE(cluster.recorder.shutdowns.size() == 1);
  CHECK(cluster.recorder.shutdowns[0].broker == leaving);
  CHECK(cluster.recorder.shutdowns[0].attempts == 1);
  CHECK(cluster.recorder.shutdowns[0].clean);
  const LeaderAndIsr moved = cluster.zk_state(led);
  CHECK(moved.leader == cluster.broker(leaving).layout().replicas(led)[1]);
  CHECK_FALSE(has(moved.isr, leaving));
  REQUIRE(cluster.recorder.elections.size() == 4);
  CHECK(cluster.recorder.elections.back().kind == ElectionKind::controlled_shutdown);
  CHECK(cluster.recorder.elections.back().controller == controller_id);
  for (std::int32_t p = 0; p < 3; ++p) {
    CHECK_FALSE(has(cluster.zk_state(orders(p)).isr, leaving));
  }
}

TEST_CASE(
    "auto.leader.rebalance: leadership goes back to the preferred replica once it is in "
    "the ISR, above leader.imbalance.per.broker.percentage only") {
  // checkAndTriggerAutoLeaderRebalance every leader.imbalance.check.interval.seconds (5 s here):
  // a broker that prefers 1 partition and leads none of it is 100 % imbalanced.
  BrokerConfig config;
  config.leader_imbalance_check_interval = seconds(5);
  SUBCASE("above the threshold (10 %): moved back") {
    ControllerCluster cluster(config);
    cluster.run_until(seconds(2));
    const BrokerId victim = cluster.other_than_controller();
    const TopicPartition led = preferred_of(victim);
    cluster.broker(victim).crash(CrashKind::process);
    cluster.run_until(seconds(10));
    REQUIRE(cluster.zk_state(led).leader != victim);
    cluster.broker(victim).start();  // its old session is gone: it registers at once
    cluster.run_until(seconds(40));
    const LeaderAndIsr state = cluster.zk_state(led);
    CHECK(state.leader == victim);
    CHECK(state.leader_epoch == LeaderEpoch(2));
    CHECK(cluster.broker(victim).partition(led)->is_leader());
    REQUIRE_FALSE(cluster.recorder.elections.empty());
    CHECK(cluster.recorder.elections.back().kind == ElectionKind::preferred);
  }
  SUBCASE("at the threshold (100 %): left where it is") {
    config.leader_imbalance_per_broker_percentage = 100;
    ControllerCluster cluster(config);
    cluster.run_until(seconds(2));
    const BrokerId victim = cluster.other_than_controller();
    const TopicPartition led = preferred_of(victim);
    cluster.broker(victim).crash(CrashKind::process);
    cluster.run_until(seconds(10));
    cluster.broker(victim).start();
    cluster.run_until(seconds(40));
    CHECK(cluster.zk_state(led).leader != victim);
    CHECK(has(cluster.zk_state(led).isr, victim));  // it was a candidate, in the ISR
  }
}

TEST_CASE(
    "KafkaServer.startup: a broker restarted within its session timeout reads no request until "
    "it has registered, so a new controller's LeaderAndIsr does not make it lead") {
  // The restarted process finds its previous session's /brokers/ids node: registerBroker fails
  // (NODEEXISTS) and Kafka's startup ends before startDataPlaneProcessors, so no request is read.
  // A new controller that reads the old registration counts the broker alive and tells it to
  // lead the partition it led; that must not take effect until the broker has registered again
  // (after its old session expired: 6 s of silence), when the controller has failed it over.
  ControllerCluster cluster;
  cluster.run_until(seconds(2));
  const BrokerId victim = cluster.other_than_controller();
  const TopicPartition led = preferred_of(victim);
  cluster.broker(victim).crash(CrashKind::process);
  cluster.run_until(seconds(3));
  cluster.broker(victim).start();
  cluster.run_until(seconds(4));
  // An operator's re-election: the new controller reads /brokers/ids, the victim's old node
  // included, and sends every live replica its state (ReplicaStateMachine.startup).
  cluster.admin().client.remove(ControllerZNode::path(), kAnyZkVersion, {});
  cluster.run_until(seconds(6));
  CHECK(cluster.controller().controller()->live_brokers().contains(victim));
  CHECK(cluster.zk_state(led).leader == victim);
  for (std::int32_t p = 0; p < 3; ++p)
    CHECK(cluster.broker(victim).partition(orders(p))->role() == ReplicaRole::none);
  // Its old session expires about 8 s in; it registers, and the controller has moved the
  // leadership meanwhile and then tells the restarted broker to follow.
  cluster.run_until(seconds(14));
  const LeaderAndIsr moved = cluster.zk_state(led);
  CHECK(moved.leader != victim);
  CHECK(cluster.broker(victim).partition(led)->role() == ReplicaRole::follower);
}
