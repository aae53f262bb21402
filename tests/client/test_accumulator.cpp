// The record accumulator: batching by size, the queue order of retries, the live list.
#include <doctest/doctest.h>

#include <vector>

#include "kafkasim/client/record_accumulator.h"

using namespace kafkasim;

TEST_CASE("records fill a batch up to batch.size, then open a new one") {
  RecordAccumulator acc(2, 1000);
  // 61 bytes of header + 9 records of 100 bytes = 961; the 10th does not fit.
  for (std::uint32_t s = 0; s < 9; ++s) {
    CHECK(acc.append(0, s, 100, instant_from_ms(s)).new_batch == (s == 0));
  }
  CHECK(acc.needs_new_batch(0, 100));
  CHECK_FALSE(acc.needs_new_batch(0, 39));
  const auto tenth = acc.append(0, 9, 100, instant_from_ms(9));
  CHECK(tenth.new_batch);
  REQUIRE(acc.queue(0).size() == 2);
  const ProducerBatch& first = acc.batch(acc.queue(0).front());
  CHECK(first.first_sequence == 0);
  CHECK(first.record_count == 9);
  CHECK(first.size_bytes == 961);
  CHECK(first.send_times.size() == 9);
  CHECK(first.send_times[8] == instant_from_ms(8));
  CHECK(acc.batch(tenth.slot).first_sequence == 9);
  CHECK(acc.queue(1).empty());
  CHECK(acc.records_held() == 10);
}

TEST_CASE("a record bigger than batch.size gets a batch of its own") {
  RecordAccumulator acc(1, 100);
  CHECK(acc.append(0, 0, 500, Instant()).new_batch);
  CHECK(acc.append(0, 1, 500, Instant()).new_batch);
  CHECK(acc.queue(0).size() == 2);
}

TEST_CASE("a drained batch takes no more records") {
  RecordAccumulator acc(1, 16384);
  acc.append(0, 0, 100, Instant());
  const BatchSlot sent = acc.pop_front(0);
  CHECK(acc.needs_new_batch(0, 100));
  const auto next = acc.append(0, 1, 100, Instant());
  CHECK(next.new_batch);
  CHECK(next.slot != sent);
}

TEST_CASE("a retry goes to the front, or in sequence order among retries with idempotence") {
  RecordAccumulator acc(1, 150);  // one 100-byte record per batch
  std::vector<BatchSlot> slots;
  for (std::uint32_t s = 0; s < 4; ++s)
    slots.push_back(acc.append(0, s, 100, Instant()).slot);
  const BatchSlot b0 = acc.pop_front(0);
  const BatchSlot b1 = acc.pop_front(0);
  acc.reenqueue(b1, instant_from_ms(1), RetryOrder::front);
  acc.reenqueue(b0, instant_from_ms(1), RetryOrder::front);
  CHECK(acc.queue(0)[0] == b0);
  CHECK(acc.queue(0)[1] == b1);
  CHECK(acc.batch(b0).attempts == 1);
  CHECK(acc.batch(b0).last_attempt == instant_from_ms(1));

  RecordAccumulator ordered(1, 150);
  for (std::uint32_t s = 0; s < 4; ++s)
    ordered.append(0, s, 100, Instant());
  const BatchSlot o0 = ordered.pop_front(0);
  const BatchSlot o1 = ordered.pop_front(0);
  ordered.reenqueue(o0, instant_from_ms(1), RetryOrder::sequence);
  ordered.reenqueue(o1, instant_from_ms(1), RetryOrder::sequence);
  CHECK(ordered.queue(0)[0] == o0);
  CHECK(ordered.queue(0)[1] == o1);
  CHECK(ordered.batch(ordered.queue(0)[2]).first_sequence == 2);
}

TEST_CASE("the live list gives the oldest batch; slots are reused") {
  RecordAccumulator acc(2, 150);
  const BatchSlot a = acc.append(0, 0, 100, instant_from_ms(1)).slot;
  const BatchSlot b = acc.append(1, 0, 100, instant_from_ms(2)).slot;
  CHECK(acc.oldest_live() == a);
  acc.pop_front(0);
  acc.retire(a);
  acc.release(a);
  CHECK(acc.oldest_live() == b);
  CHECK(acc.records_held() == 1);
  const BatchSlot c = acc.append(0, 1, 100, instant_from_ms(3)).slot;
  CHECK(c == a);  // reused
  CHECK(acc.batch(c).send_times.size() == 1);
  acc.remove_queued(b);
  acc.retire(b);
  acc.release(b);
  CHECK(acc.oldest_live() == c);
  CHECK(acc.slots_in_use() == 1);
}

TEST_CASE("nonempty_queues lists exactly the partitions whose queue holds a batch, ascending") {
  // The sender walks these instead of every partition: a partition missing from the list would
  // never be sent, one listed with an empty queue would be harmless but the list would grow.
  RecordAccumulator acc(4, 150);  // one 100-byte record per batch
  const auto agrees = [&acc] {
    std::vector<std::uint32_t> expected;
    for (std::int32_t p = 0; p < 4; ++p) {
      if (!acc.queue(p).empty()) expected.push_back(static_cast<std::uint32_t>(p));
    }
    return acc.nonempty_queues().members() == expected;
  };
  CHECK(acc.nonempty_queues().empty());
  acc.append(3, 0, 100, Instant());
  const BatchSlot one = acc.append(1, 0, 100, Instant()).slot;
  acc.append(1, 1, 100, Instant());
  CHECK(acc.nonempty_queues().members() == std::vector<std::uint32_t>{1, 3});
  const BatchSlot sent = acc.pop_front(1);
  CHECK(sent == one);
  CHECK(agrees());  // partition 1 still holds its second batch
  const BatchSlot second = acc.pop_front(1);
  CHECK(agrees());
  CHECK(acc.nonempty_queues().members() == std::vector<std::uint32_t>{3});
  acc.reenqueue(sent, instant_from_ms(1), RetryOrder::front);
  CHECK(acc.nonempty_queues().members() == std::vector<std::uint32_t>{1, 3});
  acc.reenqueue(second, instant_from_ms(1), RetryOrder::sequence);
  acc.remove_queued(sent);
  CHECK(agrees());
  acc.remove_queued(second);  // the delivery timeout takes the last batch out
  CHECK(acc.nonempty_queues().members() == std::vector<std::uint32_t>{3});
  acc.pop_front(3);
  CHECK(acc.nonempty_queues().empty());
}
