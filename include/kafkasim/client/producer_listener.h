// What a producer tells the run: each send(), and each batch's fate. The run implements it to
// count produced, acknowledged and failed records, to fill latency histograms and time series,
// and to hand the checker each record's key (SPEC.md "Report").
//
// Records are identified as in RecordBatch (protocol/kafka_types.h): (producer, partition,
// sequence), sequences numbered per partition from 0 in send() order. Every record sent is reported
// exactly once as acknowledged, failed or abandoned (ProducerBatch.done: a batch completes once,
// whether it was retried or not), unless the run ends with it still in the producer.
#pragma once

#include <cstdint>
#include <span>

#include "kafkasim/core/time.h"
#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim {

/// A batch that completed: acknowledged (error == none) or failed.
struct BatchOutcome {
  ProducerIndex producer;
  TopicPartition tp;
  std::uint32_t first_sequence = 0;
  std::uint32_t record_count = 0;
  /// The leader's offset of the first record; -1 when unknown (acks=0, or a duplicate that an
  /// idempotent leader had already appended: DUPLICATE_SEQUENCE_NUMBER counts as success).
  Offset base_offset = -1;
  Errors error = Errors::none;
  /// The send() instant of each record, record_count of them: latency = now - send_times[i].
  /// Valid only during the call.
  std::span<const Instant> send_times;
  Instant now;
};

class ProducerListener {
 public:
  virtual ~ProducerListener() = default;
  /// send() was called: the record (tp, sequence) with `key` (kNoKey, -1, when the producer has
  /// no keys) is handed to the producer now.
  virtual void on_send(ProducerIndex producer, TopicPartition tp, std::uint32_t sequence,
                       std::int64_t key, Instant now) = 0;
  /// The batch's records are acknowledged: the leader answered without error or, with acks=0,
  /// the request was written to the connection.
  virtual void on_acknowledged(const BatchOutcome& batch) = 0;
  /// The producer gave up on the batch's records: a non-retriable error, retries exhausted, or
  /// delivery.timeout.ms passed (error REQUEST_TIMED_OUT, Kafka's TimeoutException).
  virtual void on_failed(const BatchOutcome& batch) = 0;
  /// The producer's process crashed with the batch's records in its memory: the application
  /// never learns their fate, and the producer neither retries nor reports them again (some may
  /// still have reached a leader). `error` is not meaningful.
  virtual void on_abandoned(const BatchOutcome& batch) = 0;
};

}  // namespace kafkasim
