// Replica divergence (SPEC.md "Additions": diverged_offsets): the offsets below the high
// watermark where a live replica's log holds other records than the leader's, counted once per
// offset however many replicas differ there; the same walk gives the committed-data invariant
// its first divergent offset.
#include <doctest/doctest.h>

#include <deque>
#include <vector>

#include "../../sim/run/replica_divergence.h"
#include "record_batches.h"

using namespace kafkasim;
using kafkasim::test::batch;

TEST_CASE("diverged offsets: every differing offset below the high watermark, and no other") {
  // The leader: producer 0's records 0..19 at offsets 0..19.
  const std::deque<RecordBatch> leader{batch(0, 0, 10, 0), batch(0, 10, 10, 10)};
  SUBCASE("the same records in other batches agree") {
    const std::deque<RecordBatch> replica{batch(0, 0, 4, 0), batch(0, 4, 16, 4)};
    CHECK(divergent_ranges(leader, replica, 20).empty());
    CHECK(first_divergence(leader, replica, 20) == std::nullopt);
  }
  SUBCASE("KIP-101 scenario 2: another leader's records at the same offsets") {
    // Offsets 12..16 hold producer 1's records written in leader epoch 1, then the same again.
    const std::deque<RecordBatch> replica{batch(0, 0, 10, 0), batch(0, 10, 2, 10),
                                          batch(1, 0, 5, 12, 1), batch(0, 17, 3, 17)};
    CHECK(divergent_ranges(leader, replica, 20) == std::vector<OffsetRange>{{12, 17}});
    CHECK(first_divergence(leader, replica, 20) == Offset{12});
    // Only below the high watermark: the leader's uncommitted tail is not compared.
    CHECK(divergent_ranges(leader, replica, 14) == std::vector<OffsetRange>{{12, 14}});
    CHECK(divergent_ranges(leader, replica, 12).empty());
  }
  SUBCASE("two separate stretches, and a replica that stops short") {
    const std::deque<RecordBatch> replica{batch(0, 0, 2, 0), batch(2, 0, 1, 2), batch(0, 3, 5, 3),
                                          batch(2, 1, 2, 8)};
    CHECK(divergent_ranges(leader, replica, 20) == std::vector<OffsetRange>{{2, 3}, {8, 10}});
    CHECK(first_divergence(leader, replica, 20) == Offset{2});
  }
}

TEST_CASE("diverged offsets: an offset where two replicas differ counts once") {
  const std::vector<OffsetRange> ranges{{2, 5}, {8, 10}, {4, 9}, {20, 21}};
  CHECK(offsets_covered(ranges) == 9);  // 2..9 and 20
  CHECK(offsets_covered(std::vector<OffsetRange>{}) == 0);
}
