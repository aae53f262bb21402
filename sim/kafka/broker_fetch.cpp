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
  if (request.replica_id != kNoBroker) {
    // ReplicaManager.fetchMessages → updateFollowerLogReadResults: a follower's fetch offset is
    // its log end offset; the leader records it before reading.
    for (const FetchPartition& fp : request.partitions) {
      HostedPartition* h = hosted(fp.tp);
      if (h == nullptr || !h->partition.is_leader()) continue;
      if (check_leader_epoch(h->partition, fp.current_leader_epoch) != Errors::none) continue;
      if (fp.fetch_offset > h->partition.log().log_end_offset()) continue;
      on_follower_fetch(*h, request.replica_id, fp.fetch_offset);
    }
  }
  std::uint64_t bytes = 0;
  FetchResponse response = read_for_fetch(request, bytes);
  const bool any_error =
      std::any_of(response.partitions.begin(), response.partitions.end(),
                  [](const FetchPartitionData& p) { return p.error != Errors::none; });
  if (bytes >= static_cast<std::uint64_t>(request.min_bytes) || request.max_wait <= Duration{0} ||
      any_error) {
    send(from, std::move(response));
    return;
  }
  // Nothing to send yet: park the fetch until data arrives or max_wait passes (DelayedFetch).
  const std::uint64_t id = ++next_delayed_id_;
  auto delayed = std::make_unique<DelayedFetch>();
  delayed->client = from;
  delayed->request = request;
  delayed->timeout = set_timer(request.max_wait, BrokerTimer::fetch_wait, id);
  for (const FetchPartition& fp : request.partitions) {
    if (HostedPartition* h = hosted(fp.tp)) h->waiting_fetches.push_back(id);
  }
  delayed_fetches_.emplace(id, std::move(delayed));
}

FetchResponse Broker::read_for_fetch(const FetchRequest& request, std::uint64_t& bytes) {
  FetchResponse response;
  response.correlation_id = request.correlation_id;
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
    std::uint64_t bytes = 0;
    FetchResponse response = read_for_fetch(it->second->request, bytes);
    if (bytes < static_cast<std::uint64_t>(it->second->request.min_bytes)) {
      h->waiting_fetches.push_back(id);
      continue;
    }
    // DelayedFetch.onComplete: answer with a fresh read.
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
