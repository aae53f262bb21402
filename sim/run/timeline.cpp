#include "kafkasim/run/timeline.h"

#include <algorithm>
#include <cassert>
#include <cstdio>

namespace kafkasim {

namespace {

std::uint64_t count_records(const std::vector<RecordBatch>& batches) {
  std::uint64_t n = 0;
  for (const RecordBatch& b : batches)
    n += b.record_count;
  return n;
}

}  // namespace

Timeline::Timeline(const ClusterLayout& layout, Instant scenario_start, const LossChecker& losses)
    : layout_(layout), scenario_start_(scenario_start), losses_(losses) {}

std::string Timeline::when(Instant now) const {
  char text[32];
  std::snprintf(text, sizeof text, "%9.3f s", to_ms(now - scenario_start_) / 1000.0);
  return text;
}

std::string Timeline::when_short(Instant at) const {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", to_ms(at - scenario_start_) / 1000.0);
  return text;
}

void Timeline::note(Instant now, const std::string& line) {
  note(now, "note", std::nullopt, line);
}

void Timeline::note(Instant now, std::string_view label, std::optional<NodeId> node,
                    const std::string& line) {
  if (now < scenario_start_) return;  // the cluster's boot is not part of the story
  flush_scheduled(now);
  write(now, label, node, line);
}

void Timeline::write(Instant now, std::string_view label, std::optional<NodeId> node,
                     const std::string& line) {
  lines_.push_back(when(now) + "  " + line);
  if (listener_ != nullptr) listener_->on_note(now, label, node, line);
}

void Timeline::schedule_note(Instant at, std::string_view label, std::optional<NodeId> node,
                             std::string line) {
  // Scheduled before the run, so nothing of it has been written yet.
  assert(next_scheduled_ == 0 && lines_.empty());
  if (at < scenario_start_) return;
  const auto later = std::upper_bound(scheduled_.begin(), scheduled_.end(), at,
                                      [](Instant t, const ScheduledNote& n) { return t < n.at; });
  scheduled_.insert(later, ScheduledNote{at, std::string(label), node, std::move(line)});
}

void Timeline::flush_scheduled(Instant now) {
  for (; next_scheduled_ < scheduled_.size() && scheduled_[next_scheduled_].at <= now;
       ++next_scheduled_) {
    const ScheduledNote& n = scheduled_[next_scheduled_];
    write(n.at, n.label, n.node, n.line);
  }
}

void Timeline::on_truncation(BrokerId broker, TopicPartition tp,
                             const std::vector<RecordBatch>& removed, TruncationReason reason,
                             Instant now) {
  if (now < scenario_start_) return;
  // Why the records went, in the words of the rule that removed them.
  const char* why = "";
  switch (reason) {
    case TruncationReason::leader_epoch:
      why = "to its new leader's end offset for its last leader epoch, KIP-101";
      break;
    case TruncationReason::high_watermark:
      why = "to its own high watermark, the rule before Kafka 0.11";
      break;
    case TruncationReason::out_of_range:
      why = "it was ahead of its leader's log end: OFFSET_OUT_OF_RANGE";
      break;
    case TruncationReason::power_loss:
      why = "neither fsynced nor written back by the kernel when the power went";
      break;
  }
  const std::uint64_t records = count_records(removed);
  const std::uint64_t acknowledged = losses_.acknowledged_among(tp, removed);
  note(now, "truncation", node_of(broker),
       broker_name(broker) + " truncated " + std::to_string(records) + " record(s) of " +
           layout_.partition_name(tp) + " from offset " +
           std::to_string(removed.front().base_offset) + " (" + why + "); " +
           std::to_string(acknowledged) + " of them acknowledged to the producer at these offsets");
}

void Timeline::on_isr_change(BrokerId leader, TopicPartition tp,
                             const std::vector<BrokerId>& old_isr,
                             const std::vector<BrokerId>& new_isr, Instant now) {
  if (now < scenario_start_) return;
  const bool shrink = new_isr.size() < old_isr.size();
  // The leader's own ISR changes (Partition.maybeShrinkIsr / maybeExpandIsr in Kafka 2.4): a
  // follower leaves when it has not caught up within replica.lag.time.max.ms, and comes back
  // when its log end offset reaches the high watermark.
  note(now, shrink ? "ISR shrink" : "ISR expand", node_of(leader),
       broker_name(leader) + (shrink ? " shrank" : " expanded") + " the ISR of " +
           layout_.partition_name(tp) + " from " + broker_names(old_isr) + " to " +
           broker_names(new_isr) +
           (shrink ? " (not caught up within replica.lag.time.max.ms)"
                   : " (caught up with the high watermark)"));
}

void Timeline::on_isr_write_stall(BrokerId leader, TopicPartition tp,
                                  const std::vector<BrokerId>& old_isr,
                                  const std::vector<BrokerId>& new_isr, Instant write_started,
                                  std::size_t waiting, Instant now) {
  if (now < scenario_start_) return;
  // Partition.maybeShrinkIsr (and maybeExpandIsr) hold the partition's leaderIsrUpdateLock for
  // write while KafkaZkClient waits for ZooKeeper (retryRequestsUntilConnected);
  // appendRecordsToLeader and readRecords need it for read: every produce and fetch to the
  // partition waits, each holding a request handler thread.
  const bool shrink = new_isr.size() < old_isr.size();
  note(now, "ISR write stalls the partition", node_of(leader),
       broker_name(leader) + "'s ISR " + (shrink ? "shrink" : "expansion") + " of " +
           layout_.partition_name(tp) + " from " + broker_names(old_isr) + " to " +
           broker_names(new_isr) + ", written to ZooKeeper at " + when_short(write_started) +
           ", is unanswered: it holds the partition's lock, so produce and fetch requests to " +
           layout_.partition_name(tp) + " wait, each holding a request handler thread (" +
           std::to_string(waiting) + " waiting)");
}

void Timeline::on_isr_write_done(BrokerId leader, TopicPartition tp, bool applied,
                                 const std::string& outcome, std::size_t released,
                                 Instant first_blocked, Instant now) {
  if (now < scenario_start_) return;
  char stalled[32];
  std::snprintf(stalled, sizeof stalled, "%.3f s", to_ms(now - first_blocked) / 1000.0);
  note(now, "ISR write ends the stall", node_of(leader),
       broker_name(leader) + "'s ISR write for " + layout_.partition_name(tp) +
           (applied ? " succeeded" : " failed (" + outcome + "; the ISR is unchanged)") + ": the " +
           std::to_string(released) + " request(s) that waited for the lock, for up to " + stalled +
           ", go on");
}

void Timeline::on_leader_election(BrokerId controller, TopicPartition tp, BrokerId leader,
                                  LeaderEpoch epoch, const std::vector<BrokerId>& isr,
                                  ElectionKind kind, const std::string& why, Instant now) {
  if (now < scenario_start_) return;
  const std::string who = leader == kNoBroker ? "no leader" : broker_name(leader);
  note(now, kind == ElectionKind::unclean ? "unclean leader election" : "leader election",
       node_of(controller),
       "controller " + broker_name(controller) + ": " + layout_.partition_name(tp) + " -> " + who +
           " (" + std::string(to_string(kind)) + ", leader epoch " + std::to_string(epoch.value()) +
           ", ISR " + broker_names(isr) + "): " + why);
}

void Timeline::on_controller_isr_change(BrokerId controller, TopicPartition tp,
                                        const std::vector<BrokerId>& old_isr,
                                        const std::vector<BrokerId>& new_isr, LeaderEpoch epoch,
                                        const std::string& why, Instant now) {
  // Not an ISR shrink in Kafka's sense (IsrShrinksPerSec counts the leader's own): a note only.
  if (now < scenario_start_) return;
  note(now, "ISR change (controller)", node_of(controller),
       "controller " + broker_name(controller) + ": the ISR of " + layout_.partition_name(tp) +
           " goes from " + broker_names(old_isr) + " to " + broker_names(new_isr) +
           " (leader epoch " + std::to_string(epoch.value()) + "): " + why);
}

void Timeline::on_controller_elected(BrokerId controller, ControllerEpoch epoch, Instant now) {
  const BrokerId previous = controller_;
  controller_ = controller;
  if (now < scenario_start_) return;
  // KafkaController.elect: the first broker to create the ephemeral /controller znode after the
  // previous controller's went (its session ended, or it resigned) becomes controller.
  note(now, "controller election", node_of(controller),
       broker_name(controller) + " became controller (controller epoch " +
           std::to_string(epoch.value()) + "): it created /controller first" +
           (previous == kNoBroker    ? std::string()
            : previous == controller ? std::string("; it was the controller before too")
                                     : "; the previous controller was " + broker_name(previous)));
}

void Timeline::on_not_enough_replicas(BrokerId leader, TopicPartition tp, Errors error,
                                      Instant now) {
  if (reported_not_enough_replicas_ || now < scenario_start_) return;
  reported_not_enough_replicas_ = true;
  note(now, "NOT_ENOUGH_REPLICAS", node_of(leader),
       broker_name(leader) + " refused a write to " + layout_.partition_name(tp) + " with " +
           std::string(error_name(error)) + " (first time; the ISR is below min.insync.replicas)");
}

void Timeline::on_zk_session(BrokerId broker, bool expired, Instant now) {
  if (expired) {
    note(now, "session expired (broker learns)", node_of(broker),
         broker_name(broker) + " learned that its ZooKeeper session expired");
  }
}

void Timeline::on_shutdown_complete(BrokerId broker, std::uint32_t attempts, bool clean,
                                    std::optional<std::size_t> still_led, Instant now) {
  const std::string who = broker_name(broker);
  const std::string tries = std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
  std::string line;
  if (attempts == 0) {
    line = who +
           " stops without a controlled shutdown (controlled.shutdown.enable is false); "
           "its closed ZooKeeper session tells the controller at once";
  } else if (clean) {
    line = who + " stops: its controlled shutdown succeeded after " + tries +
           ", it leads no replicated partition";
  } else {
    line = who + " gives up its controlled shutdown after " + tries +
           " (controlled.shutdown.max.retries) and stops anyway, " +
           (still_led ? "still leading " + std::to_string(*still_led) + " partition(s)"
                      : std::string("never answered by the controller"));
  }
  note(now, "shutdown complete", node_of(broker), line);
}

void Timeline::on_leader_and_isr(BrokerId broker, const LeaderAndIsrReceipt& receipt, Instant now) {
  // The controller's decisions take effect on a broker only when its LeaderAndIsr arrives
  // (ReplicaManager.becomeLeaderOrFollower): until then the broker acts on what it knew.
  const std::string who = broker_name(broker);
  const std::string epoch = std::to_string(receipt.controller_epoch.value());
  if (receipt.stale_controller) {
    note(now, "LeaderAndIsr refused", node_of(broker),
         who + " refused a LeaderAndIsr of an older controller (controller epoch " + epoch +
             "): STALE_CONTROLLER_EPOCH");
    return;
  }
  std::string what;
  constexpr std::size_t kNamed = 4;  // then "and N more"
  for (std::size_t i = 0; i < receipt.applied.size() && i < kNamed; ++i) {
    const auto& [tp, leader] = receipt.applied[i];
    what += (i == 0 ? "" : "; ") + layout_.partition_name(tp) +
            (leader == broker      ? std::string(": leads it")
             : leader == kNoBroker ? std::string(": no leader")
                                   : ": follows " + broker_name(leader));
  }
  if (receipt.applied.size() > kNamed) {
    what += "; and " + std::to_string(receipt.applied.size() - kNamed) + " more partition(s)";
  }
  for (const auto& [tp, leader] : receipt.skipped) {
    what += (what.empty() ? "" : "; ") + layout_.partition_name(tp) + ": left as it was, its new " +
            (leader == kNoBroker ? std::string("leader is none")
                                 : "leader " + broker_name(leader) + " is not alive") +
            " (makeFollowers)";
  }
  if (what.empty()) what = "nothing new (no leader epoch newer than it knew)";
  note(now, "LeaderAndIsr applied", node_of(broker),
       who + " applied the controller's LeaderAndIsr (controller epoch " + epoch + "): " + what);
}

}  // namespace kafkasim
