// Produce requests on the leader (KafkaApis.handleProduceRequest, ReplicaManager.appendRecords,
// Partition.appendRecordsToLeader, DelayedProduce.scala; Kafka 2.4).
//
//   acks=0    append; no response at all.
//   acks=1    append, answer at once (after an fsync, if log.flush.interval.messages asks one).
//   acks=all  refuse with NOT_ENOUGH_REPLICAS if the ISR is smaller than min.insync.replicas;
//             else append and park the request until the high watermark passes it: NONE, or
//             NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below the minimum meanwhile;
//             NOT_LEADER_FOR_PARTITION if leadership moves; REQUEST_TIMED_OUT after the
//             request's timeout.
//   sync      (the SPEC's mode, not Kafka's) as acks=all, but it waits for every assigned
//             replica, in the ISR or not.
#include "kafkasim/kafka/broker.h"

#include <cassert>

#include "kafkasim/kafka/group_coordinator.h"

namespace kafkasim {

bool Broker::needs_flush(TopicPartition tp) {
  // Log.append: "if (unflushedMessages >= config.flushInterval) flush()".
  HostedPartition* h = hosted(tp);
  return h != nullptr &&
         h->partition.log().unflushed_messages() >= env_.layout.topic(tp.topic).flush_messages;
}

void Broker::handle_produce(std::uint64_t ticket, PendingRequest& request) {
  assert(is_up() && !in_flight_produces_.contains(ticket));
  const ProduceRequest& produce = std::get<ProduceRequest>(request.request);
  auto delayed = std::make_unique<DelayedProduce>();
  delayed->client = request.from;
  delayed->correlation_id = produce.correlation_id;
  delayed->acks = produce.acks;
  delayed->request_timeout = produce.timeout;
  bool flush = false;
  for (const ProducePartitionData& data : produce.partitions) {
    DelayedProduce::Status status{data.tp, 0, -1, Errors::none, false};
    append_to_leader(data, produce, status);
    if (status.error == Errors::none && status.pending && needs_flush(data.tp)) flush = true;
    delayed->partitions.push_back(status);
  }
  in_flight_produces_.emplace(ticket, std::move(delayed));
  if (flush) {
    // The handler thread stays in Log.flush for one fsync (plus a slow disk's extra time);
    // followers can already read what was appended.
    set_timer(env_.cluster.flush_time_ms.sample_ms(rng_) + disk_extra(), BrokerTimer::flush_done,
              ticket);
    return;
  }
  complete_produce(ticket);
}

void Broker::append_to_leader(const ProducePartitionData& data, const ProduceRequest& produce,
                              DelayedProduce::Status& status) {
  HostedPartition* h = hosted(data.tp);
  if (h == nullptr) {
    status.error = Errors::not_leader_for_partition;
    return;
  }
  Partition& partition = h->partition;
  const TopicLayout& topic = env_.layout.topic(data.tp.topic);
  status.error = partition.check_append(produce.acks, topic.min_insync_replicas);
  if (status.error == Errors::not_enough_replicas) {
    env_.observer.on_not_enough_replicas(id_, data.tp, status.error, now());
  }
  if (status.error != Errors::none) return;
  if (produce.idempotent) {
    // ProducerStateManager / ProducerAppendInfo: a batch already in the log is acknowledged
    // again without a second append; a gap in the sequence numbers is refused; an older epoch
    // of the producer is fenced. A producer (or epoch) the log does not know starts afresh.
    const ProducerStateTable::Entry entry =
        partition.log().producer_state().find(data.batch.producer);
    if (entry.known && data.batch.producer_epoch < entry.epoch) {
      status.error = Errors::invalid_producer_epoch;
      return;
    }
    if (entry.known && data.batch.producer_epoch == entry.epoch) {
      const std::uint32_t last_sequence = data.batch.first_sequence + data.batch.record_count - 1;
      if (last_sequence < entry.next_sequence) {
        // A duplicate is answered as its original append would be (Log.append returns the
        // duplicate's offsets; ReplicaManager then parks it, with acks=all, until the high
        // watermark passes its last offset): acknowledging it at once would acknowledge
        // records that only this leader may hold.
        if (const auto last = partition.log().offset_of_sequence(
                data.batch.producer, data.batch.producer_epoch, last_sequence)) {
          status.base_offset = *last + 1 - data.batch.record_count;
          status.required_offset = *last + 1;
          status.pending = true;
          return;
        }
      }
      if (data.batch.first_sequence != entry.next_sequence) {
        status.error = Errors::out_of_order_sequence_number;
        return;
      }
    }
  }
  status.base_offset =
      partition.log().append_as_leader(data.batch, partition.leader_epoch(), now());
  status.required_offset = status.base_offset + data.batch.record_count;
  status.pending = true;
  // New data: parked follower fetches can complete; with an ISR of one, the HW moves now.
  try_complete_fetches(data.tp);
  if (partition.maybe_increment_high_watermark(now(),
                                               env_.cluster.broker_config.replica_lag_time_max)) {
    on_high_watermark_moved(*h);
  }
}

void Broker::complete_produce(std::uint64_t ticket) {
  auto it = in_flight_produces_.find(ticket);
  const auto request = requests_.find(ticket);
  if (it == in_flight_produces_.end() || request == requests_.end()) return;
  std::unique_ptr<DelayedProduce> delayed = std::move(it->second);
  in_flight_produces_.erase(it);
  for (const DelayedProduce::Status& status : delayed->partitions) {
    if (status.pending && needs_flush(status.tp)) hosted(status.tp)->partition.log().flush();
  }
  requests_.erase(request);
  release_handler_thread();
  switch (delayed->acks) {
    case ProduceAcks::none:
      // acks=0: the broker never answers. KafkaApis.handleProduceRequest sends a NoOpResponse
      // (sendNoOpResponseExemptThrottle), on which SocketServer's processNewResponses unmutes
      // the channel: the next request is read once this one is appended.
      request_answered(delayed->client, delayed->correlation_id);
      return;
    case ProduceAcks::leader:
      for (DelayedProduce::Status& status : delayed->partitions)
        status.pending = false;
      send(delayed->client, delayed->response());
      return;
    case ProduceAcks::all:
    case ProduceAcks::every_replica:
      park_produce(std::move(delayed));
      return;
  }
}

void Broker::park_produce(std::unique_ptr<DelayedProduce> delayed) {
  const std::uint64_t id = ++next_delayed_id_;
  std::vector<TopicPartition> waiting;
  for (const DelayedProduce::Status& status : delayed->partitions) {
    if (!status.pending) continue;
    hosted(status.tp)->waiting_produces.push_back(id);
    waiting.push_back(status.tp);
  }
  // DelayedOperationPurgatory.tryCompleteElseWatch: the operation's timeout goes to the
  // purgatory's timer (one engine timer for all, see PurgatoryTimeouts).
  delayed->deadline = now() + delayed->request_timeout;
  produce_timeouts_.add(delayed->deadline, id);
  arm_produce_expiry();
  delayed_produces_.emplace(id, std::move(delayed));
  if (waiting.empty()) {
    finish_delayed_produce(id);
    return;
  }
  for (const TopicPartition& tp : waiting)
    try_complete_produces(tp);
}

void Broker::try_complete_produces(TopicPartition tp) {
  HostedPartition* h = hosted(tp);
  if (h == nullptr || h->waiting_produces.empty()) return;
  const Partition& partition = h->partition;
  const std::int32_t min_isr = env_.layout.topic(tp.topic).min_insync_replicas;
  // Called after every follower fetch: compact the waiting list in place, allocating nothing.
  // Answering a request (finish_delayed_produce) only sends; it never comes back here.
  std::vector<std::uint64_t>& waiting = h->waiting_produces;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < waiting.size(); ++i) {
    const std::uint64_t id = waiting[i];
    const auto it = delayed_produces_.find(id);
    if (it == delayed_produces_.end()) continue;
    DelayedProduce& delayed = *it->second;
    DelayedProduce::Status* status = delayed.status_of(tp);
    if (status == nullptr || !status->pending) continue;
    // Partition.checkEnoughReplicasReachOffset (and the sync mode's every-replica rule).
    if (!partition.is_leader()) {
      status->error = Errors::not_leader_for_partition;
      status->pending = false;
    } else if (delayed.acks == ProduceAcks::every_replica
                   ? partition.every_replica_has(status->required_offset)
                   : partition.high_watermark() >= status->required_offset) {
      const bool enough = static_cast<std::int32_t>(partition.isr().size()) >= min_isr;
      status->error = enough ? Errors::none : Errors::not_enough_replicas_after_append;
      if (!enough) env_.observer.on_not_enough_replicas(id_, tp, status->error, now());
      status->pending = false;
    }
    if (status->pending) {
      waiting[kept++] = id;
    } else if (!delayed.any_pending()) {
      finish_delayed_produce(id);
    }
  }
  waiting.resize(kept);
}

