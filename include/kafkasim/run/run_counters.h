// The run's counters (SPEC.md "Report"): records produced, acknowledged, failed and abandoned,
// the acknowledgement latency histogram, elections, ISR shrinks and expands (the leaders'), the
// replicas the controller took out of ISRs, and the time partitions spent without a live leader.
// Counts start at the scenario's time 0: the cluster's boot is not measured. It never changes
// the simulation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafkasim/client/producer_listener.h"
#include "kafkasim/kafka/cluster_layout.h"
#include "kafkasim/kafka/cluster_observer.h"
#include "kafkasim/run/run_result.h"
#include "kafkasim/stats/latency_histogram.h"

namespace kafkasim {

/// What the producers did in one sampling interval of --series (SPEC.md "--series").
struct ProducerInterval {
  std::uint64_t acknowledged = 0;  // distinct records first acknowledged in the interval
  LatencyHistogram latency;        // their send()-to-acknowledgement latencies
};

class RunCounters final : public ClusterObserver {
 public:
  RunCounters(const ClusterLayout& layout, std::size_t producers, Instant scenario_start);

  // --- From the producers ----------------------------------------------------------------
  void on_send() { ++produced_; }
  /// A record of `producer` acknowledged for the first time, `latency` after its send().
  void on_first_acknowledgement(ProducerIndex producer, Duration latency);
  void on_failed(std::uint32_t records) { failed_ += records; }
  void on_abandoned(std::uint32_t records) { abandoned_ += records; }

  // --- From the cluster (ClusterObserver) -------------------------------------------------
  void on_isr_change(BrokerId leader, TopicPartition tp, const std::vector<BrokerId>& old_isr,
                     const std::vector<BrokerId>& new_isr, Instant now) override;
  void on_leader_election(BrokerId controller, TopicPartition tp, BrokerId leader,
                          LeaderEpoch epoch, const std::vector<BrokerId>& isr, ElectionKind kind,
                          const std::string& why, Instant now) override;
  void on_controller_isr_removal(BrokerId controller, TopicPartition tp,
                                 const std::vector<BrokerId>& removed, Instant now) override;
  void on_controller_elected(BrokerId controller, ControllerEpoch epoch, Instant now) override;
  void on_broker_up(BrokerId broker, bool up, Instant now) override;

  /// From now on, count each producer's acknowledgements per interval (for --series); off by
  /// default, so a run without --series pays nothing.
  void enable_intervals();
  /// What `producer` did since the last call (or since enable_intervals), and starts anew.
  /// Precondition: enable_intervals() was called.
  ProducerInterval& interval(ProducerIndex producer);

  /// Records the producers still hold: sent, and neither acknowledged, failed nor abandoned.
  std::uint64_t pending() const { return produced_ - acknowledged_ - failed_ - abandoned_; }

  /// The counts at `end` into `result` (the run's end: partitions still offline count until
  /// then).
  void finish(Instant end, RunResult& result);

 private:
  /// Brings offline_since_ up to date after a change of leaders_ or broker_up_: afterwards
  /// offline_since_[i] is never() exactly when partition i has a live leader.
  void update_offline(Instant now);
  /// The same for partition `index` alone: enough when only its leader changed.
  void update_offline(std::size_t index, Instant now);

  const ClusterLayout& layout_;
  std::size_t producers_;
  Instant scenario_start_;

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
  std::uint64_t controller_isr_removals_ = 0;

  std::vector<BrokerId> leaders_;       // by partition, as the controller last wrote
  std::vector<bool> broker_up_;         // by position in layout.brokers
  std::vector<Instant> offline_since_;  // by partition; never() when online
  Duration offline_total_{0};
  std::vector<ProducerInterval> intervals_;  // by producer; empty unless enable_intervals()
};

}  // namespace kafkasim
