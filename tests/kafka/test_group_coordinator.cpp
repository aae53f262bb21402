// The group coordinator's placement rule (GroupMetadataManager.partitionFor, Kafka 2.4).
#include <doctest/doctest.h>

#include "kafkasim/kafka/group_coordinator.h"

using namespace kafkasim;

TEST_CASE(
    "a group's coordinator partition is abs(hashCode(group)) % offsets.topic.num.partitions") {
  // "a".hashCode() = 97; 97 % 50 = 47.
  CHECK(offsets_partition_for("a", 50) == 47);
  // "billing".hashCode() = -109,829,509 in Java (32-bit wrap-around); Utils.abs takes
  // n & 0x7fffffff = 2,037,654,139, and 2,037,654,139 % 50 = 39.
  CHECK(offsets_partition_for("billing", 50) == 39);
  // Utils.abs, not Math.abs: "polygenelubricants".hashCode() is Integer.MIN_VALUE, which
  // Math.abs leaves negative; Utils.abs maps it to 0.
  CHECK(offsets_partition_for("polygenelubricants", 50) == 0);
  CHECK(offsets_partition_for("polygenelubricants", 7) == 0);
  for (const char* group : {"a", "billing", "orders-audit", "x"}) {
    const std::int32_t p = offsets_partition_for(group, 50);
    CHECK(p >= 0);
    CHECK(p < 50);
  }
}
