// What the run knows of its consumer groups (SPEC.md "Report", consumer_groups): which records
// each group processed, how often, how long after send() each was first processed, and how far
// behind the high watermark each group is. It stands between the producers and the run's
// Ledger, recording each send() time before passing everything on, so the Ledger's figures do
// not change when consumers are added. It never changes the simulation.
//
// Memory, only with consumer groups: per record sent, its send() time (8 bytes) and one bit per
// group; per group and partition, the next offset to process.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kafkasim/client/producer_listener.h"
#include "kafkasim/consumer/consumer.h"
#include "kafkasim/kafka/cluster_layout.h"
#include "kafkasim/run/lag_story.h"
#include "kafkasim/run/ledger.h"
#include "kafkasim/run/run_result.h"
#include "kafkasim/scenario/consumer.h"
#include "kafkasim/stats/latency_histogram.h"

namespace kafkasim {

class ConsumerLedger final : public ProducerListener, public ConsumerListener {
 public:
  /// The high watermark of a partition now (see Cluster::high_watermark).
  using HighWatermarkQuery = std::function<Offset(TopicPartition tp)>;

  ConsumerLedger(const ClusterLayout& layout, std::size_t producers,
                 const std::vector<ConsumerGroupSpec>& groups, Instant scenario_start,
                 Ledger& ledger, HighWatermarkQuery high_watermark);

  // --- ProducerListener: noted, then passed to the Ledger --------------------------------------
  void on_send(ProducerIndex producer, TopicPartition tp, std::uint32_t sequence, std::int64_t key,
               Instant now) override;
  void on_acknowledged(const BatchOutcome& batch) override { ledger_.on_acknowledged(batch); }
  void on_failed(const BatchOutcome& batch) override { ledger_.on_failed(batch); }
  void on_abandoned(const BatchOutcome& batch) override { ledger_.on_abandoned(batch); }

  // --- ConsumerListener ------------------------------------------------------------------------
  void on_processed(GroupIndex group, TopicPartition tp, Offset offset, ProducerIndex producer,
                    std::uint32_t sequence, Instant now) override;
  void on_group_event(Instant now, const std::string& line) override { ledger_.note(now, line); }
  /// Counts the group's pauses: the spans during which none of its members holds partitions
  /// (a rebalance; the first one is the group's first join).
  void on_holding(GroupIndex group, std::int32_t member, bool holding, Instant now) override;

  /// SPEC.md's consumer_lag: the messages below the high watermark of the group's topic that
  /// the group has not yet processed, summed over the topic's partitions, now. A partition's
  /// share is its high watermark minus the offset after the last record the group processed
  /// there (at least 0): records are processed in offset order within a partition.
  std::int64_t lag(GroupIndex group) const;
  /// One partition's share of lag(group): the high watermark of partition `partition` of the
  /// group's topic minus the offset after the last record the group processed there, at least 0.
  std::int64_t partition_lag(GroupIndex group, std::int32_t partition) const;
  /// Takes a sample of every group's lag for max_lag and the timeline's backlog lines (the run
  /// calls it every kLagSampleInterval).
  void sample_lags(Instant now);
  /// Tells the timeline of the backlogs still open at the end of the run, and ends the groups'
  /// open pauses at `now`.
  void note_open_backlogs(Instant now);

  /// Fills result.consumer_groups.
  void finish(RunResult& result) const;

 private:
  struct Group {
    std::string name;
    TopicIndex topic;
    std::int32_t partitions = 0;
    std::int32_t members = 0;
    std::vector<std::vector<bool>> processed;  // by stream, then sequence
    std::vector<Offset> processed_end;         // by partition of the topic
    std::uint64_t consumed = 0;
    std::uint64_t redelivered = 0;
    std::int64_t max_lag = 0;
    Instant max_lag_at;
    LatencyHistogram end_to_end;
    std::string coordination;
    std::int32_t holders = 0;  // members holding partitions now
    Instant paused_since;      // while holders == 0
    std::uint64_t rebalances = 0;
    Duration paused{0};
  };

  std::size_t stream_index(ProducerIndex producer, TopicPartition tp) const;

  const ClusterLayout& layout_;
  std::size_t partitions_;  // all partitions of the cluster
  Instant scenario_start_;
  Ledger& ledger_;
  HighWatermarkQuery high_watermark_;
  std::vector<std::vector<Instant>> send_times_;  // by stream, then sequence
  std::vector<Group> groups_;
  LagStory lag_story_;
};

/// How often the run samples the groups' lag for max_lag.
inline constexpr Duration kLagSampleInterval = std::chrono::milliseconds(1);

}  // namespace kafkasim
