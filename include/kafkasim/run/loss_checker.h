// The loss checker (SPEC.md "Report"): every record's fate as the producers saw it (sent,
// acknowledged at which offset, held by which replicas then), every record a replica's log lost
// (truncation, power loss), and at the end the final read that finds lost, duplicated and
// reordered records and explains a few losses. It never changes the simulation.
//
// Memory per record: 1 bit (acknowledged) and, for keyed producers, the key (4 bytes); per
// acknowledged batch, 32 bytes (when and where it was acknowledged, for lost_examples).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kafkasim/client/producer_listener.h"
#include "kafkasim/kafka/cluster_layout.h"
#include "kafkasim/kafka/cluster_observer.h"
#include "kafkasim/run/run_result.h"

namespace kafkasim {

class LossChecker final : public ClusterObserver {
 public:
  /// Which replicas of `tp` hold `offset` now: a bit per position in the assignment.
  using HoldersQuery = std::function<std::uint64_t(TopicPartition tp, Offset offset)>;

  LossChecker(const ClusterLayout& layout, std::vector<std::string> producer_names,
              Instant scenario_start, HoldersQuery holders);

  // --- From the producers ----------------------------------------------------------------
  void on_send(ProducerIndex producer, TopicPartition tp, std::uint32_t sequence, std::int64_t key);
  /// Marks the batch's records acknowledged and notes where (its offset, its holders now).
  /// `first_time(i)` is called for each record i of the batch acknowledged for the first time
  /// (a retry of an acknowledged record, e.g. after a duplicate, is not).
  template <typename FirstTime>
  void on_acknowledged(const BatchOutcome& batch, FirstTime&& first_time);

  // --- From the cluster (ClusterObserver) ------------------------------------------------
  void on_truncation(BrokerId broker, TopicPartition tp, const std::vector<RecordBatch>& removed,
                     TruncationReason reason, Instant now) override;
  void on_leader_election(BrokerId controller, TopicPartition tp, BrokerId leader,
                          LeaderEpoch epoch, const std::vector<BrokerId>& isr, ElectionKind kind,
                          const std::string& why, Instant now) override;

  /// How many of `removed` (records of `tp`) had been acknowledged to their producers at those
  /// very offsets (for the timeline's truncation lines).
  std::uint64_t acknowledged_among(TopicPartition tp,
                                   const std::vector<RecordBatch>& removed) const;

  /// The final read (SPEC.md): `final_logs[i]` is the log read for partition i of
  /// layout.all_partitions(), from offset 0 to `final_high_watermarks[i]`, or nullptr when the
  /// partition has no live leader at the end (offline: its records count as lost). Adds
  /// lost_acknowledged, duplicates and reordered to `result`, appends one PartitionReport per
  /// partition (name, lost_acknowledged and when those were acknowledged) and up to 10
  /// lost_examples.
  void final_read(const std::vector<const std::deque<RecordBatch>*>& final_logs,
                  const std::vector<Offset>& final_high_watermarks, RunResult& result) const;

 private:
  struct AckRecord {
    std::uint32_t first_sequence;
    std::uint32_t record_count;
    Offset base_offset;
    Instant at;
    std::uint64_t holders;
  };
  struct Removal {
    Instant at;
    BrokerId broker;
    TruncationReason reason;
    RecordBatch batch;
  };
  /// One stream's acknowledgements, in order. A deque, not a vector: it grows by blocks, so its
  /// memory follows the count of batches rather than a doubling capacity (up to twice as much,
  /// three times while it reallocates). Made on the first one, since an empty std::deque
  /// already holds a block (a run of 10,000 partitions has that many streams per producer).
  class AckLog {
   public:
    void push_back(const AckRecord& ack) {
      if (!acks_) acks_ = std::make_unique<std::deque<AckRecord>>();
      acks_->push_back(ack);
    }
    std::deque<AckRecord>::const_iterator begin() const { return all().begin(); }
    std::deque<AckRecord>::const_iterator end() const { return all().end(); }

   private:
    const std::deque<AckRecord>& all() const {
      static const std::deque<AckRecord> kNone;
      return acks_ ? *acks_ : kNone;
    }
    std::unique_ptr<std::deque<AckRecord>> acks_;
  };
  /// The records of one producer to one partition.
  struct Stream {
    std::vector<std::int32_t> keys;  // by sequence; empty when the producer has no keys
    std::vector<bool> acknowledged;  // by sequence
    std::uint32_t sent = 0;
    AckLog acks;
  };

  Stream& stream(ProducerIndex producer, TopicPartition tp);
  const Stream& stream(std::size_t producer, std::size_t partition) const;
  void read_partition(std::size_t partition, const std::deque<RecordBatch>* log, Offset hw,
                      RunResult& result) const;
  LostExample explain_loss(std::size_t partition, ProducerIndex producer, std::uint32_t sequence,
                           const AckRecord& ack) const;

  const ClusterLayout& layout_;
  std::vector<std::string> producer_names_;
  Instant scenario_start_;
  HoldersQuery holders_;
  std::vector<TopicPartition> partitions_;
  std::vector<Stream> streams_;                 // [producer * partitions + partition]
  std::vector<std::vector<Removal>> removals_;  // by partition
  /// By partition: the controller's last election found no replica to lead it.
  std::vector<bool> no_leader_;
};

template <typename FirstTime>
void LossChecker::on_acknowledged(const BatchOutcome& batch, FirstTime&& first_time) {
  Stream& s = stream(batch.producer, batch.tp);
  for (std::uint32_t i = 0; i < batch.record_count; ++i) {
    const std::uint32_t seq = batch.first_sequence + i;
    if (seq < s.acknowledged.size() && !s.acknowledged[seq]) {
      s.acknowledged[seq] = true;
      first_time(i);
    }
  }
  const std::uint64_t holders =
      batch.base_offset >= 0 && holders_ ? holders_(batch.tp, batch.base_offset) : 0;
  s.acks.push_back(
      {batch.first_sequence, batch.record_count, batch.base_offset, batch.now, holders});
}

}  // namespace kafkasim