void Broker::arm_produce_expiry() {
  // The timer is pending at or before the earliest deadline, or is set there. It may outlive
  // the request it was set for: answered requests leave their deadlines, not their timers.
  const std::optional<Instant> earliest = produce_timeouts_.earliest();
  if (!earliest) return;
  if (env_.engine.is_pending(produce_expiry_) && produce_expiry_at_ <= *earliest) return;
  produce_expiry_at_ = *earliest;
  produce_expiry_ =
      env_.engine.set_timer(*earliest, actor(), timer_cookie(BrokerTimer::produce_timeout));
}

void Broker::on_produce_timeout() {
  // DelayedOperation.onExpiration (DelayedProduce.onExpiration): each parked request now due
  // answers REQUEST_TIMED_OUT for the partitions still waiting, earliest deadline first.
  while (produce_timeouts_.earliest() && *produce_timeouts_.earliest() <= now()) {
    const std::uint64_t id = produce_timeouts_.first_due();
    const auto it = delayed_produces_.find(id);
    assert(it != delayed_produces_.end());  // finish_delayed_produce removes its deadline
    for (DelayedProduce::Status& status : it->second->partitions) {
      if (!status.pending) continue;
      status.error = Errors::request_timed_out;
      status.pending = false;
      if (HostedPartition* h = hosted(status.tp)) std::erase(h->waiting_produces, id);
    }
    finish_delayed_produce(id);
  }
  arm_produce_expiry();
}

