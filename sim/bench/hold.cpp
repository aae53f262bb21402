#include "kafkasim/bench/hold.h"

#include <time.h>

#include <chrono>
#include <vector>

#include "kafkasim/engine/engine.h"
#include "kafkasim/random/distribution.h"
#include "peers/calendar_queue.h"
#include "peers/priority_queue.h"
#include "peers/radix_heap.h"

namespace kafkasim {
namespace {

/// This thread's CPU time, in seconds.
double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Increments are Exp(mean 1 s) in nanoseconds: with 10^4 pending events the clock advances
// about 0.1 ms per event, so times rarely tie (as in a real run), and 10^9 events still stay
// far inside the 64-bit range.
const Dist kIncrement = Dist::exponential(1e9);

Duration next_increment(Rng& rng) {
  return Duration(static_cast<std::int64_t>(kIncrement.sample(rng)) + 1);
}

/// An actor that holds: every timer it receives schedules the next one.
class HoldActor final : public Actor {
 public:
  HoldActor(Engine& engine, Rng& rng) : engine_(engine), rng_(rng) {}
  void set_id(ActorId id) { id_ = id; }
  void on_timer(TimerCookie cookie) override {
    engine_.set_timer_after(next_increment(rng_), id_, TimerCookie{.payload = cookie.payload + 1});
  }

 private:
  Engine& engine_;
  Rng& rng_;
  ActorId id_;
};

HoldResult hold_engine(std::uint64_t events, std::uint64_t pending, Rng& rng) {
  Engine engine;
  HoldActor actor(engine, rng);
  const ActorId id = engine.add_actor(actor);
  actor.set_id(id);
  for (std::uint64_t i = 0; i < pending; ++i) {
    engine.set_timer(Instant::start() + next_increment(rng), id, TimerCookie{});
  }
  const double cpu_begin = cpu_now();
  const auto begin = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < events; ++i)
    engine.step();
  const auto end = std::chrono::steady_clock::now();
  return {engine.events_processed(), std::chrono::duration<double>(end - begin).count(),
          cpu_now() - cpu_begin, engine.now().ns()};
}

template <class Queue>
HoldResult hold_queue(Queue& queue, std::uint64_t events, std::uint64_t pending, Rng& rng) {
  std::uint64_t seq = 1;
  for (std::uint64_t i = 0; i < pending; ++i) {
    queue.push(Event{Instant::start() + next_increment(rng), seq++, 0, 0});
  }
  Instant now;
  const double cpu_begin = cpu_now();
  const auto begin = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < events; ++i) {
    const Event e = queue.pop();
    now = e.at;
    queue.push(Event{now + next_increment(rng), seq++, 0, 0});
  }
  const auto end = std::chrono::steady_clock::now();
  return {events, std::chrono::duration<double>(end - begin).count(), cpu_now() - cpu_begin,
          now.ns()};
}

}  // namespace

HoldResult run_hold(HoldTarget target, std::uint64_t events, std::uint64_t pending,
                    std::uint64_t seed) {
  Rng rng = Rng::stream(seed, "bench/hold");
  switch (target) {
    case HoldTarget::engine:
      return hold_engine(events, pending, rng);
    case HoldTarget::event_queue: {
      EventQueue queue;
      return hold_queue(queue, events, pending, rng);
    }
    case HoldTarget::radix_heap: {
      peers::RadixHeap queue;
      return hold_queue(queue, events, pending, rng);
    }
    case HoldTarget::calendar_queue: {
      peers::CalendarQueue queue;
      return hold_queue(queue, events, pending, rng);
    }
    case HoldTarget::priority_queue: {
      peers::PriorityQueue queue;
      queue.reserve(pending + 1);
      return hold_queue(queue, events, pending, rng);
    }
  }
  return {};
}

}  // namespace kafkasim
