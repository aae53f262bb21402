#include "kafkasim/run/ledger.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace kafkasim {

namespace {

std::uint64_t count_records(const std::vector<RecordBatch>& batches) {
  std::uint64_t n = 0;
  for (const RecordBatch& b : batches)
    n += b.record_count;
  return n;
}

}  // namespace

Ledger::Ledger(const ClusterLayout& layout, std::vector<std::string> producer_names,
               Instant scenario_start, HoldersQuery holders)
    : layout_(layout),
      producer_names_(std::move(producer_names)),
      scenario_start_(scenario_start),
      holders_(std::move(holders)),
      partitions_(layout.all_partitions()),
      streams_(producer_names_.size() * partitions_.size()),
      removals_(partitions_.size()),
      leaders_(partitions_.size(), kNoBroker),
      broker_up_(layout.brokers.size(), true),
      offline_since_(partitions_.size(), Instant::start()) {}

Ledger::Stream& Ledger::stream(ProducerIndex producer, TopicPartition tp) {
  return streams_[producer.value() * partitions_.size() + layout_.partition_index(tp)];
}

std::string Ledger::when(Instant now) const {
  char text[32];
  std::snprintf(text, sizeof text, "%9.3f s", to_ms(now - scenario_start_) / 1000.0);
  return text;
}

std::string Ledger::seconds(Instant now) const {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", to_ms(now - scenario_start_) / 1000.0);
  return text;
}

void Ledger::note(Instant now, const std::string& line) {
  note(now, "note", std::nullopt, line);
}

void Ledger::note(Instant now, std::string_view label, std::optional<NodeId> node,
                  const std::string& line) {
  if (now < scenario_start_) return;  // the cluster's boot is not part of the story
  timeline_.push_back(when(now) + "  " + line);
  if (timeline_listener_ != nullptr) timeline_listener_->on_note(now, label, node, line);
}

void Ledger::enable_intervals() {
  intervals_.resize(producer_names_.size());
}

// --- Producers ---------------------------------------------------------------------------

void Ledger::on_send(ProducerIndex producer, TopicPartition tp, std::uint32_t sequence,
                     std::int64_t key, Instant /*now*/) {
  Stream& s = stream(producer, tp);
  // Sequences come in order, so this is a push_back; resize covers any gap.
  if (key >= 0) {
    if (s.keys.size() < sequence) s.keys.resize(sequence, -1);
    if (s.keys.size() == sequence) {
      s.keys.push_back(static_cast<std::int32_t>(key));
    } else {
      s.keys[sequence] = static_cast<std::int32_t>(key);
    }
  }
  if (s.acknowledged.size() < sequence) s.acknowledged.resize(sequence, false);
  if (s.acknowledged.size() == sequence) s.acknowledged.push_back(false);
  s.sent = std::max(s.sent, sequence + 1);
  ++produced_;
}

void Ledger::on_acknowledged(const BatchOutcome& batch) {
  Stream& s = stream(batch.producer, batch.tp);
  for (std::uint32_t i = 0; i < batch.record_count; ++i) {
    const std::uint32_t seq = batch.first_sequence + i;
    if (seq < s.acknowledged.size() && !s.acknowledged[seq]) {
      s.acknowledged[seq] = true;
      ++acknowledged_;
      latency_.record(batch.now - batch.send_times[i]);
      if (!intervals_.empty()) {
        ProducerInterval& interval = intervals_[batch.producer.value()];
        ++interval.acknowledged;
        interval.latency.record(batch.now - batch.send_times[i]);
      }
    }
  }
  const std::uint64_t holders =
      batch.base_offset >= 0 && holders_ ? holders_(batch.tp, batch.base_offset) : 0;
  s.acks.push_back(
      {batch.first_sequence, batch.record_count, batch.base_offset, batch.now, holders});
}

void Ledger::on_failed(const BatchOutcome& batch) {
  failed_ += batch.record_count;
}

void Ledger::on_abandoned(const BatchOutcome& batch) {
  abandoned_ += batch.record_count;
}

// --- The cluster ---------------------------------------------------------------------------

std::uint64_t Ledger::acknowledged_among(TopicPartition tp,
                                         const std::vector<RecordBatch>& removed) {
  // A removed record counts when the producer was told it sits at that very offset: a copy
  // acknowledged elsewhere (a retry to the new leader) is not lost with this one. With acks=0
  // the producer learns no offset, so there any acknowledgement of the record counts.
  std::map<std::pair<std::uint32_t, std::uint32_t>, Offset> offsets;  // (producer, seq) -> offset
  for (const RecordBatch& b : removed) {
    for (std::uint32_t i = 0; i < b.record_count; ++i)
      offsets.emplace(std::pair{b.producer.value(), b.first_sequence + i}, b.base_offset + i);
  }
  std::uint64_t acknowledged = 0;
  for (std::uint32_t p = 0; p < producer_names_.size(); ++p) {
    const auto first = offsets.lower_bound({p, 0});
    if (first == offsets.end() || first->first.first != p) continue;
    for (const AckRecord& ack : stream(ProducerIndex(p), tp).acks) {
      for (std::uint32_t i = 0; i < ack.record_count; ++i) {
        auto it = offsets.find({p, ack.first_sequence + i});
        if (it == offsets.end() || (ack.base_offset >= 0 && ack.base_offset + i != it->second)) {
          continue;
        }
        ++acknowledged;
        offsets.erase(it);  // counted once, whatever the acknowledgements of it
      }
    }
  }
  return acknowledged;
}

