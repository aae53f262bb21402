// What the controller sends to brokers: LeaderAndIsr, UpdateMetadata and StopReplica, as
// ControllerBrokerRequestBatch builds them (Kafka 2.4,
// core/src/main/scala/kafka/controller/ControllerChannelManager.scala). Kafka's
// ControllerChannelManager re-sends a request until its broker answers; here requests are
// fire-and-forget and their answers are not read: a broker that misses one because it crashed
// gets the whole state again when it comes back (onBrokerStartup). See README.
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
  for (BrokerId b : to) {
    if (!is_live(b)) continue;
    LeaderAndIsrRequest request;
    request.correlation_id = broker_.next_correlation_id();
    request.controller_id = broker_.id();
    request.controller_epoch = epoch_;
    request.partition_states.push_back(partition_state(tp));
    broker_.send_to_broker(b, std::move(request));
  }
}

void Controller::send_update_metadata(const std::vector<BrokerId>& to,
                                      const std::vector<TopicPartition>& tps) {
  assert(active_);
  for (BrokerId b : to) {
    UpdateMetadataRequest request;
    request.correlation_id = broker_.next_correlation_id();
    request.controller_id = broker_.id();
    request.controller_epoch = epoch_;
    request.live_brokers = live_list();
    for (const TopicPartition& tp : tps) {
      if (states_.contains(tp)) request.partition_states.push_back(partition_state(tp));
    }
    broker_.send_to_broker(b, std::move(request));
  }
}

void Controller::send_stop_replica(BrokerId to, const std::vector<TopicPartition>& tps) {
  assert(active_);
  // The request takes its correlation id even when there is nothing to stop and it is not
  // sent: correlation ids show in --trace, and this keeps them as they have always been.
  StopReplicaRequest request;
  request.correlation_id = broker_.next_correlation_id();
  request.controller_id = broker_.id();
  request.controller_epoch = epoch_;
  request.partitions = tps;
  if (!tps.empty()) broker_.send_to_broker(to, std::move(request));
}

}  // namespace kafkasim
