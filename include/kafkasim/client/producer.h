// One producer of the scenario in one run: KafkaProducer, its RecordAccumulator, its Sender
// thread and its NetworkClient, as one actor and one network endpoint (clients/.../producer/
// KafkaProducer.java, internals/{RecordAccumulator,Sender,ProducerBatch}.java,
// clients/NetworkClient.java; Kafka 2.4).
//
// The application calls send() at the times of its ArrivalSchedule, with a key from the
// ".../keys" stream; the record joins a batch of its partition. The sender drains ready batches
// (full, or lingered linger.ms, or due to be retried) into one ProduceRequest per leader, one
// batch per partition, as long as the connection has fewer than
// max.in.flight.requests.per.connection requests outstanding. Answers complete batches:
//  - success: acknowledged (acks=0: as soon as the request is written, no answer expected);
//  - a retriable error: sent again after retry.backoff.ms while attempts < retries and the batch
//    is younger than delivery.timeout.ms (KIP-91, from its creation); errors that say the
//    metadata is stale also ask for new metadata;
//  - otherwise: failed. A batch still in the producer when delivery.timeout.ms passes fails then,
//    whether queued or in flight (its late answer is ignored).
// Ordering: with max.in.flight = 1 a partition is muted while its batch is in flight
// (guaranteeMessageOrder). With more in flight and no idempotence, a retried batch goes to the
// front of its queue and may land after batches sent later: reordering, as in Kafka. With
// enable.idempotence (only with acks=all or sync) requests carry sequence numbers for the
// leader to deduplicate, retries are re-queued in sequence order and a retry is sent only
// when no batch of its partition with a lower sequence is in flight (RecordAccumulator.
// shouldStopDrainBatchesForPartition), newer batches waiting behind it;
// OUT_OF_ORDER_SEQUENCE_NUMBER is retried and DUPLICATE_SEQUENCE_NUMBER counts as success, as
// the 2.4 Sender does.
// Connections (NetworkClient): a request unanswered after request.timeout.ms closes the
// connection (Network::disconnect) and fails every request on it with NETWORK_EXCEPTION, as a
// disconnection notice does; no new request goes to that broker for reconnect.backoff.ms.
// A broker reads one request per connection at a time (kafka/socket_server.h); what the producer
// sends meanwhile waits unread in the socket buffers, and a new request goes only once the last
// one is wholly written into them (InFlightRequests.canSendMore: the last send completed), that
// is while the connection holds at most send.buffer.bytes + the broker's
// socket.receive.buffer.bytes unread. An acks=0 request is acknowledged when it is written, so
// a broker that stops reading stops an acks=0 producer too, its records held in the accumulator.
//
// Simplified: send() never blocks (max.block.ms, buffer.memory): before metadata arrives the
// record waits in the accumulator, its partition chosen from the scenario's partition count;
// the reconnect backoff does not grow or jitter; connection set-up costs no round trip;
// after an idempotent batch fails, Kafka 2.4 resets the producer id, which the model does not
// (the producer's index serves as its id; only a restart after a crash bumps its epoch).
#pragma once

#include <cstdint>
#include <vector>

#include "kafkasim/client/arrival_schedule.h"
#include "kafkasim/client/producer_listener.h"
#include "kafkasim/client/producer_metadata.h"
#include "kafkasim/client/record_accumulator.h"
#include "kafkasim/client/record_partitioner.h"
#include "kafkasim/engine/engine.h"
#include "kafkasim/network/process.h"
#include "kafkasim/network/transport.h"
#include "kafkasim/protocol/message.h"
#include "kafkasim/scenario/producer.h"

namespace kafkasim {

/// Where a producer sits in a run.
struct ProducerPlacement {
  ProducerIndex index;
  TopicIndex topic;
  std::int32_t partitions = 1;
  /// The producer's own network node (named after the producer).
  NodeId node;
  /// Every broker of the cluster, ascending by id: the bootstrap list.
  std::vector<BrokerAddress> brokers;
  /// The run's mode; it overrides the spec's acks.
  AckMode mode = AckMode::async;
  std::uint64_t seed = 1;
  /// duration_ms: no send() at or after it.
  Instant end;
  /// The brokers' socket.receive.buffer.bytes: with the producer's send.buffer.bytes, what a
  /// connection holds unread before the producer can write no more.
  std::int32_t broker_receive_buffer_bytes = 100 * 1024;
};

/// The acks a mode sends (SPEC.md "Acknowledgement modes").
ProduceAcks produce_acks(AckMode mode);

struct ProducerCounters {
  std::uint64_t sent = 0;          // send() calls
  std::uint64_t acknowledged = 0;  // records
  std::uint64_t failed = 0;        // records
  std::uint64_t produce_requests = 0;
  std::uint64_t metadata_requests = 0;
  std::uint64_t abandoned = 0;         // records held when the process crashed
  std::uint64_t retries = 0;           // batches re-enqueued
  std::uint64_t request_timeouts = 0;  // connections closed by request.timeout.ms
};

class Producer final : public Process, public Endpoint<Message> {
 public:
  /// Registers with the engine. The caller attaches the producer to its node:
  /// transport.attach(placement.node, producer), then calls start_sending(). The process is up
  /// from the beginning; crash faults stop it and restart it (Process).
  Producer(Engine& engine, Transport<Message>& transport, const ProducerSpec& spec,
           ProducerPlacement placement, ProducerListener& listener);
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  /// The application begins: schedules the first send() and asks the bootstrap brokers for
  /// metadata.
  void start_sending();
  bool crashed() const { return !is_up(); }