void Ledger::on_truncation(BrokerId broker, TopicPartition tp,
                           const std::vector<RecordBatch>& removed, TruncationReason reason,
                           Instant now) {
  std::vector<Removal>& list = removals_[layout_.partition_index(tp)];
  for (const RecordBatch& b : removed)
    list.push_back({now, broker, reason, b});
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
  const std::uint64_t acknowledged = acknowledged_among(tp, removed);
  note(now, "truncation", node_of(broker),
       broker_name(broker) + " truncated " + std::to_string(records) + " record(s) of " +
           layout_.partition_name(tp) + " from offset " +
           std::to_string(removed.front().base_offset) + " (" + why + "); " +
           std::to_string(acknowledged) + " of them acknowledged to the producer at these offsets");
}

void Ledger::on_isr_change(BrokerId leader, TopicPartition tp, const std::vector<BrokerId>& old_isr,
                           const std::vector<BrokerId>& new_isr, Instant now) {
  if (now < scenario_start_) return;
  const bool shrink = new_isr.size() < old_isr.size();
  (shrink ? isr_shrinks_ : isr_expands_) += 1;
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

void Ledger::on_leader_election(BrokerId controller, TopicPartition tp, BrokerId leader,
                                LeaderEpoch epoch, const std::vector<BrokerId>& isr,
                                ElectionKind kind, const std::string& why, Instant now) {
  leaders_[layout_.partition_index(tp)] = leader;
  update_offline(now);
  if (now < scenario_start_) return;
  if (kind != ElectionKind::none_available) ++leader_elections_;
  if (kind == ElectionKind::unclean) ++unclean_leader_elections_;
  const std::string who = leader == kNoBroker ? "no leader" : broker_name(leader);
  note(now, kind == ElectionKind::unclean ? "unclean leader election" : "leader election",
       node_of(controller),
       "controller " + broker_name(controller) + ": " + layout_.partition_name(tp) + " -> " + who +
           " (" + std::string(to_string(kind)) + ", leader epoch " + std::to_string(epoch.value()) +
           ", ISR " + broker_names(isr) + "): " + why);
}

void Ledger::on_controller_isr_change(BrokerId controller, TopicPartition tp,
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

void Ledger::on_controller_elected(BrokerId controller, ControllerEpoch epoch, Instant now) {
  const BrokerId previous = controller_;
  controller_ = controller;
  if (now < scenario_start_) return;
  ++controller_elections_;
  // KafkaController.elect: the first broker to create the ephemeral /controller znode after the
  // previous controller's went (its session ended, or it resigned) becomes controller.
  note(now, "controller election", node_of(controller),
       broker_name(controller) + " became controller (controller epoch " +
           std::to_string(epoch.value()) + "): it created /controller first" +
           (previous == kNoBroker    ? std::string()
            : previous == controller ? std::string("; it was the controller before too")
                                     : "; the previous controller was " + broker_name(previous)));
}

void Ledger::on_not_enough_replicas(BrokerId leader, TopicPartition tp, Errors error, Instant now) {
  if (reported_not_enough_replicas_ || now < scenario_start_) return;
  reported_not_enough_replicas_ = true;
  note(now, "NOT_ENOUGH_REPLICAS", node_of(leader),
       broker_name(leader) + " refused a write to " + layout_.partition_name(tp) + " with " +
           std::string(error_name(error)) + " (first time; the ISR is below min.insync.replicas)");
}

void Ledger::on_zk_session(BrokerId broker, bool expired, Instant now) {
  if (expired) {
    note(now, "session expired (broker learns)", node_of(broker),
         broker_name(broker) + " learned that its ZooKeeper session expired");
  }
}

void Ledger::on_shutdown_complete(BrokerId broker, std::uint32_t attempts, bool clean,
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

void Ledger::on_broker_up(BrokerId broker, bool up, Instant now) {
  broker_up_[layout_.broker_position(broker)] = up;
  update_offline(now);
}

void Ledger::update_offline(Instant now) {
  for (std::size_t i = 0; i < partitions_.size(); ++i) {
    const BrokerId leader = leaders_[i];
    const bool online = leader != kNoBroker && broker_up_[layout_.broker_position(leader)];
    if (online && offline_since_[i] != Instant::never()) {
      const Instant from = std::max(offline_since_[i], scenario_start_);
      if (now > from) offline_total_ += now - from;
      offline_since_[i] = Instant::never();
    } else if (!online && offline_since_[i] == Instant::never()) {
      offline_since_[i] = now;
    }
  }
}

}  // namespace kafkasim