void Broker::finish_delayed_produce(std::uint64_t id) {
  const auto it = delayed_produces_.find(id);
  if (it == delayed_produces_.end()) return;
  produce_timeouts_.remove(it->second->deadline, id);
  std::unique_ptr<DelayedProduce> delayed = std::move(it->second);
  delayed_produces_.erase(it);
  if (delayed->coordinator_append != 0) {
    // The coordinator's callback (GroupMetadataManager.appendForGroup's putCacheCallback).
    if (group_coordinator_) {
      group_coordinator_->on_append_done(delayed->coordinator_append,
                                         delayed->partitions.front().error);
    }
    return;
  }
  send(delayed->client, delayed->response());
}

void Broker::append_for_coordinator(TopicPartition tp, const RecordBatch& batch,
                                    std::uint64_t append) {
  assert(append != 0);
  // GroupMetadataManager.appendForGroup → ReplicaManager.appendRecords(offsets.commit.timeout.ms,
  // offsets.commit.required.acks = -1, internalTopicsAllowed = true): a leader append parked until
  // the high watermark passes it, as an acks=all produce is. It runs on the handler thread of the
  // request that asked for it (SyncGroup, OffsetCommit, or the DelayedJoin that emptied a group).
  auto delayed = std::make_unique<DelayedProduce>();
  delayed->acks = ProduceAcks::all;
  delayed->request_timeout = kOffsetCommitTimeout;
  delayed->coordinator_append = append;
  ProduceRequest produce;
  produce.acks = ProduceAcks::all;
  DelayedProduce::Status status{tp, 0, -1, Errors::none, false};
  append_to_leader(ProducePartitionData{tp, batch}, produce, status);
  if (status.pending && needs_flush(tp)) hosted(tp)->partition.log().flush();
  delayed->partitions.push_back(status);
  park_produce(std::move(delayed));
}

}  // namespace kafkasim
