// The pending-event set orders by (time, sequence number): ties run first-in first-out.
#include <doctest/doctest.h>

#include <algorithm>
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
