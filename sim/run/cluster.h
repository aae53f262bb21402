// Everything one run builds: the engine, the network, ZooKeeper, the brokers, the producers and
// the ledger, wired together from a scenario. The fault injector acts on it.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "internal_topic_filter.h"
#include "kafkasim/client/producer.h"
#include "kafkasim/consumer/consumer.h"
#include "kafkasim/engine/engine.h"
#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/cluster_layout.h"
#include "kafkasim/kafka/group_coordinator.h"
#include "kafkasim/network/transport.h"
#include "kafkasim/protocol/message.h"
#include "kafkasim/run/consumer_ledger.h"
#include "kafkasim/run/ledger.h"
#include "kafkasim/scenario/scenario.h"
#include "kafkasim/zookeeper/server.h"
#include "producer_listener_tee.h"

namespace kafkasim {

class Cluster {
 public:
  /// `scenario` must already be shifted by kBootTime (see shifted_by_boot). The producers tell
  /// the ledger, and `also_tell` as well when given (RunObservers).
  Cluster(const Scenario& scenario, AckMode mode, std::uint64_t seed,
          ProducerListener* also_tell = nullptr);

  const Scenario& scenario() const { return scenario_; }
  Engine& engine() { return engine_; }
  Transport<Message>& network() { return *network_; }
  /// The scenario's topics: what the run reports on.
  const ClusterLayout& layout() const { return layout_; }
  /// What the brokers host: the scenario's topics, then __consumer_offsets when a group uses the
  /// group coordinator.
  const ClusterLayout& broker_layout() const { return broker_layout_; }
  ZooKeeperServer& zookeeper() { return *zookeeper_; }
  Ledger& ledger() { return *ledger_; }
  std::vector<std::unique_ptr<Broker>>& brokers() { return brokers_; }
  std::vector<std::unique_ptr<Producer>>& producers() { return producers_; }
  /// The members of every consumer group, group by group, each in index order.
  std::vector<std::unique_ptr<Consumer>>& consumers() { return consumers_; }

  Broker* broker(BrokerId id);
  Broker* broker_at(NodeId node);
  Producer* producer_at(NodeId node);
  Consumer* consumer_at(NodeId node);
  /// The high watermark of `tp` now: its current leader's, or with no live leader the highest
  /// any replica knows (what the partition had committed when it went offline).
  Offset high_watermark(TopicPartition tp);
  /// SPEC.md's consumer_lag of group `group` (its index in consumers[]) now: the messages below
  /// the high watermark of its topic that the group has not yet processed (ConsumerLedger::lag).
  /// 0 for a run without that group.
  std::int64_t consumer_lag(GroupIndex group) const;
  /// The share of consumer_lag(group) of partition `partition` of the group's topic
  /// (ConsumerLedger::partition_lag); 0 for a run without that group.
  std::int64_t consumer_partition_lag(GroupIndex group, std::int32_t partition) const;
  /// The broker that leads `tp` now: up, leader, with the highest leader epoch; or nullptr.
  Broker* current_leader(TopicPartition tp);
  Broker* current_controller();
  /// The process of an endpoint node (a broker, ZooKeeper, a producer, a consumer), or nullptr.
  Process* process_at(NodeId node);
  /// Every process by NodeId (null for switches).
  const std::vector<Process*>& processes() const { return processes_; }

  void start_producers();
  /// The final read and the report.
  RunResult finish(AckMode mode, std::uint64_t seed);

 private:
  static ClusterLayout make_layout(const Scenario& scenario, const Topology& topology,
                                   std::uint64_t seed);
  /// `layout` with __consumer_offsets after the scenario's topics, if a group uses the group
  /// coordinator; else `layout` itself.
  static ClusterLayout with_consumer_offsets(const ClusterLayout& layout, const Scenario& scenario,
                                             std::uint64_t seed);
  std::uint64_t holders(TopicPartition tp, Offset offset);
  /// The final read's diverged_offsets of `tp` (and which replicas differ) into `report`.
  void diverged_offsets(TopicPartition tp, const Broker& leader, PartitionReport& report);

  /// Tells the timeline when ZooKeeper expires a broker's session (SPEC.md "--timeline"): the
  /// moment its registration goes and the controller hears of it, before the broker knows.
  class ZkSessionNotes final : public ZkServerObserver {
   public:
    explicit ZkSessionNotes(Cluster& cluster) : cluster_(cluster) {}
    void on_session_created(ZkSessionId /*session*/, NodeId /*client*/) override {}
    void on_session_ended(ZkSessionId session, NodeId client, ZkSessionEnd why) override;

   private:
    Cluster& cluster_;
  };

  /// Samples every group's lag each kLagSampleInterval from the scenario's start, for max_lag.
  class LagSampler final : public Actor {
   public:
    LagSampler(Engine& engine, ConsumerLedger& ledger, Instant first);
    void on_timer(TimerCookie cookie) override;

   private:
    Engine& engine_;
    ConsumerLedger& ledger_;
    ActorId actor_;
  };

  void add_consumers(const std::vector<BrokerAddress>& addresses, std::uint64_t seed);

  const Scenario& scenario_;
  Engine engine_;
  ClusterLayout layout_;
  ClusterLayout broker_layout_;
  GroupRecordStore group_records_;
  std::unique_ptr<Transport<Message>> network_;
  std::unique_ptr<ZooKeeperServer> zookeeper_;
  ZkSessionNotes zk_session_notes_{*this};
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<InternalTopicFilter> broker_observer_;
  std::unique_ptr<ProducerListenerTee> producer_tee_;
  std::vector<std::unique_ptr<Broker>> brokers_;
  std::vector<std::unique_ptr<Producer>> producers_;
  // Only with consumer groups: the ledger of what they processed, its sampler, the members.
  std::unique_ptr<ConsumerLedger> consumer_ledger_;
  std::unique_ptr<LagSampler> lag_sampler_;
  std::vector<std::unique_ptr<Consumer>> consumers_;
  /// Every process by NodeId (null for switches), for the faults.
  std::vector<Process*> processes_;
};

/// A copy of the scenario with every scenario instant moved kBootTime later.
Scenario shifted_by_boot(const Scenario& scenario);

}  // namespace kafkasim
