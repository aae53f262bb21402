// What the controller tells a broker (LeaderAndIsr, UpdateMetadata, StopReplica: ReplicaManager
// .becomeLeaderOrFollower, makeLeaders, makeFollowers, stopReplicas) and the ISR changes the
// leader makes itself (Partition.maybeExpandIsr / maybeShrinkIsr / updateIsr, ReplicaManager
// .maybePropagateIsrChanges; Kafka 2.4).
#include "kafkasim/kafka/broker.h"

#include <algorithm>
#include <cassert>

#include "kafkasim/kafka/replica_fetcher.h"
#include "kafkasim/kafka/zk_data.h"

namespace kafkasim {

void Broker::handle_leader_and_isr(NodeId from, const LeaderAndIsrRequest& request) {
  LeaderAndIsrResponse response{request.correlation_id, Errors::none};
  // ReplicaManager.becomeLeaderOrFollower: a request from an older controller is refused.
  LeaderAndIsrReceipt receipt{request.controller_epoch, false, {}, {}, 0};
  if (request.controller_epoch < known_controller_epoch_) {
    response.error = Errors::stale_controller_epoch;
    receipt.stale_controller = true;
    env_.observer.on_leader_and_isr(id_, receipt, now());
    send(from, std::move(response));
    return;
  }
  known_controller_epoch_ = request.controller_epoch;
  for (const LeaderAndIsrPartitionState& state : request.partition_states) {
    HostedPartition* h = hosted(state.tp);
    if (h == nullptr) continue;
    // "Ignoring LeaderAndIsr request ... since its associated leader epoch is not higher than
    // the current leader epoch": only a newer epoch changes anything.
    if (state.leader_epoch <= h->partition.leader_epoch()) {
      ++receipt.ignored;
      continue;
    }
    if (state.leader != id_ && !metadata_.is_live(state.leader)) {
      receipt.skipped.emplace_back(state.tp, state.leader);  // see become_follower
    } else {
      receipt.applied.emplace_back(state.tp, state.leader);
    }
    if (state.leader == id_) {
      become_leader(*h, state);
    } else {
      become_follower(*h, state);
    }
    tell_group_coordinator(state.tp, state.leader == id_);
  }
  env_.observer.on_leader_and_isr(id_, receipt, now());
  send(from, std::move(response));
}

void Broker::become_leader(HostedPartition& h, const LeaderAndIsrPartitionState& state) {
  // makeLeader takes leaderIsrUpdateLock for write: the request waited for any ISR write.
  assert(state.leader == id_ && state.tp == h.partition.tp() && !h.isr_write);
  // ReplicaManager.makeLeaders: stop fetching, then Partition.makeLeader.
  remove_from_fetchers(state.tp);
  const bool hw_moved =
      h.partition.make_leader(state, now(), env_.cluster.broker_config.replica_lag_time_max);
  if (hw_moved) on_high_watermark_moved(h);
}

void Broker::become_follower(HostedPartition& h, const LeaderAndIsrPartitionState& state) {
  assert(state.leader != id_ && state.tp == h.partition.tp() && !h.isr_write);
  // ReplicaManager.makeFollowers (2.4): "Only change partition state when the leader is
  // available". A new leader missing from the metadata cache's alive brokers (or no leader, -1)
  // leaves the partition as it was: Partition.makeFollower is not called, so the leader epoch
  // stays, nothing is truncated and no fetcher starts ("cannot become follower since the new
  // leader ... is unavailable"); only the log is created if it did not exist.
  if (!metadata_.is_live(state.leader)) return;
  if (!h.partition.make_follower(state)) return;
  remove_from_fetchers(state.tp);
  // Parked produces and fetches on this partition can no longer succeed here.
  try_complete_produces(state.tp);
  try_complete_fetches(state.tp);
  bool truncate_first = true;
  if (env_.cluster.truncation == Truncation::high_watermark) {
    // Before 0.11 (KIP-101's "scenario 1"): truncate to our own high watermark, then fetch.
    const Offset hw = h.partition.high_watermark();
    const std::vector<RecordBatch> removed = h.partition.log().truncate_to(hw);
    if (!removed.empty()) {
      env_.observer.on_truncation(id_, state.tp, removed, TruncationReason::high_watermark, now());
    }
    truncate_first = false;
  }
  fetcher_for(state.leader).add_partition(state.tp, truncate_first);
}

void Broker::handle_update_metadata(NodeId from, const UpdateMetadataRequest& request) {
  UpdateMetadataResponse response{request.correlation_id, Errors::none};
  if (request.controller_epoch < known_controller_epoch_) {
    response.error = Errors::stale_controller_epoch;
  } else {
    known_controller_epoch_ = request.controller_epoch;
    metadata_.update(request);
  }
  send(from, std::move(response));
}

void Broker::handle_stop_replica(NodeId from, const StopReplicaRequest& request) {
  StopReplicaResponse response{request.correlation_id, Errors::none};
  if (request.controller_epoch < known_controller_epoch_) {
    response.error = Errors::stale_controller_epoch;
  } else {
    known_controller_epoch_ = request.controller_epoch;
    // ReplicaManager.stopReplicas (deletePartition = false): stop fetching; keep the log.
    for (const TopicPartition& tp : request.partitions) {
      remove_from_fetchers(tp);
      tell_group_coordinator(tp, false);
    }
  }
  send(from, std::move(response));
}

ReplicaFetcher& Broker::fetcher_for(BrokerId leader) {
  auto it = fetchers_.find(leader);
  if (it == fetchers_.end()) {
    it = fetchers_.emplace(leader, std::make_unique<ReplicaFetcher>(*this, leader)).first;
  }
  return *it->second;
}

void Broker::remove_from_fetchers(TopicPartition tp) {
  for (auto it = fetchers_.begin(); it != fetchers_.end();) {
    it->second->remove_partition(tp);
    // AbstractFetcherManager.shutdownIdleFetcherThreads.
    if (it->second->empty()) {
      it = fetchers_.erase(it);
    } else {
      ++it;
    }
  }
}

// --- The leader's side of replication ---------------------------------------------------------

void Broker::on_follower_fetch(HostedPartition& h, BrokerId follower, Offset fetch_offset,
                               Offset read_log_end_offset, Offset read_high_watermark) {
  assert(h.partition.is_leader() && follower != id_ && fetch_offset >= 0);
  Partition& partition = h.partition;
  partition.update_follower_fetch_state(follower, fetch_offset, now(), read_log_end_offset,
                                        read_high_watermark);
  if (auto expanded = partition.isr_to_expand(follower)) {
    // Partition.maybeExpandIsr holds leaderIsrUpdateLock for write over the ZooKeeper write;
    // maybeIncrementLeaderHW comes after it (on_isr_write_result).
    propose_isr(h, std::move(*expanded));
    return;
  }
  if (partition.maybe_increment_high_watermark(now(),
                                               env_.cluster.broker_config.replica_lag_time_max)) {
    on_high_watermark_moved(h);
  } else {
    try_complete_produces(partition.tp());  // the sync mode waits on log ends, not the HW
  }
}

void Broker::on_high_watermark_moved(HostedPartition& h) {
  try_complete_produces(h.partition.tp());
  try_complete_fetches(h.partition.tp());
}

void Broker::check_isr_expiration() {
  // ReplicaManager.maybeShrinkIsr, every replica.lag.time.max.ms / 2.
  for (auto& [tp, h] : partitions_) {
    if (auto shrunk =
            h.partition.isr_to_shrink(now(), env_.cluster.broker_config.replica_lag_time_max)) {
      propose_isr(h, std::move(*shrunk));
    }
  }
}

void Broker::propagate_isr_changes() {
  // ReplicaManager.maybePropagateIsrChanges: batch ISR changes into one notification, written
  // once no change came for 5 s (IsrChangePropagationBlackOut) or at least every 60 s.
  if (isr_changes_.empty()) return;
  if (!(last_isr_change_ + kIsrChangePropagationBlackOut < now() ||
        last_isr_propagation_ + kIsrChangePropagationMaxInterval < now())) {
    return;
  }
  std::vector<ZkTopicPartition> changed;
  for (const TopicPartition& tp : isr_changes_) {
    changed.push_back({env_.layout.topic(tp.topic).name, tp.partition});
  }
  zk_.create(IsrChangeNotificationSequenceZNode::path(),
             IsrChangeNotificationSequenceZNode::encode(changed),
             ZkCreateMode::persistent_sequential, {});
  isr_changes_.clear();
  last_isr_propagation_ = now();
}

}  // namespace kafkasim
