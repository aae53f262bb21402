// The pending-event set orders by (time, sequence number): ties run first-in first-out.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "kafkasim/engine/event_queue.h"
#include "kafkasim/random/rng.h"

using kafkasim::Event;
using kafkasim::EventQueue;
using kafkasim::Instant;

TEST_CASE("pops in time order, ties in sequence order") {
  EventQueue queue;
  // Push in an order that is neither sorted by time nor by sequence.
  queue.push(Event{Instant::from_ns(30), 1, 0, 100});
  queue.push(Event{Instant::from_ns(10), 2, 0, 200});
  queue.push(Event{Instant::from_ns(30), 3, 0, 300});
  queue.push(Event{Instant::from_ns(20), 4, 0, 400});
  queue.push(Event{Instant::from_ns(10), 5, 0, 500});
  std::vector<std::uint32_t> order;
  while (!queue.empty())
    order.push_back(queue.pop().data);
  CHECK(order == std::vector<std::uint32_t>{200, 500, 400, 100, 300});
}

TEST_CASE("a random workload comes out fully sorted by (time, seq)") {
  EventQueue queue;
  kafkasim::Rng rng(42);
  std::vector<Event> pushed;
  std::uint64_t seq = 1;
  // Interleave pushes and pops, with many equal times, as a simulation does: nothing is
  // scheduled before the last event popped.
  std::vector<Event> popped;
  Instant now;
  for (int round = 0; round < 20000; ++round) {
    const auto t = now + kafkasim::Duration(static_cast<std::int64_t>(rng.below(50)));
    Event e{t, seq++, 0, 0};
    pushed.push_back(e);
    queue.push(e);
    if (rng.below(3) == 0) {
      popped.push_back(queue.pop());
      now = popped.back().at;
    }
  }
  while (!queue.empty())
    popped.push_back(queue.pop());
  REQUIRE(popped.size() == pushed.size());
  // Each pop returned the minimum of what was pending at the time; with interleaving the
  // global sequence need not be sorted, so check against a reference model instead.
  std::vector<Event> pending;
  kafkasim::Rng replay(42);
  std::size_t next_pop = 0;
  seq = 1;
  now = Instant();
  for (int round = 0; round < 20000; ++round) {
    const auto t = now + kafkasim::Duration(static_cast<std::int64_t>(replay.below(50)));
    pending.push_back(Event{t, seq++, 0, 0});
    if (replay.below(3) == 0) {
      auto it = std::min_element(pending.begin(), pending.end(), kafkasim::runs_before);
      CHECK(it->seq == popped[next_pop].seq);
      now = popped[next_pop++].at;
      pending.erase(it);
    }
  }
  std::sort(pending.begin(), pending.end(), kafkasim::runs_before);
  for (const Event& e : pending)
    CHECK(e.seq == popped[next_pop++].seq);
}

TEST_CASE("an event pushed after a peek, before the peeked one, still comes first") {
  // The engine peeks to stop at a horizon, then faults are scheduled at the horizon: earlier
  // than the event it peeked at.
  EventQueue queue;
  for (std::uint64_t i = 1; i <= 100; ++i) {
    queue.push(Event{Instant::from_ns(static_cast<std::int64_t>(1000 + 37 * (i % 13))), i, 0, 0});
  }
  CHECK(queue.top().at == Instant::from_ns(1000));
  queue.push(Event{Instant::from_ns(500), 101, 0, 7});
  queue.push(Event{Instant::from_ns(1000), 102, 0, 8});
  CHECK(queue.pop().data == 7);
  Event previous = queue.pop();
  std::size_t count = 2;
  while (!queue.empty()) {
    const Event next = queue.pop();
    CHECK(kafkasim::runs_before(previous, next));
    previous = next;
    ++count;
  }
  CHECK(count == 102);
}

