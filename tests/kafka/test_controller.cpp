// The controller (sim/kafka/controller*.cpp) on a small cluster of its own: three brokers and a
// ZooKeeper on a 0.5 ms network, one topic `orders` of three partitions, each broker the
// preferred leader of one (orders-0: [1, 2, 3], orders-1: [2, 3, 1], orders-2: [3, 1, 2]), no
// producers. Each test checks one of the controller's rules in what it wrote to ZooKeeper and
// in what the brokers were told: a broken rule leaves a wrong state there.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../zookeeper/zk_fixture.h"
#include "kafkasim/engine/engine.h"
#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/cluster_layout.h"
#include "kafkasim/kafka/controller.h"
#include "kafkasim/kafka/zk_data.h"
#include "kafkasim/network/transport.h"
#include "kafkasim/zookeeper/server.h"

using namespace kafkasim;

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

/// What the controller and the brokers report to the run.
class Recorder final : public ClusterObserver {
 public:
  struct Election {
    BrokerId controller;
    TopicPartition tp;
    BrokerId leader;
    LeaderEpoch epoch;
    std::vector<BrokerId> isr;
    ElectionKind kind;
  };
  struct IsrChange {
    BrokerId controller;
    TopicPartition tp;
    std::vector<BrokerId> isr;
  };
  struct Shutdown {
    BrokerId broker;
    std::uint32_t attempts;
    bool clean;
  };

  void on_leader_election(BrokerId controller, TopicPartition tp, BrokerId leader,
                          LeaderEpoch epoch, const std::vector<BrokerId>& isr, ElectionKind kind,
                          const std::string& /*why*/, Instant /*now*/) override {
    elections.push_back({controller, tp, leader, epoch, isr, kind});
  }
  void on_controller_isr_change(BrokerId controller, TopicPartition tp,
                                const std::vector<BrokerId>& /*old_isr*/,
                                const std::vector<BrokerId>& new_isr, LeaderEpoch /*epoch*/,
                                const std::string& /*why*/, Instant /*now*/) override {
    isr_changes.push_back({controller, tp, new_isr});
  }
  void on_shutdown_complete(BrokerId broker, std::uint32_t attempts, bool clean,
                            std::optional<std::size_t> /*still_led*/, Instant /*now*/) override {
    shutdowns.push_back({broker, attempts, clean});
  }

  std::vector<Election> elections;
  std::vector<IsrChange> isr_changes;
  std::vector<Shutdown> shutdowns;
};

std::vector<NodeDecl> nodes() {
  return {{"broker-1", NodeKind::broker},
          {"broker-2", NodeKind::broker},
          {"broker-3", NodeKind::broker},
          {"zookeeper", NodeKind::zookeeper},
          {"admin", NodeKind::client}};
}

BrokerId broker_id(int id) {
  return BrokerId(id);
}

TopicPartition orders(std::int32_t partition) {
  return {TopicIndex(0), partition};
}

/// The cluster. Brokers start at time 0; tests move the clock with run_until(seconds).
class ControllerCluster {
 public:
  explicit ControllerCluster(BrokerConfig config = {})
      : network_(engine_, Topology::build(nodes(), testing::zk_spec(0.5)), 1), log_(engine_) {
    for (int id = 1; id <= 3; ++id) {
      spec_.brokers.push_back(BrokerSpec{broker_id(id), std::nullopt});
      layout_.brokers.push_back(broker_id(id));
      layout_.broker_nodes.push_back(network_.topology().at("broker-" + std::to_string(id)));
    }
    spec_.broker_config = config;
    layout_.zookeeper = network_.topology().at("zookeeper");
    TopicLayout topic;
    topic.name = "orders";
    topic.partitions = 3;
    topic.assignment = {{broker_id(1), broker_id(2), broker_id(3)},
                        {broker_id(2), broker_id(3), broker_id(1)},
                        {broker_id(3), broker_id(1), broker_id(2)}};
    layout_.topics.push_back(topic);
    zookeeper_ = std::make_unique<ZooKeeperServer>(engine_, network_, layout_.zookeeper);
    for (const BrokerSpec& b : spec_.brokers) {
      brokers_.push_back(std::make_unique<Broker>(
          BrokerEnvironment{engine_, network_, layout_, spec_, recorder, 1}, b));
    }
    for (auto& b : brokers_)
      b->start();
  }

  void run_until(Duration at) { engine_.run_until(Instant::start() + at); }
  Broker& broker(BrokerId id) { return *brokers_.at(static_cast<std::size_t>(id.value() - 1)); }

  /// The broker whose controller is active; fails the test when there is not exactly one.
  Broker& controller() {
    Broker* found = nullptr;
    for (auto& b : brokers_) {
      if (!b->is_controller()) continue;
      REQUIRE(found == nullptr);
      found = b.get();
    }
    REQUIRE(found != nullptr);
    return *found;
  }

  /// A broker that is not the controller.
  BrokerId other_than_controller() {
    const BrokerId controller_id = controller().id();
    return controller_id == broker_id(1) ? broker_id(2) : broker_id(1);
  }

  /// The state of `tp` in ZooKeeper.
  LeaderAndIsr zk_state(TopicPartition tp) const {
    const Znode* node =
        zookeeper_->tree().find(TopicPartitionStateZNode::path({"orders", tp.partition}));
    REQUIRE(node != nullptr);
    const auto state = TopicPartitionStateZNode::decode(node->data, node->stat.version);
    REQUIRE(state.has_value());
    return state->leader_and_isr;
  }

  /// A ZooKeeper client of its own on node "admin", started: a writer besides the brokers.
  testing::TestBroker& admin() {
    if (!admin_) {
      admin_ =
          std::make_unique<testing::TestBroker>(engine_, network_, network_.topology().at("admin"),
                                                layout_.zookeeper, ZkClientConfig{}, log_);
      admin_->client.start();
    }
    return *admin_;
  }

  Recorder recorder;

 private:
  Engine engine_;
  ClusterSpec spec_;
  ClusterLayout layout_;
  Transport<Message> network_;
  testing::Log log_;
  std::unique_ptr<ZooKeeperServer> zookeeper_;
  std::vector<std::unique_ptr<Broker>> brokers_;
  std::unique_ptr<testing::TestBroker> admin_;
};

/// The partition `broker` is the preferred leader of (orders-(id-1)).
TopicPartition preferred_of(BrokerId broker) {
  return orders(broker.value() - 1);
}

bool has(const std::vector<BrokerId>& list, BrokerId broker) {
  return std::find(list.begin(), list.end(), broker) != list.end();
}

}  // namespace

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
