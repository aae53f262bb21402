// The preferred-leader rebalance: KafkaController.processAutoPreferredReplicaLeaderElection →
// checkAndTriggerAutoLeaderRebalance (Kafka 2.4, core/src/main/scala/kafka/controller/
// KafkaController.scala), electing with PreferredReplicaPartitionLeaderElectionStrategy
// (Election.leaderForPreferredReplica). The first check comes 5 s after the failover
// (controller.cpp, on_failover); each check schedules the next
// leader.imbalance.check.interval.seconds later (processAutoPreferredReplicaLeaderElection's
// `finally`).
#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/controller.h"

namespace kafkasim {

void Controller::process(const AutoPreferredReplicaLeaderElection& /*event*/) {
  // processAutoPreferredReplicaLeaderElection: `finally scheduleAutoLeaderRebalanceTask(delay =
  // config.leaderImbalanceCheckIntervalSeconds)`. Only a controller that scheduled the first
  // check (auto.leader.rebalance.enable) gets here.
  schedule(ControllerTimer::auto_leader_rebalance,
           broker_.cluster().broker_config.leader_imbalance_check_interval);
  // For each broker, the share of the partitions it prefers to lead that another broker leads;
  // above leader.imbalance.per.broker.percentage, move those whose preferred replica is live and
  // in the ISR back to it.
  const double threshold =
      broker_.cluster().broker_config.leader_imbalance_per_broker_percentage / 100.0;
  std::vector<StateWrite> writes;
  for (BrokerId b : live_brokers_) {
    if (shutting_down_.contains(b)) continue;
    std::vector<TopicPartition> preferred;
    std::vector<TopicPartition> not_led;
    for (const auto& [tp, state] : states_) {
      if (broker_.layout().replicas(tp).front() != b) continue;
      preferred.push_back(tp);
      if (state.leader != b) not_led.push_back(tp);
    }
    if (preferred.empty() ||
        static_cast<double>(not_led.size()) / static_cast<double>(preferred.size()) <= threshold) {
      continue;
    }
    for (const TopicPartition& tp : not_led) {
      const LeaderAndIsr& state = states_.at(tp);
      if (!contains(state.isr, b)) continue;
      LeaderAndIsr next = state;
      next.leader = b;
      next.leader_epoch = LeaderEpoch(state.leader_epoch.value() + 1);
      writes.push_back({tp, next, ElectionKind::preferred,
                        "auto.leader.rebalance: back to the preferred replica broker-" +
                            std::to_string(b.value())});
    }
  }
  write_and_announce(std::move(writes), Announce::with_metadata);
}

}  // namespace kafkasim
