// A member's requests to brokers: Fetch to the leaders, ListOffsets for auto.offset.reset,
// Metadata to find the leaders (clients/.../consumer/internals/Fetcher.java sendFetches,
// resetOffsetsIfNeeded; clients/NetworkClient.java for time-outs and disconnections; Kafka 2.4).
// The old consumer did the same with its ConsumerFetcherThreads and LeaderFinderThread
// (ConsumerFetcherManager.scala): a partition whose fetch fails is handed back to the leader
// finder, which asks for metadata and restarts its fetch at the new leader.
#include <algorithm>

#include "kafkasim/consumer/consumer.h"

namespace kafkasim {

CorrelationId Consumer::add_in_flight(std::size_t broker, RequestKind kind,
                                      std::optional<Duration> timeout) {
  const std::uint32_t id = next_correlation_id_++;
  InFlight request{broker, kind, {}, false};
  // request.timeout.ms: an unanswered request closes the connection (NetworkClient).
  request.timeout =
      set_timer(timeout.value_or(spec_.config.request_timeout), TimerKind::request_timeout, id);
  in_flight_.emplace(id, request);
  return CorrelationId(id);
}

void Consumer::stop_fetching() {
  // Answers to fetches sent before are ignored when they come; the broker's parked fetch
  // simply expires. New fetches may go out at once.
  for (auto it = in_flight_.begin(); it != in_flight_.end();) {
    // Only the fetcher's requests: metadata and the group protocol's go on.
    if (it->second.kind != RequestKind::fetch && it->second.kind != RequestKind::list_offsets) {
      ++it;
      continue;
    }
    engine_.cancel(it->second.timeout);
    it = in_flight_.erase(it);
  }
  std::fill(fetch_in_flight_.begin(), fetch_in_flight_.end(), false);
  std::fill(list_offsets_in_flight_.begin(), list_offsets_in_flight_.end(), false);
  for (OwnedPartition& p : owned_) {
    p.buffered.clear();
    p.reset_in_flight = false;
  }
}

void Consumer::send_fetches() {
  if (rebalancing_ || !is_up()) return;
  const std::size_t brokers = placement_.brokers.size();
  std::vector<FetchRequest> requests(brokers);
  bool leaderless = false;
  Instant backing_off = Instant::never();
  for (OwnedPartition& p : owned_) {
    const std::int32_t leader = metadata_.leader(p.partition);
    if (leader == kNoLeader) {
      leaderless = true;
      continue;
    }
    const auto b = static_cast<std::size_t>(leader);
    if (engine_.now() < reconnect_after_[b]) {
      backing_off = std::min(backing_off, reconnect_after_[b]);
      continue;
    }
    if (p.position < 0) {
      if (!p.reset_in_flight && !list_offsets_in_flight_[b]) send_list_offsets(b);
      continue;
    }
    // Fetcher.fetchablePartitions: nothing buffered, no fetch outstanding to that node.
    if (!p.buffered.empty() || fetch_in_flight_[b]) continue;
    FetchPartition fp;
    fp.tp = TopicPartition{placement_.topic, p.partition};
    fp.fetch_offset = p.position;
    requests[b].partitions.push_back(fp);
  }
  if (leaderless) {
    metadata_.request_update();
    maybe_update_metadata();
  }
  if (backing_off != Instant::never()) {
    engine_.set_timer(backing_off, actor(), timer_cookie(TimerKind::reconnect));
  }
  for (std::size_t b = 0; b < brokers; ++b) {
    FetchRequest& request = requests[b];
    if (request.partitions.empty()) continue;
    request.correlation_id = add_in_flight(b, RequestKind::fetch);
    request.replica_id = kNoBroker;
    request.max_wait = spec_.config.fetch_max_wait;
    request.min_bytes = spec_.config.fetch_min_bytes;
    request.max_bytes = spec_.config.fetch_max_bytes;
    request.partition_max_bytes = spec_.config.max_partition_fetch_bytes;
    fetch_in_flight_[b] = true;
    ++counters_.fetch_requests;
    Message message(std::move(request));
    const std::uint32_t bytes = wire_size(message);
    transport_.send(placement_.node, placement_.brokers[b].node, std::move(message), bytes);
  }
}

void Consumer::send_list_offsets(std::size_t broker) {
  // resetOffsetsIfNeeded → ListOffsets to the leader of every partition that needs a position.
  ListOffsetsRequest request;
  const OffsetSpec spec = spec_.config.auto_offset_reset == OffsetReset::earliest
                              ? OffsetSpec::earliest
                              : OffsetSpec::latest;
  for (OwnedPartition& p : owned_) {
    if (p.position >= 0 || p.reset_in_flight) continue;
    if (metadata_.leader(p.partition) != static_cast<std::int32_t>(broker)) continue;
    // auto.offset.reset=none: Kafka throws NoOffsetForPartitionException to the application;
    // the model leaves the partition unread.
    if (spec_.config.auto_offset_reset == OffsetReset::none) continue;
    request.partitions.push_back({TopicPartition{placement_.topic, p.partition}, spec});
    p.reset_in_flight = true;
  }
  if (request.partitions.empty()) return;
  request.correlation_id = add_in_flight(broker, RequestKind::list_offsets);
  list_offsets_in_flight_[broker] = true;
  Message message(std::move(request));
  const std::uint32_t bytes = wire_size(message);
  transport_.send(placement_.node, placement_.brokers[broker].node, std::move(message), bytes);
}

namespace {

/// Errors that say the metadata is stale (Fetcher.handleFetchResponse / InvalidMetadataException).
bool stale_metadata(Errors error) {
  return error == Errors::not_leader_for_partition || error == Errors::fenced_leader_epoch ||
         error == Errors::unknown_leader_epoch || error == Errors::unknown_topic_or_partition ||
         error == Errors::leader_not_available;
}

}  // namespace

void Consumer::on_fetch_response(const FetchResponse& response) {
  const auto it = in_flight_.find(response.correlation_id.value());
  if (it == in_flight_.end()) return;  // given up: time-out, disconnection or rebalance
  fetch_in_flight_[it->second.broker] = false;
  engine_.cancel(it->second.timeout);
  in_flight_.erase(it);
  for (const FetchPartitionData& data : response.partitions) {
    OwnedPartition* p = owned(data.tp.partition);
    if (p == nullptr || p->position < 0) continue;
    if (stale_metadata(data.error)) {
      metadata_.request_update();
      continue;
    }
    if (data.error == Errors::offset_out_of_range) {
      p->position = -1;  // auto.offset.reset decides where to go on
      continue;
    }
    for (const RecordBatch& batch : data.batches) {
      // A batch may begin before the position (a fetch returns whole batches).
      if (batch.next_offset() <= p->position) continue;
      p->buffered.push_back(batch);
    }
    if (!p->buffered.empty()) p->position = p->buffered.back().next_offset();
  }
  maybe_update_metadata();
  // A poll() blocked for data wakes up; a busy application sends its next fetches when it
  // polls again (KafkaConsumer.poll → sendFetches).
  if (idle_) poll();
}

void Consumer::on_list_offsets_response(const ListOffsetsResponse& response) {
  const auto it = in_flight_.find(response.correlation_id.value());
  if (it == in_flight_.end()) return;
  list_offsets_in_flight_[it->second.broker] = false;
  engine_.cancel(it->second.timeout);
  in_flight_.erase(it);
  for (const ListOffsetsPartitionResponse& answer : response.partitions) {
    OwnedPartition* p = owned(answer.tp.partition);
    if (p == nullptr || !p->reset_in_flight) continue;
    p->reset_in_flight = false;
    if (answer.error != Errors::none) {
      metadata_.request_update();
      continue;
    }
    p->position = answer.offset;
    p->consumed = answer.offset;
  }
  maybe_update_metadata();
  if (idle_) poll();
}

void Consumer::maybe_update_metadata() {
  if (metadata_in_flight_ || !is_up()) return;
  const Instant now = engine_.now();
  const Instant due = metadata_.next_update_at();
  if (due > now) {
    engine_.cancel(metadata_timer_);
    metadata_timer_ = engine_.set_timer(due, actor(), timer_cookie(TimerKind::metadata));
    return;
  }
  // The bootstrap brokers in turn: a dead one answers with a disconnection or a time-out, and
  // the next request goes to the next broker.
  const std::size_t broker = bootstrap_next_++ % placement_.brokers.size();
  const CorrelationId id = add_in_flight(broker, RequestKind::metadata);
  metadata_.on_request_sent(now);
  metadata_in_flight_ = true;
  ++counters_.metadata_requests;
  Message message(MetadataRequest{id});
  const std::uint32_t bytes = wire_size(message);
  transport_.send(placement_.node, placement_.brokers[broker].node, std::move(message), bytes);
}

void Consumer::on_metadata_response(const MetadataResponse& response) {
  const auto it = in_flight_.find(response.correlation_id.value());
  if (it == in_flight_.end()) return;
  engine_.cancel(it->second.timeout);
  in_flight_.erase(it);
  metadata_in_flight_ = false;
  metadata_.update(response, engine_.now());
  maybe_update_metadata();  // the next periodic refresh
  if (idle_) poll();
}

void Consumer::on_request_timeout(std::uint32_t correlation_id) {
  const auto it = in_flight_.find(correlation_id);
  if (it == in_flight_.end()) return;
  const std::size_t broker = it->second.broker;
  transport_.disconnect(placement_.node, placement_.brokers[broker].node);
  fail_requests_to(broker);
}

void Consumer::fail_requests_to(std::size_t broker) {
  // NetworkClient.processDisconnection: every request on the connection fails; the consumer
  // asks for metadata (the leader may have moved) and fetches again.
  bool any = false;
  bool group_request = false;
  for (auto it = in_flight_.begin(); it != in_flight_.end();) {
    if (it->second.broker != broker) {
      ++it;
      continue;
    }
    any = true;
    switch (it->second.kind) {
      case RequestKind::metadata:
        metadata_in_flight_ = false;
        metadata_.on_request_failed();
        break;
      case RequestKind::find_coordinator:
        find_in_flight_ = false;
        set_timer(kConsumerRetryBackoff, TimerKind::coordinator_retry);
        break;
      case RequestKind::fetch:
      case RequestKind::list_offsets:
        break;
      default:
        group_request = true;
        break;
    }
    engine_.cancel(it->second.timeout);
    it = in_flight_.erase(it);
  }
  if (!any) return;
  // A request to the coordinator failed: markCoordinatorUnknown (coordinator_dead also gives
  // up the coordinator's other requests and starts the join over if one was under way).
  if (group_request || static_cast<std::int32_t>(broker) == coordinator_) {
    coordinator_dead("its connection to the coordinator failed");
  }
  reconnect_after_[broker] = engine_.now() + kConsumerReconnectBackoff;
  fetch_in_flight_[broker] = false;
  list_offsets_in_flight_[broker] = false;
  for (OwnedPartition& p : owned_) {
    if (metadata_.leader(p.partition) == static_cast<std::int32_t>(broker)) {
      p.reset_in_flight = false;
    }
  }
  metadata_.request_update();
  maybe_update_metadata();
  if (idle_) poll();
}

}  // namespace kafkasim
