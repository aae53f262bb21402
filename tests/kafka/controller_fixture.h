// The controller tests' cluster (tests/kafka/test_controller*.cpp): three brokers and a
// ZooKeeper on a 0.5 ms network, one topic `orders` of three partitions, each broker the
// preferred leader of one (orders-0: [1, 2, 3], orders-1: [2, 3, 1], orders-2: [3, 1, 2]), no
// producers, and a Recorder of what the controller reports.
#pragma once

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

namespace kafkasim::test {

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
  void on_controller_isr_removal(BrokerId /*controller*/, TopicPartition /*tp*/,
                                 const std::vector<BrokerId>& removed, Instant /*now*/) override {
    isr_removals += removed.size();
  }
  void on_shutdown_complete(BrokerId broker, std::uint32_t attempts, bool clean,
                            std::optional<std::size_t> /*still_led*/, Instant /*now*/) override {
    shutdowns.push_back({broker, attempts, clean});
  }

  std::vector<Election> elections;
  std::vector<IsrChange> isr_changes;
  std::vector<Shutdown> shutdowns;
  /// Replicas the controller took out of ISRs (on_controller_isr_removal).
  std::size_t isr_removals = 0;
};

inline std::vector<NodeDecl> nodes() {
  return {{"broker-1", NodeKind::broker},
          {"broker-2", NodeKind::broker},
          {"broker-3", NodeKind::broker},
          {"zookeeper", NodeKind::zookeeper},
          {"admin", NodeKind::client}};
}

inline BrokerId broker_id(int id) {
  return BrokerId(id);
}

inline TopicPartition orders(std::int32_t partition) {
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
  Transport<Message>& network() { return network_; }
  NodeId node_of(BrokerId id) const { return layout_.node_of(id); }
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
inline TopicPartition preferred_of(BrokerId broker) {
  return orders(broker.value() - 1);
}

inline bool has(const std::vector<BrokerId>& list, BrokerId broker) {
  return std::find(list.begin(), list.end(), broker) != list.end();
}

}  // namespace kafkasim::test
