// Replica states: core/src/main/scala/kafka/controller/ReplicaStateMachine.scala (Kafka 2.4):
// startup (every live replica hears the current state) and OnlineReplica → OfflineReplica, which
// takes a dead replica out of its partitions' ISRs (doRemoveReplicasFromIsr, reached from
// KafkaController.onReplicasBecomeOffline).
#include <cassert>

#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/controller.h"

namespace kafkasim {

void Controller::perform(const SendStartupState& /*step*/) {
  // startup → handleStateChanges(onlineReplicas, OnlineReplica): LeaderAndIsr to each live
  // replica of every known partition, after UpdateMetadata to every live broker.
  const std::vector<TopicPartition> known = known_partitions();
  send_update_metadata(live_list(), known);
  for (const TopicPartition& tp : known) {
    send_leader_and_isr(tp, live_replicas(tp));
  }
}

void Controller::perform(const RemoveDeadReplicasFromIsr& /*step*/) {
  // startup → handleStateChanges(offlineReplicas, OfflineReplica): the replicas of every broker
  // not registered when this controller started.
  std::set<BrokerId> dead;
  for (BrokerId b : broker_.layout().brokers) {
    if (!is_live(b)) dead.insert(b);
  }
  then({RemoveReplicasFromIsr{dead}});
}

void Controller::perform(const RemoveReplicasFromIsr& step) {
  // doRemoveReplicasFromIsr reads the current states from ZooKeeper first
  // (getTopicPartitionStatesRaw).
  std::vector<TopicPartition> hosting;
  for (const auto& [tp, state] : states_) {
    for (BrokerId b : step.dead) {
      if (contains(broker_.layout().replicas(tp), b)) {
        hosting.push_back(tp);
        break;
      }
    }
  }
  if (hosting.empty()) return;
  then({WriteIsrsWithout{step.dead}});
  read_states(hosting);
}

void Controller::perform(const WriteIsrsWithout& step) {
  // OfflineReplica → KafkaController.removeReplicasFromIsr: the replica leaves the ISR unless it
  // is the last member; a dead leader is replaced by "no leader".
  std::vector<StateWrite> writes;
  for (const auto& [tp, state] : states_) {
    LeaderAndIsr next = state;
    bool changed = false;
    for (BrokerId b : step.dead) {
      assert(!is_live(b));
      if (!contains(broker_.layout().replicas(tp), b)) continue;
      if (contains(next.isr, b) && next.isr.size() > 1) {
        std::erase(next.isr, b);
        changed = true;
      }
      if (next.leader == b) {
        next.leader = kNoBroker;
        changed = true;
      }
    }
    if (!changed) continue;
    next.leader_epoch = LeaderEpoch(state.leader_epoch.value() + 1);
    const ElectionKind kind =
        next.leader == kNoBroker ? ElectionKind::none_available : ElectionKind::clean;
    writes.push_back({tp, next, kind,
                      next.leader == kNoBroker
                          ? "no live replica of the ISR " + broker_names(state.isr) +
                                " can lead and unclean election is off: the partition is offline"
                          : "dead replicas leave the ISR"});
  }
  write_and_announce(std::move(writes), Announce::replicas_only);
}

}  // namespace kafkasim
