// Partition leadership: core/src/main/scala/kafka/controller/PartitionStateMachine.scala (Kafka
// 2.4): NewPartition → OnlinePartition (initializeLeaderAndIsrForPartitions) and
// OfflinePartition → OnlinePartition (doElectLeaderForPartitions with
// Election.leaderForOffline / PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection).
// The controlled-shutdown and preferred-replica elections are with their events
// (controller_shutdown.cpp, controller_rebalance.cpp).
#include <algorithm>
#include <cassert>

#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/controller.h"

namespace kafkasim {

bool Controller::leader_is_live(TopicPartition tp) const {
  const auto it = states_.find(tp);
  return it != states_.end() && it->second.leader != kNoBroker && is_live(it->second.leader);
}

void Controller::perform(const InitializeNewPartitions& /*step*/) {
  // initializeLeaderAndIsrForPartitions: the live replicas form the ISR and the first of them
  // leads, at leader epoch 0.
  std::vector<StateWrite> writes;
  for (const TopicPartition& tp : new_partitions_) {
    assert(!states_.contains(tp));
    const std::vector<BrokerId> live = live_replicas(tp);
    if (live.empty()) continue;  // stays new until a replica is alive
    const std::string& topic = broker_.layout().topic(tp.topic).name;
    broker_.zk().create(TopicPartitionsZNode::path(topic), "", ZkCreateMode::persistent, {});
    broker_.zk().create(TopicPartitionZNode::path({topic, tp.partition}), "",
                        ZkCreateMode::persistent, {});
    writes.push_back({tp, LeaderAndIsr{live.front(), LeaderEpoch(0), live, ZkVersion(0)},
                      ElectionKind::clean,
                      "new partition: the first live replica of " +
                          broker_names(broker_.layout().replicas(tp))});
  }
  write_and_announce(std::move(writes), Announce::with_metadata);
}

void Controller::perform(const ElectOfflinePartitions& /*step*/) {
  // doElectLeaderForPartitions reads the partitions' state from ZooKeeper before it elects
  // (getTopicPartitionStatesRaw): the leader may have changed the ISR since the controller last
  // heard (its ISR change notification can be lost with it, and an election from a stale
  // zkVersion would fail).
  std::vector<TopicPartition> offline;
  for (const auto& [tp, state] : states_) {
    if (!leader_is_live(tp)) offline.push_back(tp);
  }
  if (offline.empty()) return;
  then({ElectFromFreshStates{}});
  read_states(offline);
}

void Controller::perform(const ElectFromFreshStates& /*step*/) {
  // offlinePartitionLeaderElection: the first live ISR replica in assignment order; with
  // unclean.leader.election.enable, else the first live replica.
  std::vector<StateWrite> writes;
  for (const auto& [tp, state] : states_) {
    if (leader_is_live(tp)) continue;
    const std::vector<BrokerId>& assignment = broker_.layout().replicas(tp);
    const TopicLayout& topic = broker_.layout().topic(tp.topic);
    LeaderAndIsr next = state;
    next.leader_epoch = LeaderEpoch(state.leader_epoch.value() + 1);
    // The ISR by an init-capture: clang before 16 cannot capture a structured binding.
    const auto clean =
        std::find_if(assignment.begin(), assignment.end(),
                     [&, &isr = state.isr](BrokerId r) { return is_live(r) && contains(isr, r); });
    if (clean != assignment.end()) {
      next.leader = *clean;
      next.isr.clear();
      for (BrokerId r : state.isr) {
        if (is_live(r)) next.isr.push_back(r);
      }
      writes.push_back({tp, next, ElectionKind::clean,
                        broker_name(*clean) + " is the first live replica of the ISR " +
                            broker_names(state.isr) + " in assignment order " +
                            broker_names(assignment)});
      continue;
    }
    if (!topic.unclean_leader_election_enable) continue;  // stays offline (reported by the run)
    const auto unclean =
        std::find_if(assignment.begin(), assignment.end(), [&](BrokerId r) { return is_live(r); });
    if (unclean == assignment.end()) continue;
    next.leader = *unclean;
    next.isr = {*unclean};
    writes.push_back({tp, next, ElectionKind::unclean,
                      "no live replica of the ISR " + broker_names(state.isr) +
                          "; unclean.leader.election.enable chose the first live replica broker-" +
                          std::to_string(unclean->value())});
  }
  write_and_announce(std::move(writes), Announce::with_metadata);
}

}  // namespace kafkasim
