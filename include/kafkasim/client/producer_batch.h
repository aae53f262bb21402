// A batch of records for one partition, from its creation in the accumulator to its completion
// (clients/.../producer/internals/ProducerBatch.java). It holds a range of sequence numbers and
// the send() time of each record, nothing else per record, so a producer's memory is bounded by
// the records it still holds.
#pragma once

#include <cstdint>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim {

/// DefaultRecordBatch.RECORD_BATCH_OVERHEAD: the v2 batch header.
inline constexpr std::uint32_t kRecordBatchOverheadBytes = 61;

/// An index into the accumulator's pool of batches.
using BatchSlot = std::uint32_t;
inline constexpr BatchSlot kNoBatch = 0xffffffffu;

struct ProducerBatch {
  std::int32_t partition = 0;
  std::uint32_t first_sequence = 0;
  std::uint32_t record_count = 0;
  std::uint32_t size_bytes = kRecordBatchOverheadBytes;
  Instant created;
  /// createdMs, then the time of each re-enqueue (ProducerBatch.lastAttemptMs): linger and
  /// retry.backoff.ms count from it.
  Instant last_attempt;
  /// Re-enqueues so far (ProducerBatch.attempts): a retry is allowed while attempts < retries.
  std::int32_t attempts = 0;
  /// Still accepting records: the last batch of its partition's queue, never sent.
  bool open = false;
  bool queued = false;     // in its partition's queue in the accumulator
  bool in_flight = false;  // part of a request not yet answered
  /// Completed (acknowledged or failed) while a request still carries it: the answer to that
  /// request is ignored for it, and the slot is freed once the request is over.
  bool done = false;
  CorrelationId request;            // the request carrying it, while in flight
  std::vector<Instant> send_times;  // one per record, in sequence order
  BatchSlot older = kNoBatch;       // the live batches, oldest first (delivery timeout)
  BatchSlot newer = kNoBatch;

  std::uint32_t last_sequence() const { return first_sequence + record_count - 1; }
};

}  // namespace kafkasim
