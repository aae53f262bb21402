#include "kafkasim/run/ledger.h"

namespace kafkasim {

Ledger::Ledger(const ClusterLayout& layout, std::vector<std::string> producer_names,
               Instant scenario_start, HoldersQuery holders)
    : losses_(layout, producer_names, scenario_start, std::move(holders)),
      counters_(layout, producer_names.size(), scenario_start),
      timeline_(layout, scenario_start, losses_) {}

// --- Producers ---------------------------------------------------------------------------

void Ledger::on_send(ProducerIndex producer, TopicPartition tp, std::uint32_t sequence,
                     std::int64_t key, Instant /*now*/) {
  losses_.on_send(producer, tp, sequence, key);
  counters_.on_send();
}

void Ledger::on_acknowledged(const BatchOutcome& batch) {
  losses_.on_acknowledged(batch, [&](std::uint32_t i) {
    counters_.on_first_acknowledgement(batch.producer, batch.now - batch.send_times[i]);
  });
}

void Ledger::on_failed(const BatchOutcome& batch) {
  counters_.on_failed(batch.record_count);
}

void Ledger::on_abandoned(const BatchOutcome& batch) {
  counters_.on_abandoned(batch.record_count);
}

// --- The cluster ---------------------------------------------------------------------------

void Ledger::on_truncation(BrokerId broker, TopicPartition tp,
                           const std::vector<RecordBatch>& removed, TruncationReason reason,
                           Instant now) {
  losses_.on_truncation(broker, tp, removed, reason, now);
  timeline_.on_truncation(broker, tp, removed, reason, now);
}

void Ledger::on_isr_change(BrokerId leader, TopicPartition tp, const std::vector<BrokerId>& old_isr,
                           const std::vector<BrokerId>& new_isr, Instant now) {
  counters_.on_isr_change(leader, tp, old_isr, new_isr, now);
  timeline_.on_isr_change(leader, tp, old_isr, new_isr, now);
}

void Ledger::on_leader_election(BrokerId controller, TopicPartition tp, BrokerId leader,
                                LeaderEpoch epoch, const std::vector<BrokerId>& isr,
                                ElectionKind kind, const std::string& why, Instant now) {
  losses_.on_leader_election(controller, tp, leader, epoch, isr, kind, why, now);
  counters_.on_leader_election(controller, tp, leader, epoch, isr, kind, why, now);
  timeline_.on_leader_election(controller, tp, leader, epoch, isr, kind, why, now);
}

void Ledger::on_controller_isr_change(BrokerId controller, TopicPartition tp,
                                      const std::vector<BrokerId>& old_isr,
                                      const std::vector<BrokerId>& new_isr, LeaderEpoch epoch,
                                      const std::string& why, Instant now) {
  timeline_.on_controller_isr_change(controller, tp, old_isr, new_isr, epoch, why, now);
}

void Ledger::on_controller_isr_removal(BrokerId controller, TopicPartition tp,
                                       const std::vector<BrokerId>& removed, Instant now) {
  counters_.on_controller_isr_removal(controller, tp, removed, now);
}

void Ledger::on_controller_elected(BrokerId controller, ControllerEpoch epoch, Instant now) {
  counters_.on_controller_elected(controller, epoch, now);
  timeline_.on_controller_elected(controller, epoch, now);
}

void Ledger::on_isr_write_stall(BrokerId leader, TopicPartition tp,
                                const std::vector<BrokerId>& old_isr,
                                const std::vector<BrokerId>& new_isr, Instant write_started,
                                std::size_t waiting, Instant now) {
  timeline_.on_isr_write_stall(leader, tp, old_isr, new_isr, write_started, waiting, now);
}

void Ledger::on_isr_write_done(BrokerId leader, TopicPartition tp, bool applied,
                               const std::string& outcome, std::size_t released,
                               Instant first_blocked, Instant now) {
  timeline_.on_isr_write_done(leader, tp, applied, outcome, released, first_blocked, now);
}

void Ledger::on_not_enough_replicas(BrokerId leader, TopicPartition tp, Errors error, Instant now) {
  timeline_.on_not_enough_replicas(leader, tp, error, now);
}

void Ledger::on_zk_session(BrokerId broker, bool expired, Instant now) {
  timeline_.on_zk_session(broker, expired, now);
}

void Ledger::on_shutdown_complete(BrokerId broker, std::uint32_t attempts, bool clean,
                                  std::optional<std::size_t> still_led, Instant now) {
  timeline_.on_shutdown_complete(broker, attempts, clean, still_led, now);
}

void Ledger::on_broker_up(BrokerId broker, bool up, Instant now) {
  counters_.on_broker_up(broker, up, now);
}

void Ledger::finish(const std::vector<const std::deque<RecordBatch>*>& final_logs,
                    const std::vector<Offset>& final_high_watermarks, Instant end,
                    RunResult& result) {
  counters_.finish(end, result);
  timeline_.flush_scheduled(end);
  losses_.final_read(final_logs, final_high_watermarks, result);
  result.timeline = timeline_.lines();
}

}  // namespace kafkasim
