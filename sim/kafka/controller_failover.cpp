// A broker becomes controller: KafkaController.onControllerFailover and
// initializeControllerContext (core/src/main/scala/kafka/controller/KafkaController.scala, Kafka
// 2.4), with KafkaZkClient.getAllBrokerAndEpochsInCluster for the live brokers. The election
// itself (KafkaController.elect) is the broker's: broker_zookeeper.cpp.
#include <cassert>

#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/controller.h"

namespace kafkasim {

void Controller::process(const Startup& /*event*/) {
  // onControllerFailover: the handlers' watches first (registerZNodeChildChangeHandler), then
  // the context, then the replica and partition state machines' startup, then the ISR change
  // notifications written while there was no controller.
  assert(live_brokers_.empty() && states_.empty());
  broker_.zk().get_children(IsrChangeNotificationZNode::path(), ZkWatch::watch, {});
  then({ReadBrokerEpochs{}, InitializeControllerContext{},
        // ReplicaStateMachine.startup: tell every live replica the current state.
        SendStartupState{},
        // PartitionStateMachine.startup → triggerOnlinePartitionStateChange.
        InitializeNewPartitions{}, ElectOfflinePartitions{},
        // ReplicaStateMachine.startup also moves the replicas of dead brokers to
        // OfflineReplica, which takes them out of the ISRs (Kafka does it before the elections;
        // electing first, as onBrokerFailure does, gives the same states): a follower that died
        // with the old controller does not stay in the ISR until its leader's lag check.
        RemoveDeadReplicasFromIsr{}, ReadIsrChangeNotifications{}});
}

void Controller::perform(const ReadBrokerEpochs& /*step*/) {
  // getAllBrokerAndEpochsInCluster: the children of /brokers/ids (leaving the watch that reports
  // the next change), then each registration's czxid, its broker epoch (KIP-380).
  registered_.clear();
  ask_zk(ZkGetChildren{BrokerIdsZNode::path(), ZkWatch::watch}, BrokerIdsRead{});
}

void Controller::on_reply(const BrokerIdsRead& /*read*/, const ZkResult& result) {
  for (const std::string& child : result.children) {
    if (auto id = BrokerIdZNode::parse_id(child)) {
      ask_zk(ZkGetData{BrokerIdZNode::path(*id), ZkWatch::none}, BrokerRegistrationRead{*id});
    }
  }
}

void Controller::on_reply(const BrokerRegistrationRead& read, const ZkResult& result) {
  // A registration gone between the two reads is left out: its broker is dead.
  if (result.code == ZkCode::ok) registered_[read.broker] = result.stat.czxid;
}

void Controller::perform(const InitializeControllerContext& /*step*/) {
  // The live brokers with their epochs, so that the first broker change can tell a broker that
  // bounced (re-registered with a new epoch) from one that stayed.
  assert(live_brokers_.empty());
  for (const auto& [b, epoch] : registered_) {
    live_brokers_.insert(b);
    // ControllerChannelManager.startup: a channel to every live broker.
    channels_.add_broker(b);
  }
  broker_epochs_ = registered_;
  // Topics: create the ones that do not exist yet (the run's stand-in for kafka-topics.sh at
  // boot), then read every partition's state.
  const ClusterLayout& layout = broker_.layout();
  for (const TopicLayout& topic : layout.topics) {
    TopicZNode::Assignment assignment;
    for (std::int32_t p = 0; p < topic.partitions; ++p) {
      assignment[p] = topic.assignment[static_cast<std::size_t>(p)];
    }
    broker_.zk().create(TopicZNode::path(topic.name), TopicZNode::encode(assignment),
                        ZkCreateMode::persistent, {});
  }
  read_states(layout.all_partitions());
}

}  // namespace kafkasim
