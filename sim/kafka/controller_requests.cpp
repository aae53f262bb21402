// What the controller sends to brokers: LeaderAndIsr, UpdateMetadata and StopReplica, as
// ControllerBrokerRequestBatch builds them (Kafka 2.4,
// core/src/main/scala/kafka/controller/ControllerChannelManager.scala). Each goes into its
// broker's queue (ControllerChannelManager.sendRequest), which re-sends it until the broker
// answers.
#include <algorithm>
#include <cassert>

#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/controller.h"

namespace kafkasim {

bool Controller::contains(const std::vector<BrokerId>& list, BrokerId broker) {
  return std::find(list.begin(), list.end(), broker) != list.end();
}

std::vector<BrokerId> Controller::live_replicas(TopicPartition tp) const {
  std::vector<BrokerId> live;
  for (BrokerId r : broker_.layout().replicas(tp)) {
    if (is_live(r)) live.push_back(r);
  }
  return live;
}

std::vector<BrokerId> Controller::live_list() const {
  return std::vector<BrokerId>(live_brokers_.begin(), live_brokers_.end());
}

std::vector<TopicPartition> Controller::known_partitions() const {
  std::vector<TopicPartition> known;
  for (const auto& [tp, state] : states_)
    known.push_back(tp);
  return known;
}

LeaderAndIsrPartitionState Controller::partition_state(TopicPartition tp) const {
  const LeaderAndIsr& state = states_.at(tp);
  LeaderAndIsrPartitionState s;
  s.tp = tp;
  s.controller_epoch = epoch_;
  s.leader = state.leader;
  s.leader_epoch = state.leader_epoch;
  s.isr = state.isr;
  s.zk_version = state.zk_version;
  s.replicas = broker_.layout().replicas(tp);
  return s;
}

void Controller::send_leader_and_isr(TopicPartition tp, const std::vector<BrokerId>& to) {
  assert(active_);
  // A partition whose state could not be read or written is not announced.
  if (!states_.contains(tp)) return;
  // addLeaderAndIsrRequestForBrokers: into the batch; one request per broker leaves when the
  // step is done (send_requests_to_brokers).
  for (BrokerId b : to) {
    if (is_live(b)) leader_and_isr_batch_[b].push_back(partition_state(tp));
  }
}

void Controller::send_requests_to_brokers() {
  // ControllerBrokerRequestBatch.sendRequestsToBrokers → sendLeaderAndIsrRequest: every
  // partition state one step gathered for a broker, in one LeaderAndIsr.
  for (auto& [b, states] : leader_and_isr_batch_) {
    LeaderAndIsrRequest request;
    request.correlation_id = broker_.next_correlation_id();
    request.controller_id = broker_.id();
    request.controller_epoch = epoch_;
    request.partition_states = std::move(states);
    channels_.send_request(b, std::move(request));
  }
  leader_and_isr_batch_.clear();
}

void Controller::send_update_metadata(const std::vector<BrokerId>& to,
                                      const std::vector<TopicPartition>& tps) {
  assert(active_);
  send_requests_to_brokers();  // the LeaderAndIsr gathered so far go first, as in Kafka's batch
  for (BrokerId b : to) {
    UpdateMetadataRequest request;
    request.correlation_id = broker_.next_correlation_id();
    request.controller_id = broker_.id();
    request.controller_epoch = epoch_;
    request.live_brokers = live_list();
    for (const TopicPartition& tp : tps) {
      if (states_.contains(tp)) request.partition_states.push_back(partition_state(tp));
    }
    channels_.send_request(b, std::move(request));
  }
}

void Controller::send_stop_replica(BrokerId to, const std::vector<TopicPartition>& tps) {
  assert(active_);
  send_requests_to_brokers();
  // The request takes its correlation id even when there is nothing to stop and it is not
  // sent: correlation ids show in --trace, and this keeps them as they have always been.
  StopReplicaRequest request;
  request.correlation_id = broker_.next_correlation_id();
  request.controller_id = broker_.id();
  request.controller_epoch = epoch_;
  request.partitions = tps;
  if (!tps.empty()) channels_.send_request(to, std::move(request));
}

}  // namespace kafkasim
