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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafkasim/client/producer_listener.h"
#include "kafkasim/kafka/cluster_layout.h"
#include "kafkasim/kafka/cluster_observer.h"
#include "kafkasim/run/run_result.h"
#include "kafkasim/stats/latency_histogram.h"

namespace kafkasim {

/// Told of every timeline line as it is written, with a short label ("crash", "leader election")
/// and the node it happened on (nullopt: the whole cluster, e.g. a network partition): the trace
/// recorder draws them as instant events on that node's track.
class TimelineListener {
 public:
  virtual ~TimelineListener() = default;
  virtual void on_note(Instant now, std::string_view label, std::optional<NodeId> node,
                       const std::string& line) = 0;
};

/// What the producers did in one sampling interval of --series (SPEC.md "--series").
struct ProducerInterval {
  std::uint64_t acknowledged = 0;  // distinct records first acknowledged in the interval
  LatencyHistogram latency;        // their send()-to-acknowledgement latencies
};

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
  void on_shutdown_complete(BrokerId broker, std::uint32_t attempts, bool clean,
                            std::optional<std::size_t> still_led, Instant now) override;

  // --- From the fault layer ----------------------------------------------------------------
  void on_broker_up(BrokerId broker, bool up, Instant now) override;
  /// A line for the timeline, at `now`, about the whole cluster.
  void note(Instant now, const std::string& line);
  /// A line for the timeline, at `now`, about `node`; `label` names it briefly for a trace.
  void note(Instant now, std::string_view label, std::optional<NodeId> node,
            const std::string& line);
  void set_timeline_listener(TimelineListener* listener) { timeline_listener_ = listener; }

  /// From now on, count each producer's acknowledgements per interval (for --series); off by
  /// default, so a run without --series pays nothing.
  void enable_intervals();
  /// What `producer` did since the last call (or since enable_intervals), and starts anew.
  /// Precondition: enable_intervals() was called.
  ProducerInterval& interval(ProducerIndex producer) { return intervals_[producer.value()]; }

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
  std::string when(Instant now) const;     // "   16.005 s", aligned for the timeline
  std::string seconds(Instant now) const;  // "16.005 s"
  NodeId node_of(BrokerId broker) const { return layout_.node_of(broker); }
  /// How many of `removed` had been acknowledged to their producers.
  std::uint64_t acknowledged_among(TopicPartition tp, const std::vector<RecordBatch>& removed);
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
  BrokerId controller_ = kNoBroker;  // the last elected controller, boot included

  std::vector<std::vector<Removal>> removals_;  // by partition
  std::vector<BrokerId> leaders_;               // by partition, as the controller last wrote
  std::vector<bool> broker_up_;                 // by position in layout.brokers
  std::vector<Instant> offline_since_;          // by partition; never() when online
  Duration offline_total_{0};
  std::vector<std::string> timeline_;
  TimelineListener* timeline_listener_ = nullptr;
  std::vector<ProducerInterval> intervals_;  // by producer; empty unless enable_intervals()
};

}  // namespace kafkasim
