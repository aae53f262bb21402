// The engine: virtual time, FIFO ties, timers and their cancellation, and process life
// (pause defers, stop drops).
#include <doctest/doctest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kafkasim/engine/engine.h"
#include "kafkasim/random/rng.h"

using namespace kafkasim;
using namespace std::chrono_literals;

namespace {

/// A timer told apart from the others by its number.
TimerCookie numbered(std::uint64_t n) {
  return TimerCookie{.payload = n};
}

/// Records (time, cookie) of every timer it receives.
struct Recorder : Actor {
  explicit Recorder(Engine& e) : engine(e) {}
  void on_timer(TimerCookie cookie) override {
    fired.push_back({engine.now().ns(), cookie.payload});
  }
  Engine& engine;
  std::vector<std::pair<std::int64_t, std::uint64_t>> fired;
};

using Fired = std::vector<std::pair<std::int64_t, std::uint64_t>>;

}  // namespace

TEST_CASE("timers fire in time order and ties first-in first-out") {
  Engine engine;
  Recorder r(engine);
  const ActorId id = engine.add_actor(r);
  engine.set_timer(Instant::from_ns(500), id, numbered(1));
  engine.set_timer(Instant::from_ns(100), id, numbered(2));
  engine.set_timer(Instant::from_ns(500), id, numbered(3));
  engine.set_timer(Instant::from_ns(100), id, numbered(4));
  engine.run_until(Instant::from_ns(1000));
  CHECK(r.fired == Fired{{100, 2}, {100, 4}, {500, 1}, {500, 3}});
  CHECK(engine.now() == Instant::from_ns(1000));
  CHECK(engine.events_processed() == 4);
}

TEST_CASE("run_until stops at the horizon and leaves later events pending") {
  Engine engine;
  Recorder r(engine);
  const ActorId id = engine.add_actor(r);
  engine.set_timer(Instant::from_ns(100), id, numbered(1));
  engine.set_timer(Instant::from_ns(200), id, numbered(2));
  engine.run_until(Instant::from_ns(100));  // inclusive
  CHECK(r.fired == Fired{{100, 1}});
  CHECK(engine.next_event_time() == Instant::from_ns(200));
}

TEST_CASE("a cancelled timer never fires, and its slot is safely reused") {
  Engine engine;
  Recorder r(engine);
  const ActorId id = engine.add_actor(r);
  TimerId a = engine.set_timer(Instant::from_ns(100), id, numbered(1));
  TimerId b = engine.set_timer(Instant::from_ns(200), id, numbered(2));
  CHECK(engine.is_pending(a));
  CHECK(engine.cancel(a));
  CHECK_FALSE(a.valid());
  CHECK_FALSE(engine.cancel(a));  // cancelling twice is harmless
  // A new timer may not take over the cancelled one's identity.
  TimerId c = engine.set_timer(Instant::from_ns(150), id, numbered(3));
  engine.run_until(Instant::from_ns(1000));
  CHECK(r.fired == Fired{{150, 3}, {200, 2}});
  CHECK_FALSE(engine.is_pending(b));  // fired timers are no longer pending
  CHECK_FALSE(engine.cancel(c));
}

TEST_CASE("a cancelled timer's slot is reused at once, and its stale record frees nothing") {
  // cancel() frees the slot right away (the cluster benchmark's 30 s request timeouts, almost
  // all cancelled, would otherwise hold 300,000 slots). The cancelled timer's record still comes
  // up, naming a slot that now belongs to a later timer: it must neither fire nor free that slot,
  // or the next timer set would take it over and the later timer would be lost.
  Engine engine;
  Recorder r(engine);
  const ActorId id = engine.add_actor(r);
  TimerId a = engine.set_timer(Instant::from_ns(100), id, numbered(1));
  const std::uint32_t slot = a.slot;
  CHECK(engine.cancel(a));
  const TimerId c = engine.set_timer(Instant::from_ns(300), id, numbered(3));
  CHECK(c.slot == slot);                    // reused at once
  engine.run_until(Instant::from_ns(200));  // a's stale record comes up here
  CHECK(engine.is_pending(c));
  const TimerId d = engine.set_timer(Instant::from_ns(250), id, numbered(4));
  CHECK(d.slot != slot);
  engine.run_until(Instant::from_ns(1000));
  CHECK(r.fired == Fired{{250, 4}, {300, 3}});
}

