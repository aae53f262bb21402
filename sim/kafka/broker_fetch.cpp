// Fetch requests on the leader, from followers and consumers (KafkaApis.handleFetchRequest,
// ReplicaManager.fetchMessages / readFromLocalLog, DelayedFetch.scala), OffsetsForLeaderEpoch
// (KIP-101) and Metadata.
#include <algorithm>

#include "kafkasim/kafka/broker.h"

namespace kafkasim {

namespace {

/// Partition.checkCurrentLeaderEpoch (KIP-320): a fetcher that knows an older epoch is fenced;
/// one that knows a newer epoch is ahead of this broker.
Errors check_leader_epoch(const Partition& partition, LeaderEpoch requested) {
  if (requested == kNoLeaderEpoch) return Errors::none;
  if (requested < partition.leader_epoch()) return Errors::fenced_leader_epoch;
  if (requested > partition.leader_epoch()) return Errors::unknown_leader_epoch;
  return Errors::none;
}

}  // namespace

void Broker::handle_fetch(NodeId from, const FetchRequest& request) {
  // ReplicaManager.fetchMessages (2.4): readFromLocalLog first, then, for a follower,
  // updateFollowerFetchState with what that read saw (Partition.readRecords snapshots the high
  // watermark and log end before reading). So the high watermark a follower's fetch moves is
  // not in that fetch's answer; KIP-392 sends it on soon after (below, and DelayedFetch).
  std::uint64_t bytes = 0;
  FetchResponse response = read_for_fetch(request, bytes);
  bool follower_needs_high_watermark = false;
  if (request.replica_id != kNoBroker) {
    for (std::size_t i = 0; i < request.partitions.size(); ++i) {
      const FetchPartition& fp = request.partitions[i];
      const FetchPartitionData& data = response.partitions[i];
      // "Skipping update of fetch state for follower ... since the log read returned error".
      if (data.error != Errors::none) continue;
      HostedPartition* h = hosted(fp.tp);
      // readFromLocalLog: followerNeedsHwUpdate = lastSentHighWatermark < the HW it read.
      if (const FollowerState* f = h->partition.follower_state(request.replica_id);
          f != nullptr && f->last_sent_high_watermark < data.high_watermark) {
        follower_needs_high_watermark = true;
      }
      on_follower_fetch(*h, request.replica_id, fp.fetch_offset, data.log_end_offset,
                        data.high_watermark);
    }
  }
  const bool any_error =
      std::any_of(response.partitions.begin(), response.partitions.end(),
                  [](const FetchPartitionData& p) { return p.error != Errors::none; });
  // "respond immediately if ... any of the requested partitions need HW update".
  if (bytes >= static_cast<std::uint64_t>(request.min_bytes) || request.max_wait <= Duration{0} ||
      any_error || follower_needs_high_watermark) {
    send(from, std::move(response));
    return;
  }
  // Nothing to send yet: park the fetch until it can complete or max_wait passes (DelayedFetch;
  // tryCompleteElseWatch tries once more first: this very fetch may have moved the HW).
  auto delayed = std::make_unique<DelayedFetch>();
  delayed->client = from;
  delayed->request = request;
  if (delayed_fetch_can_complete(*delayed, bytes)) {
    send(from, read_for_fetch(request, bytes));
    return;
  }
  const std::uint64_t id = ++next_delayed_id_;
  delayed->timeout = set_timer(request.max_wait, BrokerTimer::fetch_wait, id);
  for (const FetchPartition& fp : request.partitions) {
    if (HostedPartition* h = hosted(fp.tp)) h->waiting_fetches.push_back(id);
  }
  delayed_fetches_.emplace(id, std::move(delayed));
}

bool Broker::delayed_fetch_can_complete(const DelayedFetch& delayed, std::uint64_t bytes) {
  // DelayedFetch.tryComplete, case G: enough bytes to answer.
  if (bytes >= static_cast<std::uint64_t>(delayed.request.min_bytes)) return true;
  // Case H (KIP-392): a follower's fetch completes once the leader's high watermark has passed
  // the one that follower was last sent (Replica.lastSentHighWatermark), so the follower learns
  // it without waiting out replica.fetch.wait.max.ms.
  if (delayed.request.replica_id == kNoBroker) return false;
  for (const FetchPartition& fp : delayed.request.partitions) {
    const HostedPartition* h = hosted(fp.tp);
    if (h == nullptr || !h->partition.is_leader()) continue;
    const FollowerState* f = h->partition.follower_state(delayed.request.replica_id);
    if (f != nullptr && h->partition.high_watermark() > f->last_sent_high_watermark) return true;
  }
  return false;
}

FetchResponse Broker::read_for_fetch(const FetchRequest& request, std::uint64_t& bytes) {
  FetchResponse response;
  response.correlation_id = request.correlation_id;
  response.partitions.reserve(request.partitions.size());
  const bool from_follower = request.replica_id != kNoBroker;
  for (const FetchPartition& fp : request.partitions) {
    FetchPartitionData data;
    data.tp = fp.tp;
    HostedPartition* h = hosted(fp.tp);
    if (h == nullptr || !h->partition.is_leader()) {
      data.error = Errors::not_leader_for_partition;
    } else if (const Errors fenced = check_leader_epoch(h->partition, fp.current_leader_epoch);
               fenced != Errors::none) {
      data.error = fenced;
    } else {
      const Partition& partition = h->partition;
      data.high_watermark = partition.high_watermark();
      data.log_end_offset = partition.log().log_end_offset();
      if (fp.fetch_offset > data.log_end_offset) {
        data.error = Errors::offset_out_of_range;
      } else {
        const auto max_bytes = static_cast<std::uint64_t>(
            from_follower ? env_.cluster.broker_config.replica_fetch_max_bytes
                          : request.partition_max_bytes);
        partition.log().read(fp.fetch_offset, max_bytes, data.batches);
        if (!from_follower) {
          // A consumer reads only below the high watermark (FetchIsolation.HighWatermark).
          std::erase_if(data.batches, [&](const RecordBatch& b) {
            return b.next_offset() > data.high_watermark;
          });
        }
        for (const RecordBatch& b : data.batches)
          bytes += b.size_bytes;
      }
    }
    response.partitions.push_back(std::move(data));
  }
  return response;
}

void Broker::try_complete_fetches(TopicPartition tp) {
  HostedPartition* h = hosted(tp);
  if (h == nullptr || h->waiting_fetches.empty()) return;
  const std::vector<std::uint64_t> waiting = std::move(h->waiting_fetches);
  h->waiting_fetches.clear();
  for (const std::uint64_t id : waiting) {
    const auto it = delayed_fetches_.find(id);
    if (it == delayed_fetches_.end()) continue;
    // DelayedFetch.tryComplete reads each partition's offsets under its leaderIsrUpdateLock: a
    // fetch on a partition an ISR write holds stays parked (tried again when the write ends).
    if (locked_by_isr_write(it->second->request)) {
      h->waiting_fetches.push_back(id);
      continue;
    }
    std::uint64_t bytes = 0;
    FetchResponse response = read_for_fetch(it->second->request, bytes);
    if (!delayed_fetch_can_complete(*it->second, bytes)) {
      h->waiting_fetches.push_back(id);
      continue;
    }
    // DelayedFetch.onComplete: answer with a fresh read (readFromLocalLog only: the follower's
    // state, lastSentHighWatermark included, is not updated).
    for (const FetchPartition& fp : it->second->request.partitions) {
      if (HostedPartition* other = hosted(fp.tp); other != nullptr && other != h) {
        std::erase(other->waiting_fetches, id);
      }
    }
    env_.engine.cancel(it->second->timeout);
    send(it->second->client, std::move(response));
    delayed_fetches_.erase(it);
  }
}

void Broker::on_fetch_wait(std::uint64_t id) {
  const auto it = delayed_fetches_.find(id);
  if (it == delayed_fetches_.end()) return;
  // The expiry's read (DelayedFetch.onComplete → readFromLocalLog) waits for a partition's
  // leaderIsrUpdateLock if an ISR write holds it.
  for (const FetchPartition& fp : it->second->request.partitions) {
    if (isr_writes_in_flight_ == 0) break;
    HostedPartition* h = hosted(fp.tp);
    if (h != nullptr && h->isr_write) {
      h->isr_write->expired_fetches.push_back(id);
      return;
    }
  }
  for (const FetchPartition& fp : it->second->request.partitions) {
    if (HostedPartition* h = hosted(fp.tp)) std::erase(h->waiting_fetches, id);
  }
  std::uint64_t bytes = 0;
  send(it->second->client, read_for_fetch(it->second->request, bytes));
  delayed_fetches_.erase(it);
}

void Broker::handle_offsets_for_leader_epoch(NodeId from,
                                             const OffsetsForLeaderEpochRequest& request) {
  // KafkaApis.handleOffsetForLeaderEpochRequest → Partition.lastOffsetForLeaderEpoch.
  OffsetsForLeaderEpochResponse response;
  response.correlation_id = request.correlation_id;
  for (const OffsetForLeaderPartition& p : request.partitions) {
    EpochEndOffset answer;
    answer.tp = p.tp;
    HostedPartition* h = hosted(p.tp);
    if (h == nullptr || !h->partition.is_leader()) {
      answer.error = Errors::not_leader_for_partition;
    } else if (const Errors fenced = check_leader_epoch(h->partition, p.current_leader_epoch);
               fenced != Errors::none) {
      answer.error = fenced;
    } else {
      const PartitionLog& log = h->partition.log();
      std::tie(answer.leader_epoch, answer.end_offset) =
          log.epochs().end_offset_for(p.leader_epoch, log.log_end_offset());
    }
    response.partitions.push_back(answer);
  }
  send(from, std::move(response));
}

void Broker::handle_list_offsets(NodeId from, const ListOffsetsRequest& request) {
  // KafkaApis.handleListOffsetRequestV1AndAbove → Partition.fetchOffsetForTimestamp: only the
  // leader answers; for a consumer (replica_id -1, isolation READ_UNCOMMITTED) "latest" is the
  // high watermark, the last offset it may fetch. "earliest" is the log start offset, 0 here:
  // the model keeps every record (no retention).
  ListOffsetsResponse response;
  response.correlation_id = request.correlation_id;
  for (const ListOffsetsPartition& p : request.partitions) {
    ListOffsetsPartitionResponse answer;
    answer.tp = p.tp;
    const HostedPartition* h = hosted(p.tp);
    if (h == nullptr || !h->partition.is_leader()) {
      answer.error = Errors::not_leader_for_partition;
    } else if (p.spec == OffsetSpec::earliest) {
      answer.offset = 0;
    } else {
      answer.offset = request.replica_id == kNoBroker ? h->partition.high_watermark()
                                                      : h->partition.log().log_end_offset();
    }
    response.partitions.push_back(answer);
  }
  send(from, std::move(response));
}

void Broker::handle_metadata(NodeId from, const MetadataRequest& request) {
  // KafkaApis.handleTopicMetadataRequest, from this broker's metadata cache.
  MetadataResponse response;
  response.correlation_id = request.correlation_id;
  response.controller = metadata_.controller();
  response.live_brokers = metadata_.live_brokers();
  for (const TopicPartition& tp : env_.layout.all_partitions()) {
    response.partitions.push_back(metadata_.partition_metadata(tp));
  }
  send(from, std::move(response));
}

}  // namespace kafkasim
