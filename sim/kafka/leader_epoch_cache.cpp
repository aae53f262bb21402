#include "kafkasim/kafka/leader_epoch_cache.h"

namespace kafkasim {

void LeaderEpochCache::assign(LeaderEpoch epoch, Offset start_offset) {
  // LeaderEpochFileCache.assign: a new entry is needed for a new epoch, or for the same epoch
  // starting earlier; entries that would break monotonicity (an epoch >= the new one, or a
  // start >= the new start) are removed first (maybeTruncateNonMonotonicEntries).
  if (!entries_.empty() && entries_.back().epoch == epoch &&
      entries_.back().start_offset <= start_offset) {
    return;
  }
  while (!entries_.empty() &&
         (entries_.back().epoch >= epoch || entries_.back().start_offset >= start_offset)) {
    entries_.pop_back();
  }
  entries_.push_back({epoch, start_offset});
}

std::optional<EpochEntry> LeaderEpochCache::latest() const {
  if (entries_.empty()) return std::nullopt;
  return entries_.back();
}

std::pair<LeaderEpoch, Offset> LeaderEpochCache::end_offset_for(LeaderEpoch requested,
                                                                Offset log_end_offset) const {
  // LeaderEpochFileCache.endOffsetFor.
  if (requested == kNoLeaderEpoch || entries_.empty()) return {kNoLeaderEpoch, -1};
  if (requested == entries_.back().epoch) return {requested, log_end_offset};
  if (requested > entries_.back().epoch) return {kNoLeaderEpoch, -1};
  // The first entry with a larger epoch, and the one before it (the floor), if any.
  std::size_t higher = 0;
  while (entries_[higher].epoch <= requested)
    ++higher;
  if (higher == 0) return {requested, entries_[0].start_offset};
  return {entries_[higher - 1].epoch, entries_[higher].start_offset};
}

void LeaderEpochCache::truncate_from_end(Offset offset) {
  while (!entries_.empty() && entries_.back().start_offset >= offset)
    entries_.pop_back();
}

}  // namespace kafkasim