namespace {

/// A delay drawn from the simulator's event mix (docs/benchmarks.md): many events due now, many
/// at a few fixed network delays, some spread over milliseconds, a few far off (session
/// timeouts) — and, to reach every level of the buckets, now and then a very large one.
kafkasim::Duration mixed_delay(kafkasim::Rng& rng) {
  const std::uint64_t kind = rng.below(100);
  std::int64_t ns = 0;
  if (kind < 20) {
    ns = 0;
  } else if (kind < 55) {
    constexpr std::int64_t kFixed[] = {1, 500'000, 1'000'000, 100'000};
    ns = kFixed[rng.below(4)];
  } else if (kind < 85) {
    ns = static_cast<std::int64_t>(rng.below(5'000'000));
  } else if (kind < 98) {
    ns = static_cast<std::int64_t>(rng.below(30'000'000'000));
  } else {
    ns = static_cast<std::int64_t>(rng.below(std::uint64_t{1} << 50));
  }
  return kafkasim::Duration(ns);
}

using Key = std::pair<std::int64_t, std::uint64_t>;

/// Runs `rounds` random operations on an EventQueue and on a std::set ordered by (time, seq),
/// checking that every top and pop agrees. A peek is sometimes followed by pushes between the
/// last event popped and the peeked one (the engine's horizon, where faults are scheduled).
void check_against_set(std::uint64_t seed, int rounds, std::uint64_t push_weight) {
  EventQueue queue;
  std::set<Key> reference;
  kafkasim::Rng rng(seed);
  std::uint64_t seq = 1;
  Instant now;
  const auto push = [&](Instant at) {
    queue.push(Event{at, seq, 0, static_cast<std::uint32_t>(seq)});
    reference.emplace(at.ns(), seq);
    ++seq;
  };
  for (int round = 0; round < rounds; ++round) {
    const std::uint64_t op = rng.below(push_weight + 3);
    if (op < push_weight || reference.empty()) {
      push(now + mixed_delay(rng));
    } else if (op == push_weight) {
      const Event top = queue.top();
      REQUIRE(Key{top.at.ns(), top.seq} == *reference.begin());
      const std::int64_t gap = top.at.ns() - now.ns();
      const std::uint64_t extra = rng.below(4);
      for (std::uint64_t i = 0; i < extra; ++i) {
        const auto back =
            gap > 0 ? static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(gap) + 1)) : 0;
        push(now + kafkasim::Duration(back));
      }
    } else {
      const Event popped = queue.pop();
      REQUIRE(Key{popped.at.ns(), popped.seq} == *reference.begin());
      reference.erase(reference.begin());
      now = popped.at;
    }
    REQUIRE(queue.size() == reference.size());
  }
  while (!reference.empty()) {
    const Event popped = queue.pop();
    REQUIRE(Key{popped.at.ns(), popped.seq} == *reference.begin());
    reference.erase(reference.begin());
  }
  CHECK(queue.empty());
}

}  // namespace

TEST_CASE("property: random pushes, peeks and pops agree with a std::set by (time, seq)") {
  // Growing (more pushes than pops), steady, and draining phases, each over several seeds.
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    check_against_set(seed, 20000, 1);   // about as many pops as pushes: a small queue
    check_against_set(seed, 20000, 3);   // the queue grows into large buckets
    check_against_set(seed, 20000, 12);  // mostly pushes: big buckets taken apart
  }
}

TEST_CASE("many events at one instant come out first-in first-out, past the sort limit") {
  EventQueue queue;
  std::uint64_t seq = 1;
  // 1000 events at each of three instants, pushed interleaved: more than any bucket sorts.
  for (int i = 0; i < 1000; ++i) {
    for (std::int64_t t : {3000, 1000, 2000}) {
      queue.push(Event{Instant::from_ns(t), seq, 0, static_cast<std::uint32_t>(seq)});
      ++seq;
    }
  }
  Event previous = queue.pop();
  while (!queue.empty()) {
    const Event next = queue.pop();
    CHECK(kafkasim::runs_before(previous, next));
    previous = next;
  }
}
