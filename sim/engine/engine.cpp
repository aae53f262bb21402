#include "kafkasim/engine/engine.h"

#include <cassert>
#include <cstdlib>

namespace kafkasim {

void Actor::on_event(std::uint32_t /*data*/) {
  // An actor that never posts plain events to itself must never receive one.
  std::abort();
}

Engine::Engine() {
  queue_.set_drop_hook(&Engine::drop_if_dead, this);
}

bool Engine::drop_if_dead(void* context, const Event& event) {
  // Only a timer record can be known dead before it comes up: its timer was cancelled (the slot
  // no longer carries its sequence number: cancel() freed it, and it may hold a later timer by
  // now) or set before its actor crashed (an older incarnation: the slot is still this record's,
  // and is freed with it). dispatch() would skip it; dropping it now changes nothing but the
  // slot numbers later timers get, which order nothing.
  if ((event.data & kTimerBit) == 0) return false;
  auto& engine = *static_cast<Engine*>(context);
  const std::uint32_t slot = event.data & ~kTimerBit;
  const TimerSlot& timer = engine.timer_slots_[slot];
  if (timer.seq != event.seq) return true;
  if (timer.incarnation == engine.actors_[event.actor].incarnation) return false;
  engine.free_slot(slot);
  return true;
}

ActorId Engine::add_actor(Actor& actor) {
  actors_.push_back(ActorEntry{&actor, ActorState::running, 0, {}});
  return ActorId(static_cast<std::uint32_t>(actors_.size() - 1));
}

void Engine::push(Instant at, std::uint32_t actor, std::uint32_t data) {
  assert(at >= now_ && "events are never scheduled in the past");
  const Event event{at, next_seq_++, actor, data};
  queue_.push(event);
  if (schedule_observer_ != nullptr) [[unlikely]] {
    schedule_observer_->on_schedule(now_, event, queue_.size());
  }
}

TimerId Engine::set_timer(Instant at, ActorId actor, TimerCookie cookie) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(timer_slots_.size());
    assert(slot < kTimerBit);
    timer_slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  const std::uint64_t seq = next_seq_;
  timer_slots_[slot] = TimerSlot{seq, cookie, actors_[actor.value()].incarnation};
  push(at, actor.value(), slot | kTimerBit);
  return TimerId{slot, seq};
}

bool Engine::is_pending(TimerId timer) const {
  return timer.valid() && timer.slot < timer_slots_.size() &&
         timer_slots_[timer.slot].seq == timer.seq;
}

bool Engine::cancel(TimerId& timer) {
  const bool pending = is_pending(timer);
  // The slot is freed at once, while it is still in the cache: the queue's record stays, but it
  // names the slot and the timer's sequence number, and a slot reused by a later timer carries
  // that timer's (greater) number, so the record is known dead either way. (Holding the slot
  // until the record came up kept one slot per pending request timeout: 300,000 slots, cold,
  // in the cluster benchmark.)
  if (pending) {
    if (schedule_observer_ != nullptr) [[unlikely]] {
      schedule_observer_->on_cancel(now_, timer.seq);
    }
    free_slot(timer.slot);
  }
  timer = TimerId{};
  return pending;
}

void Engine::free_slot(std::uint32_t slot) {
  timer_slots_[slot].seq = 0;
  free_slots_.push_back(slot);
}

void Engine::post(Instant at, ActorId actor, std::uint32_t data) {
  assert((data & kTimerBit) == 0);
  push(at, actor.value(), data);
}

void Engine::pause(ActorId actor) {
  auto& entry = actors_[actor.value()];
  if (entry.state == ActorState::running) entry.state = ActorState::paused;
}

void Engine::resume(ActorId actor) {
  auto& entry = actors_[actor.value()];
  if (entry.state != ActorState::paused) return;
  entry.state = ActorState::running;
  // Re-queue what came due while paused, now, keeping its order: fresh sequence numbers are
  // increasing, so (now, seq) preserves the order in which the events were due.
  std::vector<Event> waiting;
  waiting.swap(entry.waiting);
  for (const Event& event : waiting) {
    const std::uint64_t seq = next_seq_;
    if (event.data & kTimerBit) {
      TimerSlot& slot = timer_slots_[event.data & ~kTimerBit];
      if (slot.seq != event.seq) continue;  // cancelled while waiting (cancel() freed the slot)
      slot.seq = seq;
    }
    push(now_, event.actor, event.data);
  }
}

void Engine::stop(ActorId actor) {
  auto& entry = actors_[actor.value()];
  entry.state = ActorState::stopped;
  ++entry.incarnation;  // every timer set before now is stale
  for (const Event& event : entry.waiting) {
    // A waiting timer still owns its slot unless it was cancelled (cancel() freed it then).
    if ((event.data & kTimerBit) && timer_slots_[event.data & ~kTimerBit].seq == event.seq) {
      free_slot(event.data & ~kTimerBit);
    }
  }
  entry.waiting.clear();
}

void Engine::restart(ActorId actor) {
  auto& entry = actors_[actor.value()];
  if (entry.state == ActorState::stopped) entry.state = ActorState::running;
}

void Engine::dispatch(const Event& event) {
  ActorEntry& entry = actors_[event.actor];
  TimerCookie cookie;
  const bool is_timer = (event.data & kTimerBit) != 0;
  if (is_timer) {
    const std::uint32_t slot = event.data & ~kTimerBit;
    const TimerSlot& timer = timer_slots_[slot];
    // A record outlives its timer when the timer was cancelled (cancel() freed the slot, which
    // may hold a later timer now) or set before a crash (an older incarnation: the slot is still
    // this record's, and is released with it).
    if (timer.seq != event.seq) [[unlikely]]
      return;
    if (timer.incarnation != entry.incarnation) [[unlikely]] {
      free_slot(slot);
      return;
    }
    if (entry.state == ActorState::paused) [[unlikely]] {
      entry.waiting.push_back(event);
      return;
    }
    cookie = timer.cookie;
    free_slot(slot);
  } else if (entry.state != ActorState::running) [[unlikely]] {
    if (entry.state == ActorState::paused) entry.waiting.push_back(event);
    return;  // events for a stopped actor are dropped
  }
  ++events_processed_;
  if (is_timer) {
    entry.actor->on_timer(cookie);
  } else {
    entry.actor->on_event(event.data);
  }
  if (after_event_ != nullptr) after_event_(after_event_context_);
}

bool Engine::step() {
  if (queue_.peek() == nullptr) return false;
  const Event event = queue_.pop();
  now_ = event.at;
  dispatch(event);
  return true;
}

void Engine::run_until(Instant end) {
  for (const Event* next = queue_.peek(); next != nullptr && next->at <= end; next = queue_.peek())
    step();
  if (end > now_) now_ = end;
}

bool Engine::run_until(Instant end, std::uint64_t max_events) {
  for (const Event* next = queue_.peek(); next != nullptr && next->at <= end;
       next = queue_.peek()) {
    step();
    if (events_processed_ > max_events) return false;
  }
  if (end > now_) now_ = end;
  return true;
}

}  // namespace kafkasim
