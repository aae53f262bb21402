// What the run hears from the brokers about their partitions, without __consumer_offsets: the
// ledger, the loss checker, the counters and the report know the scenario's topics only (the
// run's layout), while the brokers also host the internal topic the group coordinator writes to
// (the brokers' layout; group_coordinator.h). Events about an internal partition stop here; the
// group coordinator tells its own story (on_group_event). Everything else passes as it came.
#pragma once

#include <algorithm>

#include "kafkasim/kafka/cluster_observer.h"

namespace kafkasim {

class InternalTopicFilter final : public ClusterObserver {
 public:
  /// Topics at `first_internal` and above are internal (they follow the scenario's topics).
  InternalTopicFilter(ClusterObserver& next, std::uint32_t first_internal)
      : next_(next), first_internal_(first_internal) {}

  void on_truncation(BrokerId broker, TopicPartition tp, const std::vector<RecordBatch>& removed,
                     TruncationReason reason, Instant now) override {
    if (user(tp)) next_.on_truncation(broker, tp, removed, reason, now);
  }
  void on_isr_change(BrokerId leader, TopicPartition tp, const std::vector<BrokerId>& old_isr,
                     const std::vector<BrokerId>& new_isr, Instant now) override {
    if (user(tp)) next_.on_isr_change(leader, tp, old_isr, new_isr, now);
  }
  void on_isr_write_stall(BrokerId leader, TopicPartition tp, const std::vector<BrokerId>& old_isr,
                          const std::vector<BrokerId>& new_isr, Instant write_started,
                          std::size_t waiting, Instant now) override {
    if (user(tp)) {
      next_.on_isr_write_stall(leader, tp, old_isr, new_isr, write_started, waiting, now);
    }
  }
  void on_isr_write_done(BrokerId leader, TopicPartition tp, bool applied,
                         const std::string& outcome, std::size_t released, Instant first_blocked,
                         Instant now) override {
    if (user(tp))
      next_.on_isr_write_done(leader, tp, applied, outcome, released, first_blocked, now);
  }
  void on_leader_election(BrokerId controller, TopicPartition tp, BrokerId leader,
                          LeaderEpoch epoch, const std::vector<BrokerId>& isr, ElectionKind kind,
                          const std::string& why, Instant now) override {
    if (user(tp)) next_.on_leader_election(controller, tp, leader, epoch, isr, kind, why, now);
  }
  void on_controller_isr_change(BrokerId controller, TopicPartition tp,
                                const std::vector<BrokerId>& old_isr,
                                const std::vector<BrokerId>& new_isr, LeaderEpoch epoch,
                                const std::string& why, Instant now) override {
    if (user(tp)) next_.on_controller_isr_change(controller, tp, old_isr, new_isr, epoch, why, now);
  }
  void on_controller_isr_removal(BrokerId controller, TopicPartition tp,
                                 const std::vector<BrokerId>& removed, Instant now) override {
    if (user(tp)) next_.on_controller_isr_removal(controller, tp, removed, now);
  }
  void on_controller_elected(BrokerId controller, ControllerEpoch epoch, Instant now) override {
    next_.on_controller_elected(controller, epoch, now);
  }
  void on_not_enough_replicas(BrokerId leader, TopicPartition tp, Errors error,
                              Instant now) override {
    if (user(tp)) next_.on_not_enough_replicas(leader, tp, error, now);
  }
  void on_zk_session(BrokerId broker, bool expired, Instant now) override {
    next_.on_zk_session(broker, expired, now);
  }
  void on_shutdown_complete(BrokerId broker, std::uint32_t attempts, bool clean,
                            std::optional<std::size_t> still_led, Instant now) override {
    next_.on_shutdown_complete(broker, attempts, clean, still_led, now);
  }
  void on_broker_up(BrokerId broker, bool up, Instant now) override {
    next_.on_broker_up(broker, up, now);
  }
  void on_group_event(BrokerId coordinator, const std::string& group, const std::string& line,
                      Instant now) override {
    next_.on_group_event(coordinator, group, line, now);
  }
  void on_leader_and_isr(BrokerId broker, const LeaderAndIsrReceipt& receipt,
                         Instant now) override {
    LeaderAndIsrReceipt mine = receipt;
    const auto internal = [this](const std::pair<TopicPartition, BrokerId>& p) {
      return !user(p.first);
    };
    std::erase_if(mine.applied, internal);
    std::erase_if(mine.skipped, internal);
    // A request about internal partitions only is no news to the run.
    if (mine.applied.empty() && mine.skipped.empty() && !receipt.stale_controller &&
        (!receipt.applied.empty() || !receipt.skipped.empty())) {
      return;
    }
    next_.on_leader_and_isr(broker, mine, now);
  }

 private:
  bool user(TopicPartition tp) const { return tp.topic.value() < first_internal_; }

  ClusterObserver& next_;
  std::uint32_t first_internal_;
};

}  // namespace kafkasim
