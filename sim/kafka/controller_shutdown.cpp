// Controlled shutdown: KafkaController.processControlledShutdown → doControlledShutdown (Kafka
// 2.4, core/src/main/scala/kafka/controller/KafkaController.scala), with
// Election.leaderForControlledShutdown (ControlledShutdownPartitionLeaderElectionStrategy) for
// the partitions the broker leads and ReplicaStateMachine's OfflineReplica for those it follows.
#include <algorithm>
#include <cassert>

#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/controller.h"

namespace kafkasim {

void Controller::process(const ControlledShutdown& event) {
  const BrokerId id = event.request.broker_id;
  if (!is_live(id)) {
    broker_.send(event.from, ControlledShutdownResponse{
                                 event.request.correlation_id, Errors::broker_not_available, {}});
    return;
  }
  shutting_down_.insert(id);
  // Its replicated partitions, read afresh: the elections and the ISR removals read the
  // partitions' state from ZooKeeper first (PartitionStateMachine.doElectLeaderForPartitions,
  // ReplicaStateMachine.doRemoveReplicasFromIsr → getTopicPartitionStatesRaw). The cached ISR
  // can be stale by an ISR change notification or more, and an election from a stale ISR can
  // find no candidate (found by the swarm: a controller shutting itself down spent all its
  // retries because its cache still held the ISR a pause had shrunk).
  std::vector<TopicPartition> on_broker;
  for (const auto& [tp, state] : states_) {
    const std::vector<BrokerId>& assignment = broker_.layout().replicas(tp);
    if (assignment.size() > 1 && contains(assignment, id)) on_broker.push_back(tp);
  }
  then({MoveLeadersOffShuttingDownBroker{event}, AnswerControlledShutdown{event}});
  read_states(on_broker);
}

void Controller::perform(const MoveLeadersOffShuttingDownBroker& step) {
  // doControlledShutdown: move leadership of its replicated partitions to the first live ISR
  // replica not shutting down; take it out of the ISRs of the partitions it follows, and stop
  // its fetchers there.
  const BrokerId id = step.shutdown.request.broker_id;
  assert(shutting_down_.contains(id));
  std::vector<StateWrite> writes;
  std::vector<TopicPartition> followed;
  for (const auto& [tp, state] : states_) {
    const std::vector<BrokerId>& assignment = broker_.layout().replicas(tp);
    if (assignment.size() <= 1 || !contains(assignment, id)) continue;
    LeaderAndIsr next = state;
    next.leader_epoch = LeaderEpoch(state.leader_epoch.value() + 1);
    if (state.leader == id) {
      // leaderForControlledShutdown drops every broker shutting down from the ISR of a
      // partition the broker led.
      std::erase_if(next.isr, [&](BrokerId r) { return shutting_down_.contains(r); });
      const auto leader =
          std::find_if(assignment.begin(), assignment.end(), [&, &isr = state.isr](BrokerId r) {
            return is_live(r) && contains(isr, r) && !shutting_down_.contains(r);
          });
      if (leader == assignment.end()) continue;  // stays led by the broker: reported remaining
      next.leader = *leader;
      writes.push_back({tp, next, ElectionKind::controlled_shutdown,
                        broker_name(id) + " is shutting down; broker-" +
                            std::to_string(leader->value()) +
                            " is the first live ISR replica not shutting down"});
    } else if (contains(state.isr, id) && state.isr.size() > 1) {
      // Where it follows, only its own replica goes offline (OfflineReplica →
      // removeReplicasFromIsr): another broker of the set, perhaps the leader, stays (found by
      // the swarm: the ISR lost its leader).
      std::erase(next.isr, id);
      followed.push_back(tp);
      writes.push_back({tp, next, ElectionKind::clean, "a replica shutting down leaves the ISR"});
    }
  }
  send_stop_replica(id, followed);
  write_states(std::move(writes));
}

void Controller::perform(const AnswerControlledShutdown& step) {
  // sendRequestsToBrokers, then the answer: the partitions the broker still leads.
  const BrokerId id = step.shutdown.request.broker_id;
  assert(shutting_down_.contains(id));
  std::vector<TopicPartition> remaining;
  for (const auto& [tp, state] : states_) {
    send_leader_and_isr(tp, live_replicas(tp));
    if (state.leader == id && broker_.layout().replicas(tp).size() > 1) remaining.push_back(tp);
  }
  send_update_metadata(live_list(), known_partitions());
  broker_.send(step.shutdown.from, ControlledShutdownResponse{step.shutdown.request.correlation_id,
                                                              Errors::none, remaining});
}

}  // namespace kafkasim

namespace kafkasim {

void Controller::preempt_controlled_shutdowns() {
  // ControllerEventManager.clearAndPut preempts every queued event; preemptControlledShutdown
  // answers with ControllerMovedException (NOT_CONTROLLER to the broker). The broker retries
  // with the next controller, and its connection here is not left muted on an unanswered
  // request (SocketServer reads one request per connection at a time).
  const auto answer = [this](const ControlledShutdown& shutdown) {
    broker_.send(shutdown.from, ControlledShutdownResponse{
                                    shutdown.request.correlation_id, Errors::not_controller, {}});
  };
  for (const Event& event : events_)
    if (const auto* shutdown = std::get_if<ControlledShutdown>(&event)) answer(*shutdown);
  for (const Step& step : plan_)
    if (const auto* pending = std::get_if<AnswerControlledShutdown>(&step))
      answer(pending->shutdown);
  events_.erase(
      std::remove_if(events_.begin(), events_.end(),
                     [](const Event& e) { return std::holds_alternative<ControlledShutdown>(e); }),
      events_.end());
  std::erase_if(plan_,
                [](const Step& s) { return std::holds_alternative<AnswerControlledShutdown>(s); });
}

}  // namespace kafkasim
