// The controller (core/src/main/scala/kafka/controller/KafkaController.scala,
// PartitionStateMachine.scala, ReplicaStateMachine.scala, Election.scala; Kafka 2.4): active on
// the broker that holds /controller. It watches /brokers/ids and /isr_change_notification, elects
// partition leaders when brokers die or come back, moves leaders off a broker in controlled
// shutdown, brings leadership back to preferred replicas, and tells the brokers with LeaderAndIsr
// and UpdateMetadata requests.
//
// Its shape is Kafka's ControllerEventManager: whatever the controller hears (it was elected, a
// watch fired, a ControlledShutdown request came, the rebalance timer rang) becomes an Event on a
// queue of its own, and the events are processed one at a time, each by a small named handler,
// process(const BrokerChange&) for KafkaController.processBrokerChange and so on.
//
// Kafka's handlers call ZooKeeper synchronously; here ZooKeeper answers through the network. So a
// handler is a plan: the named Steps Kafka's function takes, in order (see process(const
// Startup&) for onControllerFailover). A step that reads or writes ZooKeeper names what it awaits
// (an Awaited); each answer goes to a named on_reply, and the next step runs once every answer
// the step awaits is in. A step may put further steps at the head of the plan (a sub-procedure,
// as Kafka's functions call each other); the next event starts when the plan is empty.
//
// Every write of a partition's state is a multi-op that first checks /controller_epoch's version,
// so a controller that lost its place cannot overwrite its successor (Kafka 2.2+). A write that
// fails that check makes the controller resign: it forgets its plan and its queue, and answers
// that come later are dropped (they are routed by the broker and the controller epoch, which no
// later controller shares: a new controller's election bumps /controller_epoch).
//
// The files, one concept each:
//   controller.cpp                          the event queue, plans, ZooKeeper answers, timer
//   controller_failover.cpp                 onControllerFailover, initializeControllerContext
//   controller_broker_change.cpp            processBrokerChange, onBrokerStartup/Failure
//   controller_partition_state_machine.cpp  new partitions and offline elections
//   controller_replica_state_machine.cpp    startup state and dead replicas leaving ISRs
//   controller_zk_partition_state.cpp       reading and writing
//   /brokers/topics/T/partitions/P/state controller_isr_change.cpp processIsrChangeNotification
//   controller_shutdown.cpp                 processControlledShutdown
//   controller_rebalance.cpp                checkAndTriggerAutoLeaderRebalance
//   controller_requests.cpp                 LeaderAndIsr, UpdateMetadata, StopReplica to brokers
//   controller_channel_manager.cpp          the queue per broker, re-sent until answered
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "kafkasim/kafka/cluster_observer.h"
#include "kafkasim/kafka/controller_channel_manager.h"
#include "kafkasim/kafka/zk_data.h"
#include "kafkasim/protocol/kafka_protocol.h"
#include "kafkasim/protocol/zookeeper_protocol.h"

namespace kafkasim {

class Broker;

class Controller {
 public:
  /// The first preferred-leader check after a failover (onControllerFailover).
  static constexpr Duration kFirstAutoLeaderRebalanceDelay = std::chrono::seconds(5);

  Controller(Broker& broker, ControllerEpoch epoch, ZkVersion epoch_zk_version);
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  /// False once a write found /controller_epoch moved on (the controller resigned).
  bool is_active() const { return active_; }
  ControllerEpoch epoch() const { return epoch_; }
  /// The brokers the controller counts as live (ControllerContext.liveBrokerIds).
  const std::set<BrokerId>& live_brokers() const { return live_brokers_; }
  /// What the controller knows of each partition's state (partitionLeadershipInfo).
  const std::map<TopicPartition, LeaderAndIsr>& partition_states() const { return states_; }
  /// The requests queued for each broker (ControllerChannelManager).
  const ControllerChannelManager& channels() const { return channels_; }

  // --- What the broker forwards; each becomes an event -----------------------------------------
  /// The broker was elected controller (KafkaController.elect → onControllerFailover).
  void on_failover();
  void on_zk_watch_event(ZkEventType type, const std::string& path);
  void on_controlled_shutdown_request(NodeId from, const ControlledShutdownRequest& request);
  /// Answers NOT_CONTROLLER to every controlled shutdown waiting in the queue or the plan: the
  /// controller stops (KafkaController.preemptControlledShutdown).
  void preempt_controlled_shutdowns();
  /// A BrokerTimer::controller timer rang; `payload` is what schedule() gave it.
  void on_timer(std::uint64_t payload);
  /// A broker answered a LeaderAndIsr, UpdateMetadata or StopReplica.
  void on_broker_response(NodeId from, CorrelationId correlation_id) {
    channels_.on_response(from, correlation_id);
  }
  void on_disconnected(NodeId peer) { channels_.on_disconnected(peer); }
  /// A BrokerTimer::controller_channel timer rang.
  void on_channel_timer(std::uint32_t index, std::uint64_t payload) {
    channels_.on_timer(index, payload);
  }

