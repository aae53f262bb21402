// Record batches as the run tests write them by hand: producer `producer`'s records
// first..first+count-1 at offsets base.., in `leader_epoch`.
#pragma once

#include <cstdint>

#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim::test {

inline RecordBatch batch(std::uint32_t producer, std::uint32_t first, std::uint32_t count,
                         Offset base, std::int32_t leader_epoch = 0) {
  RecordBatch b;
  b.producer = ProducerIndex(producer);
  b.first_sequence = first;
  b.record_count = count;
  b.base_offset = base;
  b.leader_epoch = LeaderEpoch(leader_epoch);
  return b;
}

}  // namespace kafkasim::test
