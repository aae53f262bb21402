// Brokers come and go: KafkaController.processBrokerChange, onBrokerStartup, onBrokerFailure and
// onReplicasBecomeOffline (core/src/main/scala/kafka/controller/KafkaController.scala, Kafka
// 2.4), with broker epochs (the czxid of each registration, KIP-380) so that a broker that
// bounced between two reads is seen to have.
#include <cassert>

#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/controller.h"

namespace kafkasim {

void Controller::process(const BrokerChange& /*event*/) {
  then({ReadBrokerEpochs{}, ApplyBrokerChange{}});
}

void Controller::perform(const ApplyBrokerChange& /*step*/) {
  // processBrokerChange, in Kafka's order: new brokers start; bounced brokers fail and start
  // again; dead brokers fail.
  std::set<BrokerId> dead;
  std::set<BrokerId> started;
  std::set<BrokerId> bounced;
  for (BrokerId b : live_brokers_) {
    if (!registered_.contains(b)) dead.insert(b);
  }
  for (const auto& [b, czxid] : registered_) {
    if (!live_brokers_.contains(b)) {
      started.insert(b);
    } else if (broker_epochs_.contains(b) && broker_epochs_[b] != czxid) {
      bounced.insert(b);
    }
  }
  broker_epochs_ = registered_;
  for (BrokerId b : started)
    live_brokers_.insert(b);
  // The channels first, as processBrokerChange does: a new broker gets one (addBroker); a
  // bounced broker's goes, with what it held for the old process, and it gets a fresh one; a dead
  // broker's goes (removeBroker), so nothing is re-sent to it for ever.
  for (BrokerId b : started)
    channels_.add_broker(b);
  for (BrokerId b : bounced) {
    channels_.remove_broker(b);
    channels_.add_broker(b);
  }
  for (BrokerId b : dead)
    channels_.remove_broker(b);
  std::vector<Step> steps;
  if (!started.empty()) steps.emplace_back(OnBrokerStartup{started});
  if (!bounced.empty()) {
    steps.emplace_back(RemoveLiveBrokers{bounced});
    steps.emplace_back(OnBrokerFailure{bounced});
    steps.emplace_back(AddLiveBrokers{bounced});
    steps.emplace_back(OnBrokerStartup{bounced});
  }
  if (!dead.empty()) {
    steps.emplace_back(RemoveLiveBrokers{dead});
    steps.emplace_back(OnBrokerFailure{dead});
  }
  then(std::move(steps));
}

void Controller::perform(const AddLiveBrokers& step) {
  live_brokers_.insert(step.brokers.begin(), step.brokers.end());
}

void Controller::perform(const RemoveLiveBrokers& step) {
  for (BrokerId b : step.brokers)
    live_brokers_.erase(b);
}

void Controller::perform(const OnBrokerStartup& step) {
  // onBrokerStartup: metadata to everyone, the full state of its replicas to the new broker,
  // then elections for partitions that had no live leader.
  assert(!step.started.empty());
  send_update_metadata(live_list(), known_partitions());
  for (const auto& [tp, state] : states_) {
    std::vector<BrokerId> to;
    for (BrokerId r : broker_.layout().replicas(tp)) {
      if (step.started.contains(r)) to.push_back(r);
    }
    if (!to.empty()) send_leader_and_isr(tp, to);
  }
  then({InitializeNewPartitions{}, ElectOfflinePartitions{}});
}

void Controller::perform(const OnBrokerFailure& step) {
  // onBrokerFailure → onReplicasBecomeOffline: elect new leaders for the partitions the dead
  // brokers led, then take the dead replicas out of the ISRs, then tell everyone.
  assert(!step.dead.empty());
  for (BrokerId b : step.dead) {
    assert(!is_live(b));
    shutting_down_.erase(b);
  }
  then({ElectOfflinePartitions{}, RemoveReplicasFromIsr{step.dead}, SendUpdateMetadata{}});
}

void Controller::perform(const SendUpdateMetadata& /*step*/) {
  send_update_metadata(live_list(), known_partitions());
}

}  // namespace kafkasim
