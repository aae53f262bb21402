// A peer of kafkasim's event queue, for `kafkasim bench hold --queue calendar`: Brown's
// calendar queue (R. Brown, "Calendar queues", CACM 31(10), 1988) on integer ticks (the
// event time in nanoseconds). A year of n days (buckets) of `width` ticks each; an event goes
// to day (time / width) mod n, kept sorted there; popping walks the days of the current year
// and falls back to a direct search when a whole year is empty. The calendar doubles or halves
// its days when the size passes 2n or n/2, with a day width of three times the mean gap between
// the earliest events (Brown's rule). Ties are broken by sequence number, so it pops exactly
// what kafkasim's queue pops.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kafkasim/engine/event_queue.h"

namespace kafkasim::peers {

class CalendarQueue {
 public:
  CalendarQueue() { days_.resize(2); }

  bool empty() const { return size_ == 0; }

  void push(const Event& e) {
    insert(e);
    if (++size_ > 2 * days_.size()) resize(days_.size() * 2);
  }

  Event pop() {
    for (;;) {
      for (std::size_t k = 0; k < days_.size(); ++k) {
        std::vector<Event>& day = days_[current_];
        if (!day.empty() && day.back().at.ns() < day_end_) return take(day);
        current_ = (current_ + 1) & (days_.size() - 1);
        day_end_ += width_;
      }
      // A whole year without an event: jump to the earliest one (a direct search).
      std::int64_t earliest = INT64_MAX;
      for (const std::vector<Event>& day : days_) {
        if (!day.empty()) earliest = std::min(earliest, day.back().at.ns());
      }
      start_at(earliest);
    }
  }

 private:
  std::size_t day_of(std::int64_t t) const {
    return static_cast<std::size_t>(t / width_) & (days_.size() - 1);
  }

  void start_at(std::int64_t t) {
    current_ = day_of(t);
    day_end_ = (t / width_ + 1) * width_;
  }

  // Each day in descending (time, sequence) order: the earliest at back(). A new event has the
  // greatest sequence number yet, so it goes after every event of its time or earlier.
  void insert(const Event& e) {
    std::vector<Event>& day = days_[day_of(e.at.ns())];
    auto position = day.end();
    while (position != day.begin() && (position - 1)->at <= e.at)
      --position;
    day.insert(position, e);
  }

  Event take(std::vector<Event>& day) {
    const Event e = day.back();
    day.pop_back();
    --size_;
    if (size_ < days_.size() / 2 && days_.size() > 2) resize(days_.size() / 2);
    return e;
  }

  void resize(std::size_t new_days) {
    std::vector<Event> all;
    all.reserve(size_);
    for (std::vector<Event>& day : days_) {
      all.insert(all.end(), day.begin(), day.end());
    }
    // Brown's width: three times the mean separation of the earliest events (up to 25).
    const std::size_t sample = std::min<std::size_t>(all.size(), 26);
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(sample), all.end(),
                      runs_before);
    if (sample >= 2) {
      const std::int64_t span = all[sample - 1].at.ns() - all[0].at.ns();
      width_ = std::max<std::int64_t>(1, 3 * span / static_cast<std::int64_t>(sample - 1));
    }
    days_.assign(new_days, {});
    // Re-insert in (time, sequence) order so that each day stays sorted by appending in front.
    std::sort(all.begin(), all.end(), runs_before);
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      days_[day_of(it->at.ns())].push_back(*it);
    }
    start_at(all.empty() ? last_start_ : all.front().at.ns());
  }

  std::vector<std::vector<Event>> days_;
  std::int64_t width_ = 1'000'000;  // ticks (ns) per day
  std::size_t current_ = 0;
  std::int64_t day_end_ = 1'000'000;
  std::int64_t last_start_ = 0;
  std::size_t size_ = 0;
};

}  // namespace kafkasim::peers
