// Partition state in ZooKeeper, /brokers/topics/T/partitions/P/state: reading it
// (KafkaZkClient.getTopicPartitionStatesRaw) and writing it guarded by the controller epoch
// (KafkaZkClient.updateLeaderAndIsr / createTopicPartitionStatesRaw, whose multi-op checks
// /controller_epoch's version: ControllerMovedException otherwise), then telling the brokers
// (ControllerBrokerRequestBatch.sendRequestsToBrokers). Kafka 2.4,
// core/src/main/scala/kafka/zk/KafkaZkClient.scala and kafka/controller/.
#include <cassert>

#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/controller.h"

namespace kafkasim {

void Controller::read_states(const std::vector<TopicPartition>& partitions) {
  for (const TopicPartition& tp : partitions) {
    const std::string& topic = broker_.layout().topic(tp.topic).name;
    ask_zk(ZkGetData{TopicPartitionStateZNode::path({topic, tp.partition}), ZkWatch::none},
           PartitionStateRead{tp});
  }
}

void Controller::on_reply(const PartitionStateRead& read, const ZkResult& result) {
  const TopicPartition tp = read.tp;
  if (result.code == ZkCode::ok) {
    if (auto state = TopicPartitionStateZNode::decode(result.data, result.stat.version)) {
      states_[tp] = state->leader_and_isr;
      new_partitions_.erase(tp);
    }
  } else if (result.code == ZkCode::no_node && !states_.contains(tp)) {
    new_partitions_.insert(tp);
  }
}

void Controller::write_states(std::vector<StateWrite> writes) {
  for (StateWrite& write : writes) {
    // setData guarded by the znode's version and by the controller epoch's version, in one
    // multi (a new partition's state is created instead).
    const TopicPartition tp = write.tp;
    const std::string path =
        TopicPartitionStateZNode::path({broker_.layout().topic(tp.topic).name, tp.partition});
    const std::string data =
        TopicPartitionStateZNode::encode(LeaderIsrAndControllerEpoch{write.state, epoch_});
    std::vector<ZkMultiOp> ops;
    ops.push_back(ZkCheck{ControllerEpochZNode::path(), epoch_zk_version_});
    if (new_partitions_.contains(tp)) {
      ops.push_back(ZkCreate{path, data, ZkCreateMode::persistent});
    } else {
      ops.push_back(ZkSetData{path, data, write.state.zk_version});
    }
    ask_zk(ZkMulti{std::move(ops)}, PartitionStateWritten{std::move(write)});
  }
}

void Controller::on_reply(const PartitionStateWritten& written, const ZkResult& result) {
  const auto& [tp, state, kind, why] = written.write;
  if (result.code != ZkCode::ok) {
    const bool epoch_moved = !result.results.empty() && result.results[0].code != ZkCode::ok;
    if (epoch_moved) {
      resign();
      return;
    }
    // The leader changed the ISR meanwhile (a version conflict): re-read it; the next event that
    // needs this partition works from the fresh state (Kafka retries the same way).
    read_states({tp});
    return;
  }
  LeaderAndIsr stored = state;
  stored.zk_version = result.results.size() > 1 ? result.results[1].stat.version : ZkVersion(0);
  const auto old = states_.find(tp);
  const bool leader_changed = old == states_.end() || old->second.leader != state.leader;
  const std::vector<BrokerId> old_isr =
      old == states_.end() ? std::vector<BrokerId>{} : old->second.isr;
  states_[tp] = stored;
  new_partitions_.erase(tp);
  std::vector<BrokerId> removed;
  for (BrokerId r : old_isr) {
    if (!contains(state.isr, r)) removed.push_back(r);
  }
  if (!removed.empty()) {
    broker_.observer().on_controller_isr_removal(broker_.id(), tp, removed, broker_.now());
  }
  if (leader_changed || kind != ElectionKind::clean) {
    broker_.observer().on_leader_election(broker_.id(), tp, state.leader, state.leader_epoch,
                                          state.isr, kind, why, broker_.now());
  } else if (old_isr != state.isr) {
    broker_.observer().on_controller_isr_change(broker_.id(), tp, old_isr, state.isr,
                                                state.leader_epoch, why, broker_.now());
  }
}

void Controller::write_and_announce(std::vector<StateWrite> writes, Announce announce) {
  if (writes.empty()) return;
  std::vector<TopicPartition> written;
  for (const StateWrite& w : writes)
    written.push_back(w.tp);
  then({AnnounceWrites{std::move(written), announce}});
  write_states(std::move(writes));
}

void Controller::perform(const AnnounceWrites& step) {
  // ControllerBrokerRequestBatch: after the writes, LeaderAndIsr to the partitions' live
  // replicas and, for leadership changes, UpdateMetadata to every live broker.
  assert(!step.written.empty());
  for (const TopicPartition& tp : step.written)
    send_leader_and_isr(tp, live_replicas(tp));
  if (step.announce == Announce::with_metadata) send_update_metadata(live_list(), step.written);
}

}  // namespace kafkasim
