// murmur2 and the partition choices against Kafka's own test vectors and rules.
#include <doctest/doctest.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "kafkasim/client/murmur2.h"
#include "kafkasim/client/record_partitioner.h"
#include "kafkasim/client/sticky_partition_cache.h"

using namespace kafkasim;

namespace {

std::int32_t murmur2_of(const std::string& text) {
  return murmur2(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()),
                                               text.size()));
}

}  // namespace

TEST_CASE("murmur2 matches Kafka's UtilsTest.testMurmur2 vectors") {
  CHECK(murmur2_of("21") == -973932308);
  CHECK(murmur2_of("foobar") == -790332482);
  CHECK(murmur2_of("a-little-bit-long-string") == -985981536);
  CHECK(murmur2_of("a-little-bit-longer-string") == -1486304829);
  CHECK(murmur2_of("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == -58897971);
  CHECK(murmur2_of("abc") == 479470107);
}

TEST_CASE("toPositive clears the sign bit") {
  CHECK(to_positive(-973932308) == (-973932308 & 0x7fffffff));
  CHECK(to_positive(-2147483647 - 1) == 0);
  CHECK(to_positive(5) == 5);
}

TEST_CASE("a key is sent as the bytes of key-<k> and partitioned by murmur2") {
  CHECK(key_text(0) == "key-0");
  CHECK(key_text(1234) == "key-1234");
  for (std::int64_t k = 0; k < 200; ++k) {
    const std::int32_t expected = to_positive(murmur2_of("key-" + std::to_string(k))) % 6;
    CHECK(partition_for_key(k, 6) == expected);
  }
  // "foobar" hashes to -790332482: toPositive is 1357151166, which is 0 mod 6, 5 mod 7.
  const std::string foobar = "foobar";
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(foobar.data()),
                                            foobar.size());
  CHECK(partition_for_key_bytes(bytes, 6) == 1357151166 % 6);
  CHECK(partition_for_key_bytes(bytes, 7) == 1357151166 % 7);
}

TEST_CASE("a keyed producer sends a key to the same partition whatever is available") {
  ProducerSpec spec;
  spec.keys = 100;
  RecordPartitioner partitioner(spec, 6, Rng(1));
  const std::vector<std::int32_t> all = {0, 1, 2, 3, 4, 5};
  const std::vector<std::int32_t> some = {1};
  for (std::int64_t k = 0; k < 100; ++k) {
    CHECK(partitioner.partition(k, all) == partition_for_key(k, 6));
    CHECK(partitioner.partition(k, some) == partition_for_key(k, 6));
    CHECK_FALSE(partitioner.sticky_for(k));
  }
}

TEST_CASE("StickyPartitionCache follows Kafka's StickyPartitionCacheTest") {
  const std::vector<std::int32_t> available = {0, 1, 2};
  StickyPartitionCache cache(Rng(3));
  const std::int32_t a = cache.partition(available, 3);
  CHECK(cache.partition(available, 3) == a);
  const std::int32_t changed = cache.next_partition(available, 3, a);
  CHECK(changed != a);
  CHECK(cache.partition(available, 3) == changed);
  // A stale previous partition does not move the sticky one again.
  CHECK(cache.next_partition(available, 3, a) == changed);
}

TEST_CASE("the sticky partitioner never picks an unavailable partition, unless none is") {
  StickyPartitionCache cache(Rng(4));
  const std::vector<std::int32_t> without_1 = {0, 2};
  std::int32_t p = cache.partition(without_1, 3);
  CHECK(p != 1);
  for (int i = 0; i < 100; ++i) {
    p = cache.next_partition(without_1, 3, p);
    CHECK(p != 1);
  }
  StickyPartitionCache only(Rng(5));
  const std::vector<std::int32_t> just_1 = {1};
  CHECK(only.partition(just_1, 2) == 1);
  CHECK(only.next_partition(just_1, 2, 1) == 1);
  StickyPartitionCache none(Rng(6));
  CHECK(none.partition({}, 1) == 0);
  CHECK(none.next_partition({}, 1, 0) == 0);
}

TEST_CASE("the sticky partitioner sticks until a new batch, then moves") {
  ProducerSpec spec;  // no keys, default partitioner
  RecordPartitioner partitioner(spec, 4, Rng::stream(1, "producer/app/partitioner"));
  const std::vector<std::int32_t> all = {0, 1, 2, 3};
  CHECK(partitioner.sticky_for(kNoKey));
  const std::int32_t first = partitioner.partition(kNoKey, all);
  for (int i = 0; i < 50; ++i)
    CHECK(partitioner.partition(kNoKey, all) == first);
  partitioner.on_new_batch(first, all);
  const std::int32_t second = partitioner.partition(kNoKey, all);
  CHECK(second != first);
  for (int i = 0; i < 50; ++i)
    CHECK(partitioner.partition(kNoKey, all) == second);
  // Over many batches every partition gets its turn.
  std::set<std::int32_t> seen;
  for (int i = 0; i < 100; ++i) {
    partitioner.on_new_batch(partitioner.partition(kNoKey, all), all);
    seen.insert(partitioner.partition(kNoKey, all));
  }
  CHECK(seen.size() == 4);
}

TEST_CASE("round-robin cycles through the available partitions, or all of them") {
  ProducerSpec spec;
  spec.partitioner = Partitioner::round_robin;
  RecordPartitioner partitioner(spec, 3, Rng(1));
  const std::vector<std::int32_t> all = {0, 1, 2};
  std::vector<std::int32_t> got;
  for (int i = 0; i < 7; ++i)
    got.push_back(partitioner.partition(kNoKey, all));
  CHECK(got == std::vector<std::int32_t>{0, 1, 2, 0, 1, 2, 0});
  CHECK_FALSE(partitioner.sticky_for(kNoKey));
  const std::vector<std::int32_t> two = {0, 2};
  got.clear();
  for (int i = 0; i < 4; ++i)
    got.push_back(partitioner.partition(kNoKey, two));
  CHECK(got == std::vector<std::int32_t>{2, 0, 2, 0});  // the counter is at 7, then 8, ...
  got.clear();
  for (int i = 0; i < 3; ++i)
    got.push_back(partitioner.partition(kNoKey, {}));
  CHECK(got == std::vector<std::int32_t>{2, 0, 1});  // 11 % 3, 12 % 3, 13 % 3
}

TEST_CASE("an explicit partition wins over keys and partitioner") {
  ProducerSpec spec;
  spec.keys = 10;
  spec.partition = 2;
  RecordPartitioner partitioner(spec, 4, Rng(1));
  for (std::int64_t k = 0; k < 10; ++k)
    CHECK(partitioner.partition(k, std::vector<std::int32_t>{0, 1}) == 2);
}