 private:
  // --- Events (ControllerEvent in KafkaController.scala) --------------------------------------
  struct Startup {};  // Startup/Reelect → elect → onControllerFailover
  struct BrokerChange {};
  struct IsrChangeNotification {};
  struct ControlledShutdown {
    NodeId from;
    ControlledShutdownRequest request;
  };
  struct AutoPreferredReplicaLeaderElection {};
  using Event = std::variant<Startup, BrokerChange, IsrChangeNotification, ControlledShutdown,
                             AutoPreferredReplicaLeaderElection>;

  /// A partition's new state, how it was chosen, and why (for the timeline).
  struct StateWrite {
    TopicPartition tp;
    LeaderAndIsr state;
    ElectionKind kind;
    std::string why;
  };
  /// Whether written states are announced to every broker (UpdateMetadata) or only to the
  /// partitions' replicas (LeaderAndIsr).
  enum class Announce : std::uint8_t { replicas_only, with_metadata };

  // --- Steps of a plan, grouped by the file that performs them ----------------------------------
  // controller_failover.cpp
  struct ReadBrokerEpochs {};
  struct InitializeControllerContext {};
  // controller_broker_change.cpp
  struct ApplyBrokerChange {};
  struct OnBrokerStartup {
    std::set<BrokerId> started;
  };
  struct OnBrokerFailure {
    std::set<BrokerId> dead;
  };
  struct AddLiveBrokers {
    std::set<BrokerId> brokers;
  };
  struct RemoveLiveBrokers {
    std::set<BrokerId> brokers;
  };
  struct SendUpdateMetadata {};  // every partition to every live broker
  // controller_partition_state_machine.cpp
  struct InitializeNewPartitions {};
  struct ElectOfflinePartitions {};  // reads the offline partitions' state, then:
  struct ElectFromFreshStates {};
  // controller_replica_state_machine.cpp
  struct SendStartupState {};
  struct RemoveDeadReplicasFromIsr {};
  struct RemoveReplicasFromIsr {  // reads their partitions' state, then:
    std::set<BrokerId> dead;
  };
  struct WriteIsrsWithout {
    std::set<BrokerId> dead;
  };
  // controller_zk_partition_state.cpp
  struct AnnounceWrites {
    std::vector<TopicPartition> written;
    Announce announce;
  };
  // controller_isr_change.cpp
  struct ReadIsrChangeNotifications {};
  struct RefreshChangedPartitions {};
  struct AnnounceIsrChanges {
    std::vector<TopicPartition> changed;
  };
  // controller_shutdown.cpp
  struct MoveLeadersOffShuttingDownBroker {
    ControlledShutdown shutdown;
  };
  struct AnswerControlledShutdown {
    ControlledShutdown shutdown;
  };
  using Step =
      std::variant<ReadBrokerEpochs, InitializeControllerContext, ApplyBrokerChange,
                   OnBrokerStartup, OnBrokerFailure, AddLiveBrokers, RemoveLiveBrokers,
                   SendUpdateMetadata, InitializeNewPartitions, ElectOfflinePartitions,
                   ElectFromFreshStates, SendStartupState, RemoveDeadReplicasFromIsr,
                   RemoveReplicasFromIsr, WriteIsrsWithout, AnnounceWrites,
                   ReadIsrChangeNotifications, RefreshChangedPartitions, AnnounceIsrChanges,
                   MoveLeadersOffShuttingDownBroker, AnswerControlledShutdown>;

  // --- ZooKeeper answers a step awaits ----------------------------------------------------------
  struct BrokerIdsRead {};  // the children of /brokers/ids
  struct BrokerRegistrationRead {
    BrokerId broker;
  };
  struct PartitionStateRead {
    TopicPartition tp;
  };
  struct PartitionStateWritten {
    StateWrite write;
  };
  struct IsrChangeNotificationsListed {};
  struct IsrChangeNotificationRead {
    std::string path;
  };
  using Awaited =
      std::variant<BrokerIdsRead, BrokerRegistrationRead, PartitionStateRead, PartitionStateWritten,
                   IsrChangeNotificationsListed, IsrChangeNotificationRead>;

  /// The controller's timers; schedule() is the one place that sets them.
  enum class ControllerTimer : std::uint8_t { auto_leader_rebalance = 1 };

  // controller.cpp: the event queue (ControllerEventManager) and plans.
  void put(Event event);
  void run();
  /// Puts `steps` at the head of the plan, in order. A step plans its continuation before it
  /// asks ZooKeeper: an answer can come at once (from a closed client) and plan steps of its own.
  void then(std::vector<Step> steps);
  /// Sends `op`; its answer goes to on_reply(awaited, ...) while this controller is active.
  void ask_zk(ZkOp op, Awaited awaited);
  static void deliver(Broker& broker, ControllerEpoch epoch, const Awaited& awaited,
                      const ZkResult& result);
  void on_answer(const Awaited& awaited, const ZkResult& result);
  void schedule(ControllerTimer timer, Duration delay);
  void resign();