  void on_timer(TimerCookie cookie) override;
  void on_message(NodeId from, Message&& message) override;
  void on_disconnected(NodeId peer) override;
  /// The socket buffers to `peer` took what this producer waited to write.
  void on_writable(NodeId peer) override;

  const ProducerCounters& counters() const { return counters_; }
  /// Records the producer still holds (queued, in flight, or done but still in a request):
  /// bounded by what is outstanding, never by the length of the run.
  std::size_t records_held() const { return accumulator_.records_held(); }
  const ProducerMetadata& metadata() const { return metadata_; }
  /// Requests outstanding to the broker at `index` in placement.brokers.
  std::int32_t in_flight_requests(std::size_t broker) const {
    return connections_[broker].in_flight_count;
  }
  bool idempotent() const { return idempotent_; }

 private:
  /// A new process starts in place of a crashed one: empty memory, fresh metadata, and the next
  /// producer epoch for idempotence. send() resumes with the first arrival from now on; the
  /// arrivals that fell while it was down never happened. Message sequences continue, so every
  /// record of the run keeps its own identity.
  void on_start() override;
  /// The process crashed: every record it held is abandoned (ProducerListener::on_abandoned),
  /// and its accumulator, metadata and connections are gone.
  void on_crash(CrashKind kind) override;

  enum class TimerKind : std::uint32_t {
    arrival,
    sender_wakeup,
    request_timeout,
    delivery_timeout,
    metadata,
  };
  enum class RequestKind : std::uint8_t { produce, metadata };
  struct InFlightRequest {
    bool active = false;
    RequestKind kind = RequestKind::produce;
    CorrelationId correlation_id;
    Instant deadline;
    std::vector<BatchSlot> batches;  // reused: its capacity stays
    /// acks=0, not yet wholly in the socket buffers: it completes when written.
    bool awaiting_write = false;
  };
  struct BrokerConnection {
    std::vector<InFlightRequest> in_flight;
    std::int32_t in_flight_count = 0;
    /// No new request before this (reconnect.backoff.ms after a disconnection).
    Instant reconnect_after;
    TimerId timeout_timer;
    std::size_t drain_index = 0;
  };

  // The application side (producer.cpp).
  /// The application calls send(); returns whether the sender must be woken.
  bool on_arrival();
  std::uint32_t record_bytes(std::int64_t key) const;
  /// Returns whether the record opened a new batch or filled one (KafkaProducer.doSend wakes
  /// the sender only then).
  bool append(std::int64_t key, Instant now);
  void wake_sender_at(Instant at);

  // The sender (producer_sender.cpp).
  void run_sender();
  bool has_ready_partition(std::size_t broker, Instant now) const;
  bool sendable_now(std::int32_t partition, Instant now) const;
  bool retry_must_wait(const ProducerBatch& first) const;
  void drain(std::size_t broker, Instant now, std::vector<BatchSlot>& out);
  bool send_produce(std::size_t broker, Instant now);
  InFlightRequest& add_in_flight(std::size_t broker, RequestKind kind, CorrelationId id,
                                 Instant now);
  bool can_send_to(std::size_t broker, Instant now) const;
  /// Whether the last request to `broker` is wholly in the socket buffers (Kafka's
  /// send.completed()): the connection holds at most the buffers' bytes unread.
  bool written(std::size_t broker) const;
  /// acks=0 requests to `broker` now written are complete (NetworkClient.handleCompletedSends).
  void complete_written(std::size_t broker, Instant now);

  // Completion (producer_completion.cpp).
  void on_produce_response(std::size_t broker, const ProduceResponse& response);
  void complete_batch(BatchSlot slot, Errors error, Offset base_offset, Instant now);
  bool can_retry(const ProducerBatch& batch, Errors error, Instant now) const;
  void finish(BatchSlot slot, Errors error, Offset base_offset, Instant now);
  void on_delivery_timeout();
  void arm_delivery_timer();

  // Metadata and connections (producer_network.cpp).
  void maybe_update_metadata(Instant now);
  std::int32_t least_loaded_broker(Instant now);
  void on_metadata_response(std::size_t broker, const MetadataResponse& response);
  void on_request_timeout(std::size_t broker);
  void close_connection(std::size_t broker, Instant now);
  std::int32_t broker_of(NodeId node) const;
  InFlightRequest* find_in_flight(std::size_t broker, CorrelationId id);
  void retire_request(std::size_t broker, InFlightRequest& request);

  Engine& engine_;
  Transport<Message>& transport_;
  ProducerSpec spec_;
  ProducerPlacement placement_;
  ProducerListener& listener_;

  ProduceAcks acks_;
  bool idempotent_;
  std::uint32_t key_free_record_bytes_;

  ArrivalSchedule arrivals_;
  Rng keys_rng_;
  RecordPartitioner partitioner_;
  RecordAccumulator accumulator_;
  ProducerMetadata metadata_;

  std::vector<BrokerConnection> connections_;
  std::vector<std::int32_t> broker_by_node_;     // node id -> index in brokers, or -1
  std::vector<std::uint32_t> next_sequence_;     // per partition
  std::vector<std::int32_t> in_flight_batches_;  // per partition
  std::vector<BatchSlot> drained_;               // scratch for drain()
  std::uint32_t next_correlation_id_ = 1;
  std::size_t bootstrap_next_ = 0;
  bool metadata_in_flight_ = false;
  TimerId metadata_timer_;
  Instant metadata_timer_at_ = Instant::never();
  TimerId delivery_timer_;
  Instant last_wakeup_at_ = Instant::never();
  /// The pending send() time (its timer is dropped by a crash), or never.
  Instant next_arrival_at_ = Instant::never();
  std::uint16_t producer_epoch_ = 0;
  ProducerCounters counters_;
};

}  // namespace kafkasim
