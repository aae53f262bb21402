// The leader's ISR write to ZooKeeper and the partition lock it holds (Kafka 2.4:
// Partition.maybeShrinkIsr / maybeExpandIsr / shrinkIsr / expandIsr, ZkPartitionStateStore
// .updateIsr, ReplicationUtils.updateLeaderAndIsr, KafkaZkClient.conditionalUpdatePath and
// retryRequestsUntilConnected, ZooKeeperClient.waitUntilConnected).
//
// Partition.maybeShrinkIsr and maybeExpandIsr take the partition's leaderIsrUpdateLock for
// write and keep it while the conditional setData of the partition's state znode is answered.
// KafkaZkClient.retryRequestsUntilConnected re-sends a request that met CONNECTIONLOSS once
// ZooKeeperClient.waitUntilConnected returns, which is when the client is connected again or
// learns (on reconnecting) that its session expired: then it throws, the ISR stays as it was and
// the lock is released. Everything that reads or appends to the partition takes the same lock
// for read (appendRecordsToLeader, readRecords, lastOffsetForLeaderEpoch,
// fetchOffsetForTimestamp) or write (makeLeader, makeFollower), on a request handler thread
// that waits meanwhile. So a leader cut off from ZooKeeper serves its partition until it tries
// to change the ISR, then holds every request to it, each on one of num.io.threads threads,
// until it reaches ZooKeeper again.
//
// Simplified: a request waits before it starts, not at the first partition it finds locked; a
// fetch whose ISR expansion is being written is answered without waiting for the write; the
// "isr-expiration" task does not wait for one partition's write before shrinking the next.
#include <algorithm>
#include <cassert>

#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/zk_data.h"