  // controller_failover.cpp
  void process(const Startup& event);
  void perform(const ReadBrokerEpochs& step);
  void on_reply(const BrokerIdsRead& read, const ZkResult& result);
  void on_reply(const BrokerRegistrationRead& read, const ZkResult& result);
  void perform(const InitializeControllerContext& step);

  // controller_broker_change.cpp
  void process(const BrokerChange& event);
  void perform(const ApplyBrokerChange& step);
  void perform(const OnBrokerStartup& step);
  void perform(const OnBrokerFailure& step);
  void perform(const AddLiveBrokers& step);
  void perform(const RemoveLiveBrokers& step);
  void perform(const SendUpdateMetadata& step);

  // controller_partition_state_machine.cpp
  void perform(const InitializeNewPartitions& step);
  void perform(const ElectOfflinePartitions& step);
  void perform(const ElectFromFreshStates& step);
  bool leader_is_live(TopicPartition tp) const;

  // controller_replica_state_machine.cpp
  void perform(const SendStartupState& step);
  void perform(const RemoveDeadReplicasFromIsr& step);
  void perform(const RemoveReplicasFromIsr& step);
  void perform(const WriteIsrsWithout& step);

  // controller_zk_partition_state.cpp
  void read_states(const std::vector<TopicPartition>& partitions);
  void on_reply(const PartitionStateRead& read, const ZkResult& result);
  void write_states(std::vector<StateWrite> writes);
  void on_reply(const PartitionStateWritten& written, const ZkResult& result);
  /// write_states, then LeaderAndIsr to each written partition's live replicas (and, with
  /// Announce::with_metadata, UpdateMetadata to every live broker).
  void write_and_announce(std::vector<StateWrite> writes, Announce announce);
  void perform(const AnnounceWrites& step);

  // controller_isr_change.cpp
  void process(const IsrChangeNotification& event);
  void perform(const ReadIsrChangeNotifications& step);
  void on_reply(const IsrChangeNotificationsListed& listed, const ZkResult& result);
  void on_reply(const IsrChangeNotificationRead& read, const ZkResult& result);
  void perform(const RefreshChangedPartitions& step);
  void perform(const AnnounceIsrChanges& step);

  // controller_shutdown.cpp
  void process(const ControlledShutdown& event);
  void perform(const MoveLeadersOffShuttingDownBroker& step);
  void perform(const AnswerControlledShutdown& step);

  // controller_rebalance.cpp
  void process(const AutoPreferredReplicaLeaderElection& event);

  // controller_requests.cpp (ControllerBrokerRequestBatch)
  LeaderAndIsrPartitionState partition_state(TopicPartition tp) const;
  /// Adds `tp`'s state to the LeaderAndIsr of each live broker of `to`, sent when the step ends.
  void send_leader_and_isr(TopicPartition tp, const std::vector<BrokerId>& to);
  /// Sends the LeaderAndIsr gathered since the last call, one per broker (run() calls it after
  /// each step; UpdateMetadata and StopReplica call it first, to keep Kafka's order).
  void send_requests_to_brokers();
  void send_update_metadata(const std::vector<BrokerId>& to,
                            const std::vector<TopicPartition>& tps);
  void send_stop_replica(BrokerId to, const std::vector<TopicPartition>& tps);
  bool is_live(BrokerId broker) const { return live_brokers_.contains(broker); }
  static bool contains(const std::vector<BrokerId>& list, BrokerId broker);
  std::vector<BrokerId> live_list() const;
  /// The replicas of `tp` on live brokers, in assignment order.
  std::vector<BrokerId> live_replicas(TopicPartition tp) const;
  /// Every partition whose state the controller knows, in order.
  std::vector<TopicPartition> known_partitions() const;

  Broker& broker_;
  const ControllerEpoch epoch_;
  const ZkVersion epoch_zk_version_;
  bool active_ = true;
  ControllerChannelManager channels_;

  std::deque<Event> events_;
  /// The steps left of the event being processed.
  std::deque<Step> plan_;
  /// ZooKeeper answers the current step still awaits.
  std::size_t awaiting_ = 0;
  /// run() is on the stack: answers that come at once must not start it again.
  bool running_ = false;

  /// Each registered broker's epoch: the czxid of /brokers/ids/N (KIP-380).
  using BrokerEpochs = std::map<BrokerId, std::int64_t>;
  std::set<BrokerId> live_brokers_;
  BrokerEpochs broker_epochs_;
  std::set<BrokerId> shutting_down_;
  std::map<TopicPartition, LeaderAndIsr> states_;
  std::set<TopicPartition> new_partitions_;
  /// The LeaderAndIsr partition states of the step running, by broker.
  std::map<BrokerId, std::vector<LeaderAndIsrPartitionState>> leader_and_isr_batch_;

  // What the current event has read so far.
  BrokerEpochs registered_;               // ReadBrokerEpochs
  std::set<TopicPartition> isr_changed_;  // ReadIsrChangeNotifications
};

}  // namespace kafkasim
