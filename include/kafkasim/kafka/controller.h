// The controller (core/src/main/scala/kafka/controller/KafkaController.scala,
// PartitionStateMachine.scala, ReplicaStateMachine.scala, Election.scala; Kafka 2.4): active on
// the broker that holds /controller. It watches /brokers/ids and /isr_change_notification, elects
// partition leaders when brokers die or come back, moves leaders off a broker in controlled
// shutdown, brings leadership back to preferred replicas, and tells the brokers with LeaderAndIsr
// and UpdateMetadata requests.
//
// Kafka runs controller events one at a time on one thread, each calling ZooKeeper
// synchronously. Here ZooKeeper answers through the network, so events queue and each runs to its
// end (through its ZooKeeper callbacks) before the next starts: the same one-at-a-time order.
// Every write of a partition's state is a multi-op that first checks /controller_epoch's
// version, so a controller that lost its place cannot overwrite its successor (Kafka 2.2+).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "kafkasim/kafka/cluster_observer.h"
#include "kafkasim/kafka/protocol.h"
#include "kafkasim/kafka/zk_data.h"
#include "kafkasim/zookeeper/client.h"
#include "kafkasim/zookeeper/protocol.h"

namespace kafkasim {

class Broker;

class Controller {
 public:
  Controller(Broker& broker, ControllerEpoch epoch, ZkVersion epoch_zk_version);
  ~Controller();
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  bool is_active() const { return active_; }
  ControllerEpoch epoch() const { return epoch_; }
  const std::set<BrokerId>& live_brokers() const { return live_brokers_; }
  const std::map<TopicPartition, LeaderAndIsr>& partition_states() const { return states_; }

  /// KafkaController.onControllerFailover.
  void on_failover();
  void on_zk_watch_event(ZkEventType type, const std::string& path);
  void on_controlled_shutdown_request(NodeId from, const ControlledShutdownRequest& request);
  void on_broker_response(NodeId from, CorrelationId correlation_id);
  void on_disconnected(NodeId peer);
  void on_timer(std::uint64_t payload);

 private:
  using Done = std::function<void()>;
  /// A partition's new state, how it was chosen, and why (for the timeline).
  using StateWrite = std::tuple<TopicPartition, LeaderAndIsr, ElectionKind, std::string>;
  /// Whether a batch of writes is announced to every broker (UpdateMetadata) or only to the
  /// partitions' replicas (LeaderAndIsr).
  enum class Announce : std::uint8_t { replicas_only, with_metadata };
  using Event = std::function<void(Done)>;

  // The event queue (ControllerEventManager).
  void enqueue(Event event);
  void run_next();

  // ZooKeeper helpers: callbacks are dropped once this controller is gone.
  ZkCallback guard(std::function<void(const ZkResult&)> callback);
  /// Each registered broker's epoch: the czxid of /brokers/ids/N (KIP-380).
  using BrokerEpochs = std::map<BrokerId, std::int64_t>;
  void read_broker_epochs(std::function<void(BrokerEpochs)> then);
  void read_states(std::vector<TopicPartition> partitions, Done done);
  void write_state(TopicPartition tp, LeaderAndIsr state, ElectionKind kind, std::string why,
                   Done done);
  /// write_states, then LeaderAndIsr to each written partition's live replicas (and, with
  /// Announce::with_metadata, UpdateMetadata to every live broker).
  void write_and_announce(std::vector<StateWrite> writes, Announce announce, Done done);
  void write_states(std::vector<StateWrite> writes, Done done);

  // Events.
  void failover(Done done);
  void on_broker_change(Done done);
  void on_broker_failure(const std::set<BrokerId>& dead, Done done);
  void on_broker_startup(const std::set<BrokerId>& started, Done done);
  void on_isr_change_notification(Done done);
  void controlled_shutdown(NodeId from, ControlledShutdownRequest request, Done done);
  void move_leaders_off_shutting_down(NodeId from, ControlledShutdownRequest request, Done done);
  void auto_leader_rebalance(Done done);

  // Partition state machine.
  void initialize_new_partitions(Done done);
  void elect_offline_partitions(Done done);
  void elect_read_partitions(Done done);
  void remove_replicas_from_isr(const std::set<BrokerId>& dead, Done done);
  void remove_read_replicas_from_isr(const std::set<BrokerId>& dead, Done done);
  bool is_live(BrokerId broker) const { return live_brokers_.contains(broker); }
  bool leader_is_live(TopicPartition tp) const;

  // Requests to brokers (ControllerBrokerRequestBatch).
  LeaderAndIsrPartitionState partition_state(TopicPartition tp) const;
  void send_leader_and_isr(TopicPartition tp, const std::vector<BrokerId>& to);
  void send_update_metadata(const std::vector<BrokerId>& to,
                            const std::vector<TopicPartition>& tps);
  std::vector<BrokerId> live_list() const;
  /// The replicas of `tp` on live brokers, in assignment order.
  std::vector<BrokerId> live_replicas(TopicPartition tp) const;

  void resign();
  void set_timer(Duration delay, std::uint8_t kind);

  Broker& broker_;
  ControllerEpoch epoch_;
  ZkVersion epoch_zk_version_;
  bool active_ = true;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  std::deque<Event> events_;
  bool running_ = false;

  std::set<BrokerId> live_brokers_;
  BrokerEpochs broker_epochs_;
  std::set<BrokerId> shutting_down_;
  std::map<TopicPartition, LeaderAndIsr> states_;
  std::set<TopicPartition> new_partitions_;
};

}  // namespace kafkasim
