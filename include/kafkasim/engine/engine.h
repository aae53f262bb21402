// The discrete-event engine: one virtual clock, one pending-event set, one thread.
//
// Actors (brokers, ZooKeeper, clients, the network) receive work only from the engine: timers
// they set themselves, and plain events that the network posts to deliver messages. The engine
// also knows whether an actor's process is running, paused (a long GC pause or a stuck disk:
// its events wait until it resumes) or stopped (crashed: its timers are dropped), because those
// are facts about time, not about Kafka.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kafkasim/core/strong_id.h"
#include "kafkasim/core/time.h"
#include "kafkasim/engine/event_queue.h"

namespace kafkasim {

/// What an actor attaches to a timer to know, when it fires, which timer it is: named fields,
/// not bits packed by convention. `part` says which component of the actor set it (0: the actor
/// itself; an actor may embed components with timers of their own, such as a broker's ZooKeeper
/// client); `kind` is that part's own enum (timer_cookie, timer_kind); `index` and `payload` are
/// its arguments (a source broker, a fault; a ticket, a generation).
struct TimerCookie {
  std::uint8_t part = 0;
  std::uint8_t kind = 0;
  std::uint32_t index = 0;
  std::uint64_t payload = 0;
  friend bool operator==(const TimerCookie&, const TimerCookie&) = default;
};

/// The cookie of a timer of the actor's own `kind` (an enum class of the actor).
template <class Kind>
constexpr TimerCookie timer_cookie(Kind kind, std::uint64_t payload = 0, std::uint32_t index = 0) {
  return TimerCookie{0, static_cast<std::uint8_t>(kind), index, payload};
}
/// The kind a cookie made by timer_cookie carries.
template <class Kind>
constexpr Kind timer_kind(const TimerCookie& cookie) {
  return static_cast<Kind>(cookie.kind);
}

/// A handle to a pending timer, for cancellation. The default value names no timer.
struct TimerId {
  std::uint32_t slot = 0;
  std::uint64_t seq = 0;  // 0: no timer (the engine's sequence numbers start at 1)
  bool valid() const { return seq != 0; }
};

class Actor {
 public:
  virtual ~Actor() = default;
  /// A timer this actor set has fired.
  virtual void on_timer(TimerCookie cookie) = 0;
  /// A plain event posted for this actor. Only actors that post to themselves (the network)
  /// receive these; the default treats one as a programming error.
  virtual void on_event(std::uint32_t data);
};

enum class ActorState : std::uint8_t { running, paused, stopped };

/// Told of every record the engine schedules and every timer cancelled, when attached
/// (`kafkasim bench mix` measures the event mix with it; a run attaches none).
class ScheduleObserver {
 public:
  virtual ~ScheduleObserver() = default;
  /// `event` was scheduled at `now`; `pending` records (live or cancelled) are queued.
  virtual void on_schedule(Instant now, const Event& event, std::size_t pending) = 0;
  /// The timer scheduled as the record of sequence number `seq` was cancelled at `now`.
  virtual void on_cancel(Instant now, std::uint64_t seq) = 0;
};

class Engine {
 public:
  /// Set in Event::data for timer events; plain events must leave it clear.
  static constexpr std::uint32_t kTimerBit = 1u << 31;

  Engine();
  // The event queue calls back into the engine (its drop hook holds `this`): not copyable.
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  ActorId add_actor(Actor& actor);

  Instant now() const { return now_; }

  /// Sets a timer. Preconditions: `at` is not in the past; the actor exists.
  TimerId set_timer(Instant at, ActorId actor, TimerCookie cookie);
  TimerId set_timer_after(Duration delay, ActorId actor, TimerCookie cookie) {
    return set_timer(now_ + delay, actor, cookie);
  }
  /// Cancels a pending timer and clears the handle; returns whether it was still pending.
  /// Cancellation is lazy: the queue's record stays, and is dropped when the queue next moves
  /// it (see EventQueue::set_drop_hook) or skipped when it comes up.
  bool cancel(TimerId& timer);
  bool is_pending(TimerId timer) const;

  /// Posts a plain event. Preconditions: `at` is not in the past; data < kTimerBit.
  void post(Instant at, ActorId actor, std::uint32_t data);

  // --- The process life of an actor -------------------------------------------------------
  /// Freezes the actor: its events due meanwhile wait, in order, until resume().
  void pause(ActorId actor);
  /// Runs the events that came due while paused, now, in the order they were due.
  void resume(ActorId actor);
  /// Crashes the actor: its pending timers and waiting events are dropped, and so are events
  /// that come due while it is stopped.
  void stop(ActorId actor);
  /// Starts a stopped actor again, with no timers: it sets its own on restart.
  void restart(ActorId actor);
  ActorState state(ActorId actor) const { return actors_[actor.value()].state; }

  // --- Running ----------------------------------------------------------------------------
  /// Runs the earliest pending event, if any; returns false when nothing is pending.
  bool step();
  /// Runs every event due at or before `end`, then sets the clock to `end`.
  void run_until(Instant end);
  /// As run_until(end), but stops right after the event that takes events_processed() past
  /// `max_events`, leaving the clock there; returns false then. The guard
  /// against a run that would not end in reasonable time (a hostile scenario, or a model bug
  /// that schedules events forever): counting events, not wall time, keeps it deterministic.
  bool run_until(Instant end, std::uint64_t max_events);
  /// The time of the earliest pending record (possibly a cancelled timer), or never().
  Instant next_event_time() {
    const Event* next = queue_.peek();
    return next == nullptr ? Instant::never() : next->at;
  }

  /// Called after every event that reached an actor, when set: the invariant checks of the
  /// test build hang here. A plain function pointer: nothing allocated per event.
  using AfterEventHook = void (*)(void* context);
  void set_after_event_hook(AfterEventHook hook, void* context) {
    after_event_ = hook;
    after_event_context_ = context;
  }

  /// Attaches an observer of every schedule and cancel (nullptr detaches). Costs a predicted
  /// branch per schedule when none is attached.
  void set_schedule_observer(ScheduleObserver* observer) { schedule_observer_ = observer; }

  /// Events delivered to actors (cancelled and dropped records are not counted).
  std::uint64_t events_processed() const { return events_processed_; }

 private:
  struct TimerSlot {
    std::uint64_t seq = 0;  // the live heap record's sequence number; 0 when the slot is free
    TimerCookie cookie;
    std::uint32_t incarnation = 0;  // the actor's incarnation when the timer was set
  };
  struct ActorEntry {
    Actor* actor = nullptr;
    ActorState state = ActorState::running;
    std::uint32_t incarnation = 0;
    std::vector<Event> waiting;  // events that came due while paused, in order
  };

  void push(Instant at, std::uint32_t actor, std::uint32_t data);
  void dispatch(const Event& event);
  void free_slot(std::uint32_t slot);
  /// The queue's drop hook: drops (and frees the slot of) a timer record known to be dead.
  static bool drop_if_dead(void* context, const Event& event);

  Instant now_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t events_processed_ = 0;
  EventQueue queue_;
  std::vector<ActorEntry> actors_;
  std::vector<TimerSlot> timer_slots_;
  std::vector<std::uint32_t> free_slots_;
  AfterEventHook after_event_ = nullptr;
  void* after_event_context_ = nullptr;
  ScheduleObserver* schedule_observer_ = nullptr;
};

}  // namespace kafkasim
