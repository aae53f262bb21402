// The run's ledger: every record's fate as the producers saw it (sent, acknowledged, failed),
// the cluster's notable events, and at the end the final read that finds lost, duplicated and
// reordered records (SPEC.md "Report"). It listens to the producers and to the brokers; it never
// changes the simulation.
//
// Memory per record: 1 bit (acknowledged) and, for keyed producers, the key (4 bytes); per
// acknowledged batch, 24 bytes (when and where it was acknowledged, for lost_examples). Latencies
// go to a histogram, never to a list.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "kafkasim/client/producer_listener.h"
#include "kafkasim/kafka/cluster_layout.h"
#include "kafkasim/kafka/cluster_observer.h"
#include "kafkasim/run/run_result.h"
#include "kafkasim/stats/latency_histogram.h"

namespace kafkasim {

class Ledger final : public ProducerListener, public ClusterObserver {
 public:
  /// Which replicas of `tp` hold `offset` now: a bit per position in the assignment.
  using HoldersQuery = std::function<std::uint64_t(TopicPartition tp, Offset offset)>;

  Ledger(const ClusterLayout& layout, std::vector<std::string> producer_names,
         Instant scenario_start, HoldersQuery holders);

  // --- ProducerListener ------------------------------------------------------------------
  void on_send(ProducerIndex producer, TopicPartition tp, std::uint32_t sequence, std::int64_t key,
               Instant now) override;
  void on_acknowledged(const BatchOutcome& batch) override;
  void on_failed(const BatchOutcome& batch) override;
  void on_abandoned(const BatchOutcome& batch) override;

  // --- ClusterObserver -------------------------------------------------------------------
  void on_truncation(BrokerId broker, TopicPartition tp, const std::vector<RecordBatch>& removed,
                     TruncationReason reason, Instant now) override;
  void on_isr_change(BrokerId leader, TopicPartition tp, const std::vector<BrokerId>& old_isr,
                     const std::vector<BrokerId>& new_isr, Instant now) override;
  void on_leader_election(BrokerId controller, TopicPartition tp, BrokerId leader,
                          LeaderEpoch epoch, const std::vector<BrokerId>& isr, ElectionKind kind,
                          const std::string& why, Instant now) override;
  void on_controller_isr_change(BrokerId controller, TopicPartition tp,
                                const std::vector<BrokerId>& old_isr,
                                const std::vector<BrokerId>& new_isr, LeaderEpoch epoch,
                                const std::string& why, Instant now) override;
  void on_controller_elected(BrokerId controller, ControllerEpoch epoch, Instant now) override;
  void on_not_enough_replicas(BrokerId leader, TopicPartition tp, Errors error,
                              Instant now) override;
  void on_zk_session(BrokerId broker, bool expired, Instant now) override;

  // --- From the fault layer ----------------------------------------------------------------
  void on_broker_up(BrokerId broker, bool up, Instant now);
  /// A line for the timeline, at `now`.
  void note(Instant now, const std::string& line);

  /// The final read (SPEC.md): `final_logs[i]` is the log read for partition i of
  /// layout.all_partitions(), from offset 0 to `final_high_watermarks[i]`, or nullptr when the
  /// partition has no live leader at the end (offline: its records count as lost).
  void finish(const std::vector<const std::deque<RecordBatch>*>& final_logs,
              const std::vector<Offset>& final_high_watermarks, Instant end, RunResult& result);

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
  /// The records of one producer to one partition.
  struct Stream {
    std::vector<std::int32_t> keys;  // by sequence; empty when the producer has no keys
    std::vector<bool> acknowledged;  // by sequence
    std::uint32_t sent = 0;
    std::vector<AckRecord> acks;
  };

  Stream& stream(ProducerIndex producer, TopicPartition tp);
  std::string when(Instant now) const;
  void update_offline(Instant now);
  void count_final_read(std::size_t partition, const std::deque<RecordBatch>* log, Offset hw,
                        RunResult& result);
  LostExample explain_loss(std::size_t partition, ProducerIndex producer, std::uint32_t sequence,
                           const AckRecord& ack) const;

  const ClusterLayout& layout_;
  std::vector<std::string> producer_names_;
  Instant scenario_start_;
  HoldersQuery holders_;
  std::vector<TopicPartition> partitions_;
  std::vector<Stream> streams_;  // [producer * partitions + partition]

  LatencyHistogram latency_;
  std::uint64_t produced_ = 0;
  std::uint64_t acknowledged_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t abandoned_ = 0;
  std::uint64_t leader_elections_ = 0;
  std::uint64_t unclean_leader_elections_ = 0;
  std::uint64_t controller_elections_ = 0;
  std::uint64_t isr_shrinks_ = 0;
  std::uint64_t isr_expands_ = 0;
  bool reported_not_enough_replicas_ = false;

  std::vector<std::vector<Removal>> removals_;  // by partition
  std::vector<BrokerId> leaders_;               // by partition, as the controller last wrote
  std::vector<bool> broker_up_;                 // by position in layout.brokers
  std::vector<Instant> offline_since_;          // by partition; never() when online
  Duration offline_total_{0};
  std::vector<std::string> timeline_;
};

}  // namespace kafkasim
