#include "kafkasim/kafka/replica_fetcher.h"

#include <algorithm>
#include <cassert>

#include "kafkasim/kafka/broker.h"

namespace kafkasim {

ReplicaFetcher::ReplicaFetcher(Broker& broker, BrokerId leader)
    : broker_(broker),
      leader_(leader),
      // One slot per partition of the cluster: the broker's own table by partition index.
      states_(broker.hosted_by_index_.size()),
      members_(states_.size()),
      asked_(states_.size()) {}

ReplicaFetcher::~ReplicaFetcher() {
  broker_.engine().cancel(request_timeout_);
  broker_.engine().cancel(wake_);
}

void ReplicaFetcher::set_timer(Duration delay, std::uint8_t kind) {
  TimerId id = broker_.set_timer(delay, BrokerTimer::fetcher, kind,
                                 static_cast<std::uint32_t>(leader_.value()));
  if (kind == kRequestTimeout) {
    request_timeout_ = id;
  } else {
    wake_ = id;
  }
}

std::size_t ReplicaFetcher::slot(TopicPartition tp) const {
  const std::size_t index = broker_.partition_index(tp);  // the layout's, inline
  assert(index < states_.size());
  return index;
}

ReplicaFetcher::PartitionState* ReplicaFetcher::state_of(TopicPartition tp) {
  const std::size_t index = slot(tp);
  return members_.contains(index) ? &states_[index] : nullptr;
}

const ReplicaFetcher::PartitionState* ReplicaFetcher::state_of(TopicPartition tp) const {
  const std::size_t index = slot(tp);
  return members_.contains(index) ? &states_[index] : nullptr;
}

const ReplicaFetcher::Asked* ReplicaFetcher::asked_for(TopicPartition tp) const {
  const Asked& asked = asked_[slot(tp)];
  return asked.request == asked_request_ ? &asked : nullptr;
}

void ReplicaFetcher::add_partition(TopicPartition tp, bool truncate_first) {
  const Partition* partition = broker_.partition(tp);
  assert(partition != nullptr && !partition->is_leader());
  const std::size_t index = slot(tp);
  members_.insert(index);
  states_[index] = PartitionState{tp, truncate_first, Instant::start(), partition->leader_epoch()};
  maybe_send();
}

void ReplicaFetcher::remove_partition(TopicPartition tp) {
  members_.erase(slot(tp));
}

void ReplicaFetcher::maybe_send() {
  if (in_flight_ || waiting_ || members_.empty()) return;
  // AbstractFetcherThread.doWork: maybeTruncate(), then maybeFetch().
  if (send_epoch_request() || send_fetch()) return;
  // Nothing is ready: every partition, truncating or fetching, backs off after an error.
  // maybeFetch then waits on partitionMapCond for replica.fetch.backoff.ms and doWork runs
  // again, so a partition whose OffsetsForLeaderEpoch failed is asked again; wake when the
  // first partition may go.
  Instant earliest_delayed = Instant::never();
  for (const std::uint32_t index : members_) {
    earliest_delayed = std::min(earliest_delayed, states_[index].delayed_until);
  }
  assert(earliest_delayed > broker_.now());  // else something above was ready to send
  waiting_ = true;
  set_timer(earliest_delayed - broker_.now(), kBackoff);
}

void ReplicaFetcher::request_sent(CorrelationId id) {
  assert(!in_flight_);  // one request at a time per fetcher (AbstractFetcherThread.doWork)
  in_flight_ = true;
  in_flight_id_ = id;
  // The fetcher's NetworkClient times a request out after replica.socket.timeout.ms. Like
  // NetworkClient.handleTimedOutRequests, which looks at the requests' ages when it polls, one
  // timer serves every request: an answer does not cancel it, and when it fires for a request
  // already answered it is set again for the one in flight (on_timer). A fetcher sends one
  // request at a time, each answered within replica.fetch.wait.max.ms, so this sets one timer
  // per replica.socket.timeout.ms instead of one per fetch (they were 12% of the cluster
  // benchmark's timers, every one of them cancelled).
  in_flight_deadline_ = broker_.now() + broker_.cluster().broker_config.replica_socket_timeout;
  if (!broker_.engine().is_pending(request_timeout_)) {
    set_timer(in_flight_deadline_ - broker_.now(), kRequestTimeout);
  }
}

bool ReplicaFetcher::request_answered(CorrelationId id) {
  if (!in_flight_ || id != in_flight_id_) return false;  // a stale answer
  in_flight_ = false;
  return true;
}

bool ReplicaFetcher::still_fetching(const FetchPartitionData& data) const {
  // AbstractFetcherThread.processFetchRequest: "It's possible that a partition is removed and
  // re-added or truncated when there is a pending fetch request. In this case, we only want to
  // process the fetch response if the partition state is ready for fetch and the current offset
  // is the same as the offset requested."
  const PartitionState* state = state_of(data.tp);
  const Asked* asked = asked_for(data.tp);
  if (state == nullptr || asked == nullptr) return false;
  return !state->truncating && state->delayed_until <= broker_.now() &&
         state->leader_epoch == asked->leader_epoch &&
         broker_.partition(data.tp)->log().log_end_offset() == asked->fetch_offset;
}

bool ReplicaFetcher::still_truncating(const EpochEndOffset& answer) const {
  // AbstractFetcherThread.truncateToEpochEndOffsets: "Check no leadership and no leader epoch
  // changes happened whilst we were unlocked, fetching epochs" (the epoch in the request must
  // still be the partition's currentLeaderEpoch).
  const PartitionState* state = state_of(answer.tp);
  const Asked* asked = asked_for(answer.tp);
  if (state == nullptr || asked == nullptr) return false;
  return state->truncating && state->leader_epoch == asked->leader_epoch;
}

bool ReplicaFetcher::send_epoch_request() {
  const bool any_ready = std::any_of(members_.begin(), members_.end(), [&](std::uint32_t index) {
    return states_[index].truncating && states_[index].delayed_until <= broker_.now();
  });
  if (!any_ready) return false;
  OffsetsForLeaderEpochRequest request;
  request.correlation_id = broker_.next_correlation_id();
  clear_asked();
  for (const std::uint32_t index : members_) {
    PartitionState& state = states_[index];
    if (!state.truncating || state.delayed_until > broker_.now()) continue;
    const TopicPartition tp = state.tp;
    const Partition* partition = broker_.partition(tp);
    const auto latest = partition->log().epochs().latest();
    if (!latest) {
      state.truncating = false;  // an empty log has nothing to truncate
      continue;
    }
    request.partitions.push_back({tp, latest->epoch, state.leader_epoch});
    asked_[index] = Asked{asked_request_, state.leader_epoch};
  }
  if (request.partitions.empty()) return false;
  request_sent(request.correlation_id);
  broker_.send_to_broker(leader_, std::move(request));
  return true;
}

bool ReplicaFetcher::send_fetch() {
  const BrokerConfig& config = broker_.cluster().broker_config;
  FetchRequest request;
  request.correlation_id = broker_.next_correlation_id();
  clear_asked();
  request.replica_id = broker_.id();
  request.max_wait = config.replica_fetch_wait_max;
  request.min_bytes = config.replica_fetch_min_bytes;
  request.max_bytes = config.replica_fetch_max_bytes;
  request.partition_max_bytes = config.replica_fetch_max_bytes;
  request.partitions.reserve(members_.size());
  for (const std::uint32_t index : members_) {
    const PartitionState& state = states_[index];
    if (state.truncating || state.delayed_until > broker_.now()) continue;
    const Offset fetch_offset = broker_.partition(state.tp)->log().log_end_offset();
    request.partitions.push_back({state.tp, fetch_offset, state.leader_epoch});
    asked_[index] = Asked{asked_request_, state.leader_epoch, fetch_offset};
  }
  if (request.partitions.empty()) return false;
  request_sent(request.correlation_id);
  broker_.send_to_broker(leader_, std::move(request));
  return true;
}

void ReplicaFetcher::delay_partition(TopicPartition tp) {
  // AbstractFetcherThread.delayPartitions(replica.fetch.backoff.ms).
  if (PartitionState* state = state_of(tp)) {
    state->delayed_until = broker_.now() + broker_.cluster().broker_config.replica_fetch_backoff;
  }
}

void ReplicaFetcher::back_off() {
  waiting_ = true;
  set_timer(broker_.cluster().broker_config.replica_fetch_backoff, kBackoff);
}

void ReplicaFetcher::on_response(FetchResponse&& response) {
  if (!request_answered(response.correlation_id)) return;
  std::uint64_t appended_bytes = 0;
  bool flushed = false;
  for (const FetchPartitionData& data : response.partitions) {
    if (!still_fetching(data)) continue;  // removed, re-added or truncated while it was out
    if (data.error == Errors::none) {
      appended_bytes += append(data);
      // Log.appendAsFollower goes through Log.append, which ends with "if (unflushedMessages >=
      // config.flushInterval) flush()": log.flush.interval.messages applies to followers too.
      Partition* partition = broker_.mutable_partition(data.tp);
      if (partition->log().unflushed_messages() >=
          broker_.layout().topic(data.tp.topic).flush_messages) {
        partition->log().flush();
        flushed = true;
      }
    } else if (data.error == Errors::offset_out_of_range) {
      // ReplicaFetcherThread.handleOutOfRangeOffset: we are ahead of the leader's log end
      // (possible after unclean elections or high-watermark truncation): truncate to it.
      Partition* partition = broker_.mutable_partition(data.tp);
      const std::vector<RecordBatch> removed = partition->log().truncate_to(data.log_end_offset);
      if (!removed.empty()) {
        broker_.observer().on_truncation(broker_.id(), data.tp, removed,
                                         TruncationReason::out_of_range, broker_.now());
      }
    } else {
      delay_partition(data.tp);
    }
  }
  // A slow disk makes the follower's appends take longer before it can fetch again.
  Duration extra = appended_bytes > 0 ? broker_.disk_extra() : Duration{0};
  if (flushed) {
    // The fetcher thread stays in Log.flush for one fsync before it fetches again.
    extra += broker_.cluster().flush_time_ms.sample_ms(broker_.rng());
  }
  if (extra > Duration{0}) {
    waiting_ = true;
    set_timer(extra, kAppendDone);
    return;
  }
  maybe_send();
}

std::uint64_t ReplicaFetcher::append(const FetchPartitionData& data) {
  Partition* partition = broker_.mutable_partition(data.tp);
  std::uint64_t bytes = 0;
  for (RecordBatch batch : data.batches) {
    const Offset end = partition->log().log_end_offset();
    if (batch.next_offset() <= end) continue;  // already have it (a re-sent read)
    if (batch.base_offset > end) break;        // a gap: cannot happen with whole-batch reads
    if (batch.base_offset < end) {
      // Our log ends inside this batch: a truncation cut one of our batches where the leader's
      // does not end. Copy the records past our end, so the logs agree record by record.
      const auto skip = static_cast<std::uint32_t>(end - batch.base_offset);
      batch.size_bytes -= static_cast<std::uint32_t>(static_cast<std::uint64_t>(batch.size_bytes) *
                                                     skip / batch.record_count);
      batch.base_offset = end;
      batch.first_sequence += skip;
      batch.record_count -= skip;
    }
    partition->log().append_as_follower(batch, broker_.now());
    bytes += batch.size_bytes;
  }
  partition->update_follower_high_watermark(data.high_watermark);
  return bytes;
}

void ReplicaFetcher::on_response(OffsetsForLeaderEpochResponse&& response) {
  if (!request_answered(response.correlation_id)) return;
  for (const EpochEndOffset& answer : response.partitions) {
    if (!still_truncating(answer)) continue;  // removed or re-added while it was out
    if (answer.error != Errors::none) {
      delay_partition(answer.tp);
      continue;
    }
    truncate(answer.tp, answer);
  }
  maybe_send();
}

void ReplicaFetcher::truncate(TopicPartition tp, const EpochEndOffset& answer) {
  // AbstractFetcherThread.getOffsetTruncationState (KIP-101, KIP-279).
  Partition* partition = broker_.mutable_partition(tp);
  assert(partition != nullptr && !partition->is_leader());
  PartitionLog& log = partition->log();
  Offset target;
  bool done = true;
  if (answer.end_offset < 0) {
    // UNDEFINED_EPOCH_OFFSET: the leader cannot say; fall back to our high watermark.
    target = partition->high_watermark();
  } else {
    const auto [follower_epoch, follower_end] =
        log.epochs().end_offset_for(answer.leader_epoch, log.log_end_offset());
    if (follower_end < 0) {
      target = std::min(answer.end_offset, log.log_end_offset());
    } else if (follower_epoch != answer.leader_epoch) {
      // We never had the leader's epoch: cut back to where our version of it ends and ask again.
      target = follower_end;
      done = false;
    } else {
      target = std::min(answer.end_offset, follower_end);
    }
  }
  const std::vector<RecordBatch> removed = log.truncate_to(target);
  if (!removed.empty()) {
    broker_.observer().on_truncation(broker_.id(), tp, removed, TruncationReason::leader_epoch,
                                     broker_.now());
  }
  PartitionState* state = state_of(tp);
  assert(state != nullptr);  // still_truncating found it, and nothing above removes it
  state->truncating = !done;
}

void ReplicaFetcher::on_disconnected() {
  if (!in_flight_) return;
  in_flight_ = false;
  broker_.engine().cancel(request_timeout_);
  back_off();
}

void ReplicaFetcher::on_timer(std::uint8_t kind) {
  if (kind == kRequestTimeout) {
    if (!in_flight_) return;
    if (in_flight_deadline_ > broker_.now()) {  // set for a request answered since
      set_timer(in_flight_deadline_ - broker_.now(), kRequestTimeout);
      return;
    }
    // NetworkClient closes the connection of a request that timed out.
    in_flight_ = false;
    broker_.env_.network.disconnect(broker_.node(), broker_.layout().node_of(leader_));
    back_off();
    return;
  }
  waiting_ = false;
  maybe_send();
}

}  // namespace kafkasim
