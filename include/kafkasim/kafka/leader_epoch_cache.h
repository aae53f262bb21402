// The leader epoch cache of one replica's log (core/src/main/scala/kafka/server/epoch/
// LeaderEpochFileCache.scala, KIP-101): for each leader epoch seen in the log, the offset of its
// first record. A new follower asks its leader for the end offset of its own latest epoch and
// truncates there, instead of to its high watermark, which is what loses acknowledged data in
// KIP-101's scenarios.
#pragma once

#include <optional>
#include <vector>

#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim {

struct EpochEntry {
  LeaderEpoch epoch;
  Offset start_offset = 0;
  bool operator==(const EpochEntry&) const = default;
};

class LeaderEpochCache {
 public:
  /// Records that `epoch` starts at `start_offset` (LeaderEpochFileCache.assign).
  void assign(LeaderEpoch epoch, Offset start_offset);

  std::optional<EpochEntry> latest() const;

  /// The answer to OffsetsForLeaderEpoch for `requested` (LeaderEpochFileCache.endOffsetFor, as
  /// of KIP-279): the largest epoch <= `requested` and the offset where the next epoch starts,
  /// or `log_end_offset` when `requested` is the latest epoch; (requested, first start) when it
  /// is older than every entry; (kNoLeaderEpoch, -1), UNDEFINED_EPOCH_OFFSET, when unknown.
  std::pair<LeaderEpoch, Offset> end_offset_for(LeaderEpoch requested, Offset log_end_offset) const;

  /// Drops the entries that start at or after `offset` (the log was truncated there).
  void truncate_from_end(Offset offset);

  const std::vector<EpochEntry>& entries() const { return entries_; }

 private:
  std::vector<EpochEntry> entries_;  // ascending by epoch and by start offset
};

}  // namespace kafkasim
