// The pending-event set: a 4-ary min-heap of 24-byte records in one contiguous vector.
//
// Events are ordered by (time, sequence number); the engine hands out sequence numbers in
// scheduling order, so events due at the same instant run first-in first-out and the order
// never depends on a pointer or a hash (STYLE.md 1). A 4-ary heap halves the depth of a binary
// heap and keeps a node's children in one cache line, which is what makes it faster than
// std::priority_queue on the same records (see `kafkasim bench hold`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kafkasim/core/time.h"

namespace kafkasim {

struct Event {
  Instant at;
  std::uint64_t seq = 0;
  /// Which actor the event is for (an ActorId's value).
  std::uint32_t actor = 0;
  /// For a timer, its slot in the engine's timer table with Engine::kTimerBit set; otherwise a
  /// word the target actor interprets (the network, for instance, a message slot).
  std::uint32_t data = 0;
};
static_assert(sizeof(Event) == 24, "events stay small: the heap is the hot path");

/// Strict (time, sequence) order: true when `a` runs before `b`.
constexpr bool runs_before(const Event& a, const Event& b) {
  return a.at < b.at || (a.at == b.at && a.seq < b.seq);
}

class EventQueue {
 public:
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  void reserve(std::size_t n) { heap_.reserve(n); }

  const Event& top() const { return heap_.front(); }

  void push(const Event& event) {
    heap_.push_back(event);
    sift_up(heap_.size() - 1);
  }

  /// Removes and returns the earliest event. Precondition: !empty().
  Event pop() {
    const Event earliest = heap_.front();
    const Event last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last);
    return earliest;
  }

 private:
  static constexpr std::size_t kArity = 4;

  // Both sifts move a hole instead of swapping, one copy per level.
  void sift_up(std::size_t index) {
    const Event moving = heap_[index];
    while (index > 0) {
      const std::size_t parent = (index - 1) / kArity;
      if (!runs_before(moving, heap_[parent])) break;
      heap_[index] = heap_[parent];
      index = parent;
    }
    heap_[index] = moving;
  }

  // Places `moving` (the old last element) starting from the root.
  void sift_down(const Event& moving) {
    const std::size_t n = heap_.size();
    std::size_t index = 0;
    for (;;) {
      const std::size_t first_child = index * kArity + 1;
      if (first_child >= n) break;
      const std::size_t end = first_child + kArity < n ? first_child + kArity : n;
      std::size_t best = first_child;
      for (std::size_t c = first_child + 1; c < end; ++c) {
        if (runs_before(heap_[c], heap_[best])) best = c;
      }
      if (!runs_before(heap_[best], moving)) break;
      heap_[index] = heap_[best];
      index = best;
    }
    heap_[index] = moving;
  }

  std::vector<Event> heap_;
};

}  // namespace kafkasim
