// The final read (SPEC.md "Report"): after settling, each partition is read from offset 0 to its
// leader's high watermark, as a consumer would; an acknowledged record missing from it is lost.
#include <algorithm>
#include <cassert>
#include <cstdio>
#include <map>

#include "kafkasim/run/loss_checker.h"

namespace kafkasim {

namespace {

/// "16.005 s": scenario time in a lost record's explanation.
std::string seconds(Duration since_start) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", to_ms(since_start) / 1000.0);
  return text;
}

}  // namespace

void LossChecker::final_read(const std::vector<const std::deque<RecordBatch>*>& final_logs,
                             const std::vector<Offset>& final_high_watermarks,
                             RunResult& result) const {
  assert(final_logs.size() == partitions_.size());
  assert(final_high_watermarks.size() == partitions_.size());
  for (std::size_t i = 0; i < partitions_.size(); ++i)
    read_partition(i, final_logs[i], final_high_watermarks[i], result);
}

void LossChecker::read_partition(std::size_t partition, const std::deque<RecordBatch>* log,
                                 Offset hw, RunResult& result) const {
  const std::size_t producers = producer_names_.size();
  std::vector<std::vector<std::uint8_t>> seen(producers);
  for (std::size_t p = 0; p < producers; ++p) {
    seen[p].assign(stream(p, partition).sent, 0);
  }
  if (log != nullptr) {
    // Reordering: a record read after a record of the same key (or, without keys, of the same
    // producer) that was sent later.
    // By producer: the latest sequence read of each key, or of the producer when it has no keys
    // (-1: none yet).
    std::vector<std::map<std::int32_t, std::uint32_t>> latest_by_key(producers);
    std::vector<std::int64_t> latest_keyless(producers, -1);
    for (const RecordBatch& batch : *log) {
      if (batch.base_offset >= hw) break;
      const std::size_t p = batch.producer.value();
      const Stream& s = stream(p, partition);
      const auto readable =
          static_cast<std::uint32_t>(std::min<Offset>(batch.record_count, hw - batch.base_offset));
      const bool keyless = s.keys.empty();
      if (keyless && static_cast<std::int64_t>(batch.first_sequence) > latest_keyless[p]) {
        // The common case, a batch after everything read of its producer: every record of it is
        // read for the first time, in order (every sequence seen so far is <= the latest).
        const std::size_t end = std::min<std::size_t>(
            static_cast<std::size_t>(batch.first_sequence) + readable, seen[p].size());
        if (end > batch.first_sequence) {
          std::fill(seen[p].begin() + batch.first_sequence, seen[p].begin() + end, 1);
          latest_keyless[p] = static_cast<std::int64_t>(end - 1);
        }
        continue;
      }
      for (std::uint32_t r = 0; r < readable; ++r) {
        const std::uint32_t seq = batch.first_sequence + r;
        if (seq >= seen[p].size()) continue;
        if (seen[p][seq] < 255) ++seen[p][seq];
        if (seen[p][seq] > 1) {
          ++result.duplicates;
          continue;
        }
        if (keyless) {
          if (latest_keyless[p] >= 0 && seq < latest_keyless[p]) {
            ++result.reordered;
          } else {
            latest_keyless[p] = seq;
          }
          continue;
        }
        auto [it, inserted] = latest_by_key[p].try_emplace(s.keys[seq], seq);
        if (!inserted) {
          if (seq < it->second) {
            ++result.reordered;
          } else {
            it->second = seq;
          }
        }
      }
    }
  }
  std::uint64_t lost = 0;
  Instant lost_from = Instant::never();
  Instant lost_to = Instant::start();
  for (std::size_t p = 0; p < producers; ++p) {
    const Stream& s = stream(p, partition);
    std::uint64_t lost_here = 0;
    for (std::uint32_t seq = 0; seq < s.sent; ++seq) {
      if (!s.acknowledged[seq] || seen[p][seq] > 0) continue;
      ++lost_here;
      if (result.lost_examples.size() >= 10) continue;
      for (const AckRecord& ack : s.acks) {
        if (seq >= ack.first_sequence && seq < ack.first_sequence + ack.record_count) {
          result.lost_examples.push_back(
              explain_loss(partition, ProducerIndex(static_cast<std::uint32_t>(p)), seq, ack));
          break;
        }
      }
    }
    lost += lost_here;
    if (lost_here == 0) continue;
    // When the lost records were acknowledged: one pass over the acknowledgements (a lookup per
    // lost record would cost a scan of them each).
    for (const AckRecord& ack : s.acks) {
      for (std::uint32_t seq = ack.first_sequence; seq < ack.first_sequence + ack.record_count;
           ++seq) {
        if (seq < s.sent && s.acknowledged[seq] && seen[p][seq] == 0) {
          lost_from = std::min(lost_from, ack.at);
          lost_to = std::max(lost_to, ack.at);
        }
      }
    }
  }
  result.lost_acknowledged += lost;
  PartitionReport report;
  report.name = layout_.partition_name(partitions_[partition]);
  report.lost_acknowledged = lost;
  if (lost > 0) {
    report.lost_acknowledged_from_ms = to_ms(lost_from - scenario_start_);
    report.lost_acknowledged_to_ms = to_ms(lost_to - scenario_start_);
  }
  result.partitions.push_back(std::move(report));
}

LostExample LossChecker::explain_loss(std::size_t partition, ProducerIndex producer,
                                      std::uint32_t sequence, const AckRecord& ack) const {
  const TopicPartition tp = partitions_[partition];
  LostExample example;
  example.partition = layout_.partition_name(tp);
  example.id =
      producer_names_[producer.value()] + "/" + example.partition + "/" + std::to_string(sequence);
  example.offset = ack.base_offset < 0 ? -1 : ack.base_offset + (sequence - ack.first_sequence);
  example.acknowledged_at_ms = to_ms(ack.at - scenario_start_);
  const std::vector<BrokerId>& replicas = layout_.replicas(tp);
  for (std::size_t r = 0; r < replicas.size() && r < 64; ++r) {
    if (ack.holders & (std::uint64_t{1} << r)) example.held_by.push_back(broker_name(replicas[r]));
  }
  for (const Removal& removal : removals_[partition]) {
    const RecordBatch& b = removal.batch;
    if (b.producer != producer || sequence < b.first_sequence ||
        sequence >= b.first_sequence + b.record_count) {
      continue;
    }
    if (!example.removed_by.empty()) example.removed_by += "; ";
    example.removed_by += broker_name(removal.broker) + " " +
                          std::string(to_string(removal.reason)) + " truncation at " +
                          seconds(removal.at - scenario_start_);
  }
  if (example.removed_by.empty()) {
    example.removed_by =
        no_leader_[partition]
            ? "the partition had no leader at the end (offline)"
            : "no replica that had it became leader: the final leader never had it";
  }
  return example;
}

}  // namespace kafkasim
