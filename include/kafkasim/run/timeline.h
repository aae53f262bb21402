// The run's timeline (SPEC.md "--timeline"): one line of English per notable event, from the
// scenario's time 0 on (the cluster's boot is not part of the story), each with its scenario
// time: faults (told by the fault layer through note()), elections, ISR changes, truncations,
// the first NOT_ENOUGH_REPLICAS, ZooKeeper session expiries and controlled shutdowns (told by
// the brokers and the controller). It never changes the simulation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafkasim/kafka/cluster_layout.h"
#include "kafkasim/kafka/cluster_observer.h"
#include "kafkasim/run/loss_checker.h"

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

class Timeline final : public ClusterObserver {
 public:
  /// `losses` tells a truncation line how many of the removed records had been acknowledged.
  Timeline(const ClusterLayout& layout, Instant scenario_start, const LossChecker& losses);

  /// A line at `now` about the whole cluster.
  void note(Instant now, const std::string& line);
  NodeId node_of(BrokerId broker) const { return layout_.node_of(broker); }
  /// A line at `now` about `node`; `label` names it briefly for a trace.
  void note(Instant now, std::string_view label, std::optional<NodeId> node,
            const std::string& line);
  /// A line known before the run starts (a scenario input, such as a producer's rate change):
  /// written at `at`, in time order among the others, as soon as a later line is written or
  /// the run ends (flush). No engine event carries it, so the simulation is the same with or
  /// without it, its event count included.
  void schedule_note(Instant at, std::string_view label, std::optional<NodeId> node,
                     std::string line);
  /// Writes the scheduled lines due at or before `now` (the run calls it at its end).
  void flush_scheduled(Instant now);
  void set_listener(TimelineListener* listener) { listener_ = listener; }
  /// Every line so far, "   16.005 s  <what happened>".
  const std::vector<std::string>& lines() const { return lines_; }

  // --- ClusterObserver -------------------------------------------------------------------
  void on_truncation(BrokerId broker, TopicPartition tp, const std::vector<RecordBatch>& removed,
                     TruncationReason reason, Instant now) override;
  void on_isr_change(BrokerId leader, TopicPartition tp, const std::vector<BrokerId>& old_isr,
                     const std::vector<BrokerId>& new_isr, Instant now) override;
  void on_isr_write_stall(BrokerId leader, TopicPartition tp, const std::vector<BrokerId>& old_isr,
                          const std::vector<BrokerId>& new_isr, Instant write_started,
                          std::size_t waiting, Instant now) override;
  void on_isr_write_done(BrokerId leader, TopicPartition tp, bool applied,
                         const std::string& outcome, std::size_t released, Instant first_blocked,
                         Instant now) override;
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
  void on_leader_and_isr(BrokerId broker, const LeaderAndIsrReceipt& receipt, Instant now) override;

 private:
  struct ScheduledNote {
    Instant at;
    std::string label;
    std::optional<NodeId> node;
    std::string line;
  };

  std::string when(Instant now) const;  // "   16.005 s", aligned
  void write(Instant now, std::string_view label, std::optional<NodeId> node,
             const std::string& line);
  std::string when_short(Instant at) const;  // "16.005 s"

  const ClusterLayout& layout_;
  Instant scenario_start_;
  const LossChecker& losses_;
  std::vector<std::string> lines_;
  TimelineListener* listener_ = nullptr;
  std::vector<ScheduledNote> scheduled_;  // by `at`, then in the order they were scheduled
  std::size_t next_scheduled_ = 0;
  bool reported_not_enough_replicas_ = false;
  BrokerId controller_ = kNoBroker;  // the last elected controller, boot included
};

}  // namespace kafkasim
