#include "replica_divergence.h"

#include <algorithm>
#include <cassert>

namespace kafkasim {

namespace {

/// Walks a log record by record, in offset order; skips a whole batch when it can.
class RecordCursor {
 public:
  explicit RecordCursor(const std::deque<RecordBatch>& log) : log_(log) {}
  bool done() const { return batch_ == log_.size(); }
  Offset offset() const { return log_[batch_].base_offset + index_; }
  /// Whether the record here is the record `other` is at.
  bool same_record(const RecordCursor& other) const {
    const RecordBatch& a = log_[batch_];
    const RecordBatch& b = other.log_[other.batch_];
    return a.producer == b.producer &&
           a.first_sequence + index_ == b.first_sequence + other.index_ &&
           a.producer_epoch == b.producer_epoch && a.leader_epoch == b.leader_epoch;
  }
  /// Whether both cursors stand at the start of the same batch (the same records at the same
  /// offsets): then the whole batch agrees.
  bool same_whole_batch(const RecordCursor& other) const {
    if (index_ != 0 || other.index_ != 0) return false;
    const RecordBatch& a = log_[batch_];
    const RecordBatch& b = other.log_[other.batch_];
    return a.base_offset == b.base_offset && a.record_count == b.record_count &&
           same_record(other);
  }
  Offset batch_end() const { return log_[batch_].base_offset + log_[batch_].record_count; }
  void next() {
    if (++index_ < log_[batch_].record_count) return;
    index_ = 0;
    ++batch_;
  }
  void next_batch() {
    index_ = 0;
    ++batch_;
  }

 private:
  const std::deque<RecordBatch>& log_;
  std::size_t batch_ = 0;
  std::uint32_t index_ = 0;
};

/// The walk both functions share; stops after the first range when `first_only`.
std::vector<OffsetRange> walk(const std::deque<RecordBatch>& leader,
                              const std::deque<RecordBatch>& replica, Offset high_watermark,
                              bool first_only) {
  std::vector<OffsetRange> ranges;
  const auto diverged_at = [&ranges](Offset offset) {
    if (!ranges.empty() && ranges.back().to == offset) {
      ++ranges.back().to;
    } else {
      ranges.push_back({offset, offset + 1});
    }
  };
  RecordCursor a(leader);
  RecordCursor b(replica);
  while (!a.done() && !b.done()) {
    const Offset offset = std::min(a.offset(), b.offset());
    if (offset >= high_watermark) break;
    if (first_only && !ranges.empty() && ranges.back().to <= offset) break;
    if (a.same_whole_batch(b) && a.batch_end() <= high_watermark) {
      a.next_batch();
      b.next_batch();
      continue;
    }
    // A log holds every offset from its start: an offset one log has and the other lacks
    // (below both ends) is a divergence as much as a different record.
    if (a.offset() != b.offset()) {
      diverged_at(offset);
      if (a.offset() < b.offset()) {
        a.next();
      } else {
        b.next();
      }
      continue;
    }
    if (!a.same_record(b)) diverged_at(offset);
    a.next();
    b.next();
  }
  if (first_only && ranges.size() > 1) ranges.resize(1);
  return ranges;
}

}  // namespace

std::vector<OffsetRange> divergent_ranges(const std::deque<RecordBatch>& leader,
                                          const std::deque<RecordBatch>& replica,
                                          Offset high_watermark) {
  return walk(leader, replica, high_watermark, false);
}

std::optional<Offset> first_divergence(const std::deque<RecordBatch>& leader,
                                       const std::deque<RecordBatch>& replica,
                                       Offset high_watermark) {
  const std::vector<OffsetRange> first = walk(leader, replica, high_watermark, true);
  if (first.empty()) return std::nullopt;
  return first.front().from;
}

std::uint64_t offsets_covered(std::span<const OffsetRange> ranges) {
  std::vector<OffsetRange> sorted(ranges.begin(), ranges.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const OffsetRange& x, const OffsetRange& y) { return x.from < y.from; });
  std::uint64_t covered = 0;
  Offset end = 0;  // offsets below `end` are counted
  for (const OffsetRange& r : sorted) {
    assert(r.from <= r.to);
    const Offset from = std::max(r.from, end);
    if (r.to > from) covered += static_cast<std::uint64_t>(r.to - from);
    end = std::max(end, r.to);
  }
  return covered;
}

}  // namespace kafkasim
