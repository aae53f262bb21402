#include "kafkasim/kafka/partition.h"

#include <algorithm>
#include <cassert>

namespace kafkasim {

Partition::Partition(TopicPartition tp, BrokerId local_broker)
    : tp_(tp), local_broker_(local_broker) {}

bool Partition::in_isr(BrokerId broker) const {
  return std::find(isr_.begin(), isr_.end(), broker) != isr_.end();
}

FollowerState* Partition::follower(BrokerId broker) {
  for (FollowerState& f : followers_) {
    if (f.broker == broker) return &f;
  }
  return nullptr;
}

void Partition::mark_isr_members() {
  for (FollowerState& f : followers_)
    f.in_isr = in_isr(f.broker);
}

bool Partition::make_leader(const LeaderAndIsrPartitionState& state, Instant now,
                            Duration lag_max) {
  assert(state.leader == local_broker_);
  const bool is_new_leader = role_ != ReplicaRole::leader;
  controller_epoch_ = state.controller_epoch;
  assigned_replicas_ = state.replicas;
  isr_ = state.isr;
  leader_ = local_broker_;
  leader_epoch_ = state.leader_epoch;
  zk_version_ = state.zk_version;
  role_ = ReplicaRole::leader;
  isr_update_in_flight = false;
  // KIP-279: the new epoch starts at our log end, even before we append to it.
  leader_epoch_start_offset_ = log_.log_end_offset();
  log_.assign_epoch_start(leader_epoch_, leader_epoch_start_offset_);
  // Partition.makeLeader: ISR members count as caught up now, the others as never; a new leader
  // does not know where its followers' logs end until they fetch.
  std::vector<FollowerState> followers;
  for (const BrokerId replica : assigned_replicas_) {
    if (replica == local_broker_) continue;
    FollowerState f;
    if (const FollowerState* old = follower(replica); old != nullptr && !is_new_leader) {
      f = *old;
    }
    f.broker = replica;
    f.last_caught_up_time = in_isr(replica) ? now : kNeverCaughtUp;
    f.last_fetch_leader_log_end_offset = log_.log_end_offset();
    f.last_fetch_time = now;
    if (is_new_leader) f.log_end_offset = -1;
    followers.push_back(f);
  }
  followers_ = std::move(followers);
  mark_isr_members();
  // The ISR may be down to the leader alone.
  return maybe_increment_high_watermark(now, lag_max);
}

bool Partition::make_follower(const LeaderAndIsrPartitionState& state) {
  assert(state.leader != local_broker_);
  const BrokerId old_leader = leader_;
  const LeaderEpoch old_epoch = leader_epoch_;
  const bool was_follower = role_ == ReplicaRole::follower;
  controller_epoch_ = state.controller_epoch;
  assigned_replicas_ = state.replicas;
  isr_.clear();  // Partition.makeFollower: only the leader tracks the ISR
  followers_.clear();
  leader_ = state.leader;
  leader_epoch_ = state.leader_epoch;
  zk_version_ = state.zk_version;
  leader_epoch_start_offset_ = -1;
  role_ = ReplicaRole::follower;
  isr_update_in_flight = false;
  return !(was_follower && old_leader == state.leader && old_epoch == state.leader_epoch);
}

void Partition::reset_role() {
  role_ = ReplicaRole::none;
  leader_ = kNoBroker;
  isr_.clear();
  followers_.clear();
  isr_update_in_flight = false;
  // A restarted broker builds new Partition objects, whose leaderEpoch starts at
  // LeaderAndIsr.initialLeaderEpoch - 1 (Partition.scala): it accepts the controller's
  // LeaderAndIsr whatever its epoch, even the unchanged state a new controller sends.
  leader_epoch_ = kNoLeaderEpoch;
}

Errors Partition::check_append(ProduceAcks acks, std::int32_t min_insync_replicas) const {
  if (role_ != ReplicaRole::leader) return Errors::not_leader_for_partition;
  // Partition.appendRecordsToLeader: "if (inSyncSize < minIsr && requiredAcks == -1)".
  const bool waits_for_replicas = acks == ProduceAcks::all || acks == ProduceAcks::every_replica;
  if (waits_for_replicas && static_cast<std::int32_t>(isr_.size()) < min_insync_replicas) {
    return Errors::not_enough_replicas;
  }
  return Errors::none;
}

const FollowerState* Partition::follower_state(BrokerId broker) const {
  for (const FollowerState& f : followers_) {
    if (f.broker == broker) return &f;
  }
  return nullptr;
}

void Partition::update_follower_fetch_state(BrokerId follower_id, Offset fetch_offset, Instant now,
                                            Offset leader_end, Offset high_watermark) {
  FollowerState* f = follower(follower_id);
  if (f == nullptr) return;  // not an assigned replica
  assert(leader_end <= log_.log_end_offset() && high_watermark <= high_watermark_);
  // Replica.updateFetchState: caught up if it fetched from our log end (as the fetch's read saw
  // it: "any appends following the fetch do not prevent a follower from coming into sync"), or
  // from at least where our log ended at its previous fetch (then it was caught up as of that
  // fetch).
  if (fetch_offset >= leader_end) {
    f->last_caught_up_time = std::max(f->last_caught_up_time, now);
  } else if (fetch_offset >= f->last_fetch_leader_log_end_offset) {
    f->last_caught_up_time = std::max(f->last_caught_up_time, f->last_fetch_time);
  }
  f->log_end_offset = fetch_offset;
  f->last_fetch_leader_log_end_offset = leader_end;
  f->last_fetch_time = now;
  f->last_sent_high_watermark = high_watermark;  // Replica.updateLastSentHighWatermark
}

std::optional<std::vector<BrokerId>> Partition::isr_to_expand(BrokerId follower_id) const {
  if (role_ != ReplicaRole::leader || isr_update_in_flight) return std::nullopt;
  const auto it =
      std::find_if(followers_.begin(), followers_.end(),
                   [follower_id](const FollowerState& f) { return f.broker == follower_id; });
  if (it == followers_.end() || it->in_isr) return std::nullopt;
  // Partition.maybeExpandIsr / isFollowerInSync.
  if (it->log_end_offset < high_watermark_ || it->log_end_offset < leader_epoch_start_offset_) {
    return std::nullopt;
  }
  std::vector<BrokerId> isr = isr_;
  isr.push_back(follower_id);
  return isr;
}

std::optional<std::vector<BrokerId>> Partition::isr_to_shrink(Instant now, Duration lag_max) const {
  if (role_ != ReplicaRole::leader || isr_update_in_flight) return std::nullopt;
  const Offset leader_end = log_.log_end_offset();
  std::vector<BrokerId> isr;
  for (const BrokerId member : isr_) {
    bool out_of_sync = false;
    if (member != local_broker_) {
      // Partition.isFollowerOutOfSync: behind our log end AND not caught up for too long.
      const auto it = std::find_if(followers_.begin(), followers_.end(),
                                   [member](const FollowerState& f) { return f.broker == member; });
      out_of_sync = it != followers_.end() && it->log_end_offset != leader_end &&
                    now - it->last_caught_up_time > lag_max;
    }
    if (!out_of_sync) isr.push_back(member);
  }
  if (isr.size() == isr_.size()) return std::nullopt;
  return isr;
}

bool Partition::apply_isr_change(std::vector<BrokerId> isr, ZkVersion zk_version, Instant now,
                                 Duration lag_max) {
  assert(role_ == ReplicaRole::leader);
  isr_ = std::move(isr);
  mark_isr_members();
  zk_version_ = zk_version;
  isr_update_in_flight = false;
  return maybe_increment_high_watermark(now, lag_max);
}

bool Partition::maybe_increment_high_watermark(Instant now, Duration lag_max) {
  if (role_ != ReplicaRole::leader) return false;
  Offset candidate = log_.log_end_offset();
  for (const FollowerState& f : followers_) {
    if (f.in_isr || now - f.last_caught_up_time <= lag_max) {
      candidate = std::min(candidate, f.log_end_offset);
    }
  }
  if (candidate <= high_watermark_) return false;
  high_watermark_ = candidate;
  return true;
}

void Partition::update_follower_high_watermark(Offset leader_high_watermark) {
  // ReplicaFetcherThread.processPartitionData: "val followerHighWatermark =
  // replica.logEndOffset.min(partitionData.highWatermark)".
  high_watermark_ = std::min(log_.log_end_offset(), leader_high_watermark);
}

void Partition::restore_high_watermark(Offset checkpointed) {
  high_watermark_ = std::min(checkpointed, log_.log_end_offset());
}

bool Partition::every_replica_has(Offset required_offset) const {
  if (log_.log_end_offset() < required_offset) return false;
  return std::all_of(
      followers_.begin(), followers_.end(),
      [required_offset](const FollowerState& f) { return f.log_end_offset >= required_offset; });
}

}  // namespace kafkasim