TEST_CASE("a timer cancelled while its paused actor holds it frees its slot once") {
  Engine engine;
  Recorder r(engine);
  const ActorId id = engine.add_actor(r);
  TimerId a = engine.set_timer(Instant::from_ns(100), id, numbered(1));
  const std::uint32_t slot = a.slot;
  engine.pause(id);
  engine.run_until(Instant::from_ns(150));  // a came due: it waits for the resume
  CHECK(engine.cancel(a));
  const TimerId c = engine.set_timer(Instant::from_ns(300), id, numbered(3));
  CHECK(c.slot == slot);
  engine.resume(id);  // skips a's record, leaving c's slot alone
  const TimerId d = engine.set_timer(Instant::from_ns(250), id, numbered(4));
  CHECK(d.slot != slot);
  engine.run_until(Instant::from_ns(1000));
  CHECK(r.fired == Fired{{250, 4}, {300, 3}});
}

namespace {
/// Sets a zero-delay timer from inside a handler.
struct Chain : Actor {
  explicit Chain(Engine& e) : engine(e) {}
  void on_timer(TimerCookie cookie) override {
    order.push_back(cookie.payload);
    if (cookie.payload == 1) engine.set_timer_after(0ns, self, numbered(3));
  }
  Engine& engine;
  ActorId self;
  std::vector<std::uint64_t> order;
};
}  // namespace

TEST_CASE("a timer set for now from a handler runs after the events already due now") {
  Engine engine;
  Chain chain(engine);
  chain.self = engine.add_actor(chain);
  engine.set_timer(Instant::from_ns(10), chain.self, numbered(1));
  engine.set_timer(Instant::from_ns(10), chain.self, numbered(2));
  engine.run_until(Instant::from_ns(10));
  CHECK(chain.order == std::vector<std::uint64_t>{1, 2, 3});
}

TEST_CASE("a paused actor's events wait and run in order at resume") {
  Engine engine;
  Recorder r(engine);
  Recorder other(engine);
  const ActorId id = engine.add_actor(r);
  const ActorId other_id = engine.add_actor(other);
  engine.set_timer(Instant::from_ns(100), id, numbered(1));
  engine.set_timer(Instant::from_ns(300), id, numbered(2));
  engine.set_timer(Instant::from_ns(200), id, numbered(3));
  TimerId cancelled_while_paused = engine.set_timer(Instant::from_ns(250), id, numbered(4));
  engine.set_timer(Instant::from_ns(200), other_id, numbered(9));
  engine.run_until(Instant::from_ns(150));
  engine.pause(id);
  CHECK(engine.state(id) == ActorState::paused);
  engine.run_until(Instant::from_ns(260));
  CHECK(engine.cancel(cancelled_while_paused));  // it came due but waits: still cancellable
  engine.run_until(Instant::from_ns(1000));
  CHECK(other.fired == Fired{{200, 9}});  // the other actor is not affected
  CHECK(r.fired == Fired{{100, 1}});      // nothing ran while paused
  engine.resume(id);
  engine.run_until(Instant::from_ns(1000));
  // Both overdue timers run at the resume instant, in the order they were due.
  CHECK(r.fired == Fired{{100, 1}, {1000, 3}, {1000, 2}});
}

TEST_CASE("a stopped actor loses its timers; after restart only new timers fire") {
  Engine engine;
  Recorder r(engine);
  const ActorId id = engine.add_actor(r);
  engine.set_timer(Instant::from_ns(100), id, numbered(1));
  engine.set_timer(Instant::from_ns(500), id, numbered(2));
  engine.run_until(Instant::from_ns(200));
  engine.stop(id);
  engine.run_until(Instant::from_ns(300));
  engine.restart(id);
  engine.set_timer(Instant::from_ns(400), id, numbered(3));
  engine.run_until(Instant::from_ns(1000));
  // Timer 2 was set before the crash: it must not fire in the new incarnation.
  CHECK(r.fired == Fired{{100, 1}, {400, 3}});
}

TEST_CASE("stopping a paused actor drops what was waiting") {
  Engine engine;
  Recorder r(engine);
  const ActorId id = engine.add_actor(r);
  engine.set_timer(Instant::from_ns(100), id, numbered(1));
  engine.pause(id);
  engine.run_until(Instant::from_ns(200));
  engine.stop(id);
  engine.restart(id);
  engine.run_until(Instant::from_ns(300));
  CHECK(r.fired.empty());
}

namespace {
/// Receives plain events (as the network does for message deliveries).
struct Poster : Actor {
  explicit Poster(Engine& e) : engine(e) {}
  void on_timer(TimerCookie) override {}
  void on_event(std::uint32_t data) override { got.push_back({engine.now().ns(), data}); }
  Engine& engine;
  std::vector<std::pair<std::int64_t, std::uint32_t>> got;
};
}  // namespace

TEST_CASE("plain events interleave with timers in (time, sequence) order") {
  Engine engine;
  Poster p(engine);
  const ActorId id = engine.add_actor(p);
  engine.post(Instant::from_ns(50), id, 7);
  engine.post(Instant::from_ns(20), id, 8);
  engine.post(Instant::from_ns(50), id, 9);
  engine.run_until(Instant::from_ns(100));
  CHECK(p.got == std::vector<std::pair<std::int64_t, std::uint32_t>>{{20, 8}, {50, 7}, {50, 9}});
}

