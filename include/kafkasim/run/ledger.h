// The run's ledger: what the producers and the cluster tell the run, passed to its three parts,
// each in its own file:
//   - the LossChecker: every record's fate, and the final read (lost, duplicated, reordered);
//   - the Timeline: one line of English per notable event;
//   - the RunCounters: produced, acknowledged, latencies, elections, ISR changes, offline time.
// The model sees one ProducerListener and one ClusterObserver; the ledger never changes the
// simulation. Memory: the LossChecker's (per record); latencies go to histograms, never lists.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafkasim/client/producer_listener.h"
#include "kafkasim/kafka/cluster_layout.h"
#include "kafkasim/kafka/cluster_observer.h"
#include "kafkasim/run/loss_checker.h"
#include "kafkasim/run/run_counters.h"
#include "kafkasim/run/run_result.h"
#include "kafkasim/run/timeline.h"

namespace kafkasim {

class Ledger final : public ProducerListener, public ClusterObserver {
 public:
  using HoldersQuery = LossChecker::HoldersQuery;

  Ledger(const ClusterLayout& layout, std::vector<std::string> producer_names,
         Instant scenario_start, HoldersQuery holders);

  LossChecker& losses() { return losses_; }
  Timeline& timeline() { return timeline_; }
  RunCounters& counters() { return counters_; }

  // --- ProducerListener ------------------------------------------------------------------
  void on_send(ProducerIndex producer, TopicPartition tp, std::uint32_t sequence, std::int64_t key,
               Instant now) override;
  void on_acknowledged(const BatchOutcome& batch) override;
  void on_failed(const BatchOutcome& batch) override;
  void on_abandoned(const BatchOutcome& batch) override;

  // --- ClusterObserver: to each part, the loss checker first ------------------------------
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
  void on_controller_isr_removal(BrokerId controller, TopicPartition tp,
                                 const std::vector<BrokerId>& removed, Instant now) override;
  void on_controller_elected(BrokerId controller, ControllerEpoch epoch, Instant now) override;
  void on_not_enough_replicas(BrokerId leader, TopicPartition tp, Errors error,
                              Instant now) override;
  void on_zk_session(BrokerId broker, bool expired, Instant now) override;
  void on_shutdown_complete(BrokerId broker, std::uint32_t attempts, bool clean,
                            std::optional<std::size_t> still_led, Instant now) override;
  void on_broker_up(BrokerId broker, bool up, Instant now) override;
  void on_leader_and_isr(BrokerId broker, const LeaderAndIsrReceipt& receipt,
                         Instant now) override {
    timeline_.on_leader_and_isr(broker, receipt, now);
  }
  /// "group coordinator" lines: broker-2, coordinator of group "billing": ...
  void on_group_event(BrokerId coordinator, const std::string& group, const std::string& line,
                      Instant now) override {
    timeline_.note(
        now, "group coordinator", timeline_.node_of(coordinator),
        broker_name(coordinator) + ", coordinator of group \"" + group + "\": group " + line);
  }

  // --- From the fault layer and the recorders (kept here so they need not know the parts) --
  void note(Instant now, const std::string& line) { timeline_.note(now, line); }
  void note(Instant now, std::string_view label, std::optional<NodeId> node,
            const std::string& line) {
    timeline_.note(now, label, node, line);
  }
  void set_timeline_listener(TimelineListener* listener) { timeline_.set_listener(listener); }
  void enable_intervals() { counters_.enable_intervals(); }
  ProducerInterval& interval(ProducerIndex producer) { return counters_.interval(producer); }

  /// The run's end: the counters, the final read (see LossChecker::final_read) and the
  /// timeline into `result`.
  void finish(const std::vector<const std::deque<RecordBatch>*>& final_logs,
              const std::vector<Offset>& final_high_watermarks, Instant end, RunResult& result);

 private:
  LossChecker losses_;
  RunCounters counters_;
  Timeline timeline_;
};

}  // namespace kafkasim