namespace kafkasim {

namespace {

/// The partitions whose leaderIsrUpdateLock `request` takes (none for requests that take none).
template <class F>
void for_each_locked_partition(const BrokerRequest& request, F&& f) {
  std::visit(Overloaded{
                 [&](const ProduceRequest& m) {
                   for (const ProducePartitionData& p : m.partitions)
                     f(p.tp);
                 },
                 [&](const FetchRequest& m) {
                   for (const FetchPartition& p : m.partitions)
                     f(p.tp);
                 },
                 [&](const OffsetsForLeaderEpochRequest& m) {
                   for (const OffsetForLeaderPartition& p : m.partitions)
                     f(p.tp);
                 },
                 [&](const ListOffsetsRequest& m) {
                   for (const ListOffsetsPartition& p : m.partitions)
                     f(p.tp);
                 },
                 [&](const LeaderAndIsrRequest& m) {
                   for (const LeaderAndIsrPartitionState& p : m.partition_states)
                     f(p.tp);
                 },
                 [](const auto&) {},
             },
             request);
}

}  // namespace

void Broker::propose_isr(HostedPartition& h, std::vector<BrokerId> isr) {
  // Partition.updateIsr → ReplicationUtils.updateLeaderAndIsr: a conditional setData of the
  // partition's state znode with the cached zkVersion, the leader epoch unchanged. The ISR
  // changes only if ZooKeeper accepts; a version conflict ("Cached zkVersion not equal to that
  // in zookeeper, skip updating ISR") or an expired session leaves the old ISR in force.
  Partition& partition = h.partition;
  // Only a leader changes its ISR, one change at a time, and never leaves itself out of it.
  assert(partition.is_leader() && !partition.isr_update_in_flight && !h.isr_write);
  assert(std::find(isr.begin(), isr.end(), id_) != isr.end());
  partition.isr_update_in_flight = true;
  h.isr_write.emplace();
  ++isr_writes_in_flight_;
  h.isr_write->old_isr = partition.isr();
  h.isr_write->new_isr = isr;
  h.isr_write->started = now();
  const TopicPartition tp = partition.tp();
  const LeaderEpoch epoch = partition.leader_epoch();
  const LeaderIsrAndControllerEpoch state{LeaderAndIsr{id_, epoch, isr, partition.zk_version()},
                                          partition.controller_epoch()};
  zk_.set_data(
      TopicPartitionStateZNode::path({env_.layout.topic(tp.topic).name, tp.partition}),
      TopicPartitionStateZNode::encode(state), partition.zk_version(),
      [this, tp, epoch](const ZkResult& result) { on_isr_write_result(tp, epoch, result); });
}

void Broker::on_isr_write_result(TopicPartition tp, LeaderEpoch epoch, const ZkResult& result) {
  HostedPartition* h = hosted(tp);
  // Only a crash ends a write early (and a restart forgets the old process's callbacks).
  if (h == nullptr || !h->isr_write) return;
  const bool applied =
      result.code == ZkCode::ok && h->partition.is_leader() && h->partition.leader_epoch() == epoch;
  bool hw_moved = false;
  if (!applied && h->partition.is_leader() && result.code != ZkCode::session_expired) {
    // maybeShrinkIsr and updateFollowerFetchState call maybeIncrementLeaderHW once the write
    // returns, taken or not (BADVERSION); an expired session throws past it.
    hw_moved = h->partition.maybe_increment_high_watermark(
        now(), env_.cluster.broker_config.replica_lag_time_max);
  }
  if (applied) {
    std::vector<BrokerId> isr = h->isr_write->new_isr;
    const std::vector<BrokerId> old_isr = h->partition.isr();
    hw_moved = h->partition.apply_isr_change(isr, result.stat.version, now(),
                                             env_.cluster.broker_config.replica_lag_time_max);
    env_.observer.on_isr_change(id_, tp, old_isr, isr, now());
    isr_changes_.insert(tp);
    last_isr_change_ = now();
  }
  // The lock is released before the delayed operations are tried (tryCompleteDelayedRequests
  // runs after inWriteLock returns).
  if (h->isr_write->stall_reported) {
    env_.observer.on_isr_write_done(id_, tp, applied, std::string(zk_code_name(result.code)),
                                    h->isr_write->blocked.size(), h->isr_write->first_blocked,
                                    now());
  }
  // Moved out as a plain struct: GCC 12 at -O3 wrongly warns that a moved-from optional's
  // vectors "may be used uninitialized" (-Werror broke the release build).
  const IsrWriteInFlight write = std::move(*h->isr_write);
  h->isr_write.reset();
  assert(isr_writes_in_flight_ > 0);
  --isr_writes_in_flight_;
  h->partition.isr_update_in_flight = false;
  if (hw_moved) {
    on_high_watermark_moved(*h);
  } else if (applied) {
    try_complete_produces(tp);
  }
  // Parked fetches skipped while the partition was locked may complete now.
  try_complete_fetches(tp);
  // The waiting handler threads go on, in the order they came; one may find the lock taken
  // again (a fetch that expands the ISR) and wait once more.
  for (const std::uint64_t ticket : write.blocked)
    finish_request(ticket);
  for (const std::uint64_t id : write.expired_fetches)
    on_fetch_wait(id);
}

bool Broker::wait_for_isr_write(std::uint64_t ticket, const BrokerRequest& request) {
  if (isr_writes_in_flight_ == 0) return false;  // no lock held: skip the partitions' walk
  HostedPartition* locked = nullptr;
  for_each_locked_partition(request, [&](TopicPartition tp) {
    if (locked != nullptr) return;
    HostedPartition* h = hosted(tp);
    if (h != nullptr && h->isr_write) locked = h;
  });
  if (locked == nullptr) return false;
  IsrWriteInFlight& write = *locked->isr_write;
  if (write.blocked.empty()) {
    write.first_blocked = now();
    if (!write.stall_reported) {
      // A write unanswered for a second while requests wait is a stall the timeline tells of.
      const Duration age = now() - write.started;
      set_timer(age >= kIsrWriteStallReportAfter ? Duration{0} : kIsrWriteStallReportAfter - age,
                BrokerTimer::isr_write_stall,
                static_cast<std::uint64_t>(env_.layout.partition_index(locked->partition.tp())));
    }
  }
  write.blocked.push_back(ticket);
  return true;
}

void Broker::on_isr_write_stall_timer(std::uint64_t partition_index) {
  for (auto& [tp, h] : partitions_) {
    if (static_cast<std::uint64_t>(env_.layout.partition_index(tp)) != partition_index) continue;
    if (!h.isr_write || h.isr_write->stall_reported || h.isr_write->blocked.empty()) return;
    if (now() - h.isr_write->started < kIsrWriteStallReportAfter) return;  // a newer write
    h.isr_write->stall_reported = true;
    env_.observer.on_isr_write_stall(id_, tp, h.isr_write->old_isr, h.isr_write->new_isr,
                                     h.isr_write->started, h.isr_write->blocked.size(), now());
    return;
  }
}

bool Broker::locked_by_isr_write(const FetchRequest& request) {
  if (isr_writes_in_flight_ == 0) return false;
  for (const FetchPartition& fp : request.partitions) {
    const HostedPartition* h = hosted(fp.tp);
    if (h != nullptr && h->isr_write) return true;
  }
  return false;
}

}  // namespace kafkasim
