#include "kafkasim/run/loss_checker.h"

#include <algorithm>
#include <cassert>
#include <map>

namespace kafkasim {

LossChecker::LossChecker(const ClusterLayout& layout, std::vector<std::string> producer_names,
                         Instant scenario_start, HoldersQuery holders)
    : layout_(layout),
      producer_names_(std::move(producer_names)),
      scenario_start_(scenario_start),
      holders_(std::move(holders)),
      partitions_(layout.all_partitions()),
      streams_(producer_names_.size() * partitions_.size()),
      removals_(partitions_.size()),
      no_leader_(partitions_.size(), true) {}

LossChecker::Stream& LossChecker::stream(ProducerIndex producer, TopicPartition tp) {
  assert(producer.value() < producer_names_.size());
  return streams_[producer.value() * partitions_.size() + layout_.partition_index(tp)];
}

const LossChecker::Stream& LossChecker::stream(std::size_t producer, std::size_t partition) const {
  return streams_[producer * partitions_.size() + partition];
}

void LossChecker::on_send(ProducerIndex producer, TopicPartition tp, std::uint32_t sequence,
                          std::int64_t key) {
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
}

void LossChecker::on_truncation(BrokerId broker, TopicPartition tp,
                                const std::vector<RecordBatch>& removed, TruncationReason reason,
                                Instant now) {
  // Kept from the boot on: a lost record's explanation names every removal of it.
  std::vector<Removal>& list = removals_[layout_.partition_index(tp)];
  for (const RecordBatch& b : removed)
    list.push_back({now, broker, reason, b});
}

void LossChecker::on_leader_election(BrokerId /*controller*/, TopicPartition tp, BrokerId leader,
                                     LeaderEpoch /*epoch*/, const std::vector<BrokerId>& /*isr*/,
                                     ElectionKind /*kind*/, const std::string& /*why*/,
                                     Instant /*now*/) {
  no_leader_[layout_.partition_index(tp)] = leader == kNoBroker;
}

std::uint64_t LossChecker::acknowledged_among(TopicPartition tp,
                                              const std::vector<RecordBatch>& removed) const {
  // A removed record counts when the producer was told it sits at that very offset: a copy
  // acknowledged elsewhere (a retry to the new leader) is not lost with this one. With acks=0
  // the producer learns no offset, so there any acknowledgement of the record counts.
  std::map<std::pair<std::uint32_t, std::uint32_t>, Offset> offsets;  // (producer, seq) -> offset
  for (const RecordBatch& b : removed) {
    for (std::uint32_t i = 0; i < b.record_count; ++i)
      offsets.emplace(std::pair{b.producer.value(), b.first_sequence + i}, b.base_offset + i);
  }
  const std::size_t partition = layout_.partition_index(tp);
  std::uint64_t acknowledged = 0;
  for (std::uint32_t p = 0; p < producer_names_.size(); ++p) {
    const auto first = offsets.lower_bound({p, 0});
    if (first == offsets.end() || first->first.first != p) continue;
    for (const AckRecord& ack : stream(p, partition).acks) {
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

}  // namespace kafkasim
