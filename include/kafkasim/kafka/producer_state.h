// What a replica knows of each producer that wrote to its log (ProducerStateManager.scala,
// Kafka 2.4): the producer's epoch and the sequence number it expects next. An idempotent leader
// uses it to recognise a batch it already appended (a retry) and a gap in the sequences.
//
// Every replica keeps it from the batches it appends, as leader or as follower
// (Log.analyzeAndValidateProducerState runs for both), so a new leader deduplicates as its
// predecessor did. A truncation rebuilds it from the batches that remain (Log.truncateTo →
// loadProducerState). The model's producer id is the producer's index: a producer restarted
// after a crash keeps it and comes back with the next epoch, which is what a new producer id
// means to the broker (its first batch is accepted whatever its sequence).
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim {

class ProducerStateTable {
 public:
  struct Entry {
    bool known = false;
    std::uint16_t epoch = 0;
    std::uint32_t next_sequence = 0;
  };

  /// The producer's entry; `known` is false for a producer this log holds nothing of.
  Entry find(ProducerIndex producer) const {
    return producer.value() < entries_.size() ? entries_[producer.value()] : Entry{};
  }
  /// A batch was appended (ProducerAppendInfo.append).
  void update(const RecordBatch& batch) {
    if (batch.producer == kNoProducerId) return;  // ProducerStateManager: no producer id
    if (batch.producer.value() >= entries_.size()) entries_.resize(batch.producer.value() + 1);
    entries_[batch.producer.value()] = {true, batch.producer_epoch,
                                        batch.first_sequence + batch.record_count};
  }
  /// After a truncation: what the remaining batches say.
  void rebuild(const std::deque<RecordBatch>& batches) {
    entries_.clear();
    for (const RecordBatch& batch : batches)
      update(batch);
  }

 private:
  std::vector<Entry> entries_;  // by producer index
};

}  // namespace kafkasim