namespace {
int hook_calls = 0;
void count_hook(void* context) {
  ++*static_cast<int*>(context);
}
}  // namespace

TEST_CASE("the after-event hook runs once per delivered event, not for cancelled ones") {
  Engine engine;
  Recorder r(engine);
  const ActorId id = engine.add_actor(r);
  hook_calls = 0;
  engine.set_after_event_hook(count_hook, &hook_calls);
  engine.set_timer(Instant::from_ns(1), id, numbered(1));
  TimerId t = engine.set_timer(Instant::from_ns(2), id, numbered(2));
  engine.set_timer(Instant::from_ns(3), id, numbered(3));
  engine.cancel(t);
  engine.run_until(Instant::from_ns(10));
  CHECK(hook_calls == 2);
  CHECK(engine.events_processed() == 2);
}

TEST_CASE("property: random timers, cancels and runs fire as a std::set by (time, seq) says") {
  // The reference holds the live timers by (time, order set); a cancel erases from it, a run
  // to t fires everything in it due at or before t, in order.
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    CAPTURE(seed);
    Engine engine;
    Recorder r(engine);
    const ActorId id = engine.add_actor(r);
    Rng rng(seed);
    std::map<std::pair<std::int64_t, std::uint64_t>, TimerId> live;  // (time, n) -> handle
    Fired expected;
    std::uint64_t n = 0;
    const auto delay = [&] {
      const std::uint64_t kind = rng.below(10);
      if (kind < 2) return std::int64_t{0};
      if (kind < 6) return static_cast<std::int64_t>(rng.below(4) * 250'000);
      if (kind < 9) return static_cast<std::int64_t>(rng.below(10'000'000));
      return static_cast<std::int64_t>(rng.below(30'000'000'000));
    };
    for (int round = 0; round < 20000; ++round) {
      const std::uint64_t op = rng.below(10);
      if (op < 5) {
        const Instant at = engine.now() + Duration(delay());
        ++n;
        live.emplace(std::pair{at.ns(), n}, engine.set_timer(at, id, numbered(n)));
      } else if (op < 8 && !live.empty()) {
        // Cancel one of the pending timers, most of them near the front (timeouts that did
        // not expire), so that cancelled records keep coming up.
        auto it = live.begin();
        std::advance(
            it, static_cast<std::ptrdiff_t>(rng.below(std::min<std::uint64_t>(live.size(), 8))));
        CHECK(engine.cancel(it->second));
        live.erase(it);
      } else {
        const Instant until = engine.now() + Duration(delay());
        while (!live.empty() && live.begin()->first.first <= until.ns()) {
          expected.emplace_back(live.begin()->first.first, live.begin()->first.second);
          live.erase(live.begin());
        }
        engine.run_until(until);
        REQUIRE(r.fired == expected);
      }
    }
    engine.run_until(Instant::never() - Duration(1));
    for (const auto& [key, handle] : live)
      expected.emplace_back(key.first, key.second);
    CHECK(r.fired == expected);
  }
}

TEST_CASE("cancelled timers dropped as their bucket is taken apart leave the order unchanged") {
  // 10,000 request timeouts about 30 s ahead (one coarse bucket of the queue), every other one
  // cancelled, with short timers set around them: when the far bucket is taken apart its
  // cancelled records are dropped there, and the slots they free are reused by later timers.
  Engine engine;
  Recorder r(engine);
  const ActorId id = engine.add_actor(r);
  Fired expected;
  std::uint64_t n = 0;
  for (int request = 0; request < 10000; ++request) {
    const Instant at = engine.now() + 30s + Duration(request % 7);
    TimerId timeout = engine.set_timer(at, id, numbered(++n));
    if (request % 2 == 0) {
      CHECK(engine.cancel(timeout));
    } else {
      expected.emplace_back(at.ns(), n);
    }
    engine.set_timer(engine.now() + 1us, id, numbered(++n));
    expected.emplace_back((engine.now() + 1us).ns(), n);
    engine.run_until(engine.now() + 2us);
  }
  // New timers set while the far bucket is being drained reuse the freed slots.
  engine.run_until(Instant::start() + 30s + 10ms);
  for (int i = 0; i < 100; ++i) {
    engine.set_timer(engine.now() + 1ms, id, numbered(++n));
    expected.emplace_back((engine.now() + 1ms).ns(), n);
  }
  engine.run_until(Instant::start() + 100s);
  std::stable_sort(expected.begin(), expected.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CHECK(r.fired == expected);
  CHECK(engine.events_processed() == expected.size());
}
