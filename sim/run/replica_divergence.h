// Replica divergence: where a replica's log holds other records than its leader's below the
// leader's high watermark. One walk over two logs serves both the committed-data invariant
// (invariants.h: the first such offset) and the final read's `diverged_offsets` (SPEC.md
// "Additions": how many offsets, per partition and in total). Under leader-epoch truncation
// (KIP-101, KIP-279) a follower that caught up never disagrees below the high watermark; under
// the pre-0.11 rule two hard failures can leave two replicas with different records at the same
// offsets for good (KIP-101's scenario 2).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim {

/// The offsets [from, to).
struct OffsetRange {
  Offset from = 0;
  Offset to = 0;
  friend bool operator==(const OffsetRange&, const OffsetRange&) = default;
};

/// The offsets below `high_watermark` (and below the end of both logs) where `replica`'s log
/// holds another record than `leader`'s (another producer, sequence, producer epoch or leader
/// epoch), or an offset the other log lacks, in increasing order, adjacent offsets merged.
std::vector<OffsetRange> divergent_ranges(const std::deque<RecordBatch>& leader,
                                          const std::deque<RecordBatch>& replica,
                                          Offset high_watermark);

/// The first offset of divergent_ranges, or nullopt when the logs agree.
std::optional<Offset> first_divergence(const std::deque<RecordBatch>& leader,
                                       const std::deque<RecordBatch>& replica,
                                       Offset high_watermark);

/// How many distinct offsets the ranges cover (ranges of several replicas may overlap: an offset
/// where two replicas differ from the leader counts once).
std::uint64_t offsets_covered(std::span<const OffsetRange> ranges);

}  // namespace kafkasim
