// A peer of kafkasim's event queue, for `kafkasim bench hold --queue std`: the standard
// library's binary heap (std::priority_queue over a std::vector) of the same 24-byte records,
// ordered by (time, sequence) as the engine's queue is.
#pragma once

#include <queue>
#include <vector>

#include "kafkasim/engine/event_queue.h"

namespace kafkasim::peers {

class PriorityQueue {
 public:
  bool empty() const { return heap_.empty(); }
  void reserve(std::size_t n) {
    std::vector<Event> storage;
    storage.reserve(n);
    heap_ = Heap(Later{}, std::move(storage));
  }
  void push(const Event& e) { heap_.push(e); }
  Event pop() {
    const Event e = heap_.top();
    heap_.pop();
    return e;
  }

 private:
  struct Later {
    bool operator()(const Event& a, const Event& b) const { return runs_before(b, a); }
  };
  using Heap = std::priority_queue<Event, std::vector<Event>, Later>;
  Heap heap_;
};

}  // namespace kafkasim::peers
