// The --series sampler (SPEC.md "--series"): an engine actor whose timer fires every interval of
// scenario time, from 0 to the end of the settling period, and writes one row per metric and
// subject. It only reads the cluster (and takes the ledger's per-interval producer counts), so a
// run with a series gives the same results as one without; its own timer events are not counted
// in the run's `events` (see fired()).
#pragma once

#include <cstdint>
#include <vector>

#include "cluster.h"
#include "kafkasim/engine/engine.h"
#include "kafkasim/run/cluster_states.h"
#include "kafkasim/run/series.h"

namespace kafkasim {

class SeriesSampler final : public Actor {
 public:
  /// Samples at scenario_start + k * interval for every k with that instant <= end; and the
  /// cluster's states into `states` at the same instants when it is given (the page's view).
  SeriesSampler(Cluster& cluster, const Scenario& scenario, Duration interval,
                Instant scenario_start, Instant end, Series& out, ClusterStates* states = nullptr);

  void on_timer(TimerCookie cookie) override;
  /// How many times the timer fired: engine events that are the sampler's, not the model's.
  std::uint64_t fired() const { return fired_; }

 private:
  std::uint32_t subject(std::string name);
  void row(SeriesMetric metric, std::uint32_t subject, double value);
  void sample_partitions();
  void sample_producers();
  void sample_consumer_lag();
  void sample_brokers();
  void sample_partition_and_member_lag();
  void sample_states();

  Cluster& cluster_;
  Duration interval_;
  Instant scenario_start_;
  Instant end_;
  Series& out_;
  ClusterStates* states_;
  ActorId actor_;
  std::uint64_t fired_ = 0;
  std::int64_t time_ms_ = 0;  // of the sample being taken
  std::vector<TopicPartition> partitions_;
  std::vector<std::uint32_t> partition_subjects_;             // by partition
  std::vector<std::vector<std::uint32_t>> replica_subjects_;  // by partition, then replica
  std::vector<std::uint32_t> producer_subjects_;              // by producer
  std::vector<std::uint32_t> group_subjects_;                 // by consumer group
  std::vector<std::uint32_t> broker_subjects_;                // by position in layout.brokers
  std::vector<std::vector<std::uint32_t>> group_partition_subjects_;  // by group, then partition
  std::vector<std::uint32_t> member_subjects_;  // by member, as Cluster::consumers() lists them
};

}  // namespace kafkasim
