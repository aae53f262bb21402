// The pending-event set: a radix heap on the event time with a sorted bottom, in the manner of
// the ladder queue (Tang, Goh and Thng, 2005): the far future sits in coarse buckets that are
// never sorted, and only the few events due next are sorted, into a short list popped from its
// end.
//
// Events are ordered by (time, sequence number); the engine hands out sequence numbers in
// scheduling order, so events due at the same instant run first-in first-out and the order
// never depends on a pointer or a hash (STYLE.md 1). Keys are unique, so the order is total.
//
// Two facts of a simulation make it cheap:
// - It is monotone: nothing is scheduled before the event being processed. So the buckets can be
//   those of a radix heap (Denardo and Fox, 1979; Ahuja, Mehlhorn, Orlin and Tarjan, 1990): read
//   the time as 16 hexadecimal digits; an event sits in the bucket named by the most significant
//   digit in which its time differs from the reference time and by its own value of that digit.
//   Every event of a lower bucket runs before every event of a higher one. Pushing is O(1).
// - Sequence numbers grow in push order (a precondition of push). So each bucket's vector is
//   already in sequence order (events reach a bucket either pushed, in sequence order, or moved
//   from the lowest bucket, in its order, while every lower bucket is empty), and the time alone
//   decides between buckets: the sequence number never needs a digit of its own.
//
// When the sorted bottom runs out, the lowest non-empty bucket becomes the next bottom: sorted,
// if it is small (kSortMax events), else taken apart into lower buckets first (its events move
// down one level, as in a radix heap, and the smallest of them becomes the reference). An event
// pushed before the end of the bottom (a short delay, or a fault scheduled at a horizon the
// engine peeked past) is inserted into the bottom in order. Records stay in contiguous vectors;
// nothing is allocated per event once the vectors have grown. `kafkasim bench hold` compares it
// with std::priority_queue, a calendar queue and the radix heap it replaced (bench/peers/).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
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
static_assert(sizeof(Event) == 24, "events stay small: the queue is the hot path");

/// Strict (time, sequence) order: true when `a` runs before `b`.
constexpr bool runs_before(const Event& a, const Event& b) {
  return a.at < b.at || (a.at == b.at && a.seq < b.seq);
}

class EventQueue {
 public:
  /// Asked of each event of a bucket being taken apart: true drops it from the queue there and
  /// then (the engine's cancelled timers: their records need not travel further down).
  using DropHook = bool (*)(void* context, const Event& event);

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  /// Sets the drop hook (nullptr: nothing is dropped). Dropping changes no order: a dropped
  /// event is one its owner would have skipped when it came up.
  void set_drop_hook(DropHook hook, void* context) {
    drop_ = hook;
    drop_context_ = context;
  }

  /// Adds an event. Preconditions: it runs after the last event popped (monotonicity), and its
  /// sequence number is greater than that of every event pushed before.
  void push(const Event& event) {
    assert(event.seq > last_seq_ && "sequence numbers grow in push order");
    assert(event.at.ns() >= 0);
#ifndef NDEBUG
    last_seq_ = event.seq;
#endif
    ++size_;
    const auto time = static_cast<std::uint64_t>(event.at.ns());
    if (time < reference_) [[unlikely]] {
      insert_into_bottom(event);
      return;
    }
    place(event, time);
  }

  /// The earliest event, or nullptr when none is left. Not const: it may sort a bucket, and
  /// with a drop hook it may find that every pending event was dropped.
  const Event* peek() {
    if (bottom_.empty()) refill();
    return bottom_.empty() ? nullptr : &bottom_.back();
  }

  /// The earliest event. Precondition: !empty() and no drop hook (else use peek()).
  const Event& top() {
    const Event* earliest = peek();
    assert(earliest != nullptr);
    return *earliest;
  }

  /// Removes and returns the earliest event. Precondition: peek() would not return nullptr.
  Event pop() {
    if (bottom_.empty()) refill();
    assert(!bottom_.empty());
    const Event earliest = bottom_.back();
    bottom_.pop_back();
    --size_;
    return earliest;
  }

 private:
  // Bucket 0 holds the times equal to the reference. Bucket 1 + 16*d + v holds the times whose
  // most significant hexadecimal digit differing from the reference is digit d, of value v.
  static constexpr int kDigitBits = 4;
  static constexpr int kDigitValues = 1 << kDigitBits;
  static constexpr int kDigits = 64 / kDigitBits;
  static constexpr int kBuckets = 1 + kDigits * kDigitValues;
  static constexpr int kMaskWords = (kBuckets + 63) / 64;
  // A bucket of at most this many events is sorted into the bottom; a larger one is taken apart
  // first. (Sorting a few dozen 24-byte records costs less than moving them down a level.)
  static constexpr std::size_t kSortMax = 48;
  // A bucket taken apart keeps a buffer of at most this many events for the next one.
  static constexpr std::size_t kKeepCapacity = 4096;

  int bucket_of(std::uint64_t time) const {
    const std::uint64_t difference = time ^ reference_;
    if (difference == 0) return 0;
    const int digit = (63 - std::countl_zero(difference)) / kDigitBits;
    const auto value = static_cast<int>((time >> (digit * kDigitBits)) & (kDigitValues - 1));
    return 1 + digit * kDigitValues + value;
  }

  void place(const Event& e, std::uint64_t time) {
    const int b = bucket_of(time);
    buckets_[static_cast<std::size_t>(b)].push_back(e);
    occupied_[static_cast<std::size_t>(b >> 6)] |= std::uint64_t{1} << (b & 63);
  }

  // Precondition: some bucket is occupied (size_ > 0 and the bottom is empty).
  int lowest_occupied() const {
    for (int word = 0; word < kMaskWords; ++word) {
      const std::uint64_t bits = occupied_[static_cast<std::size_t>(word)];
      if (bits != 0) return word * 64 + std::countr_zero(bits);
    }
    assert(false && "no occupied bucket");
    return 0;
  }

  // Into the bottom (kept in descending order, so that the earliest is at the back): after every
  // event due at or before it, since its sequence number is the greatest yet.
  void insert_into_bottom(const Event& e) {
    assert(!bottom_.empty() && "only the bottom spans times below the reference");
    auto position = bottom_.end();
    while (position != bottom_.begin() && (position - 1)->at <= e.at)
      --position;
    bottom_.insert(position, e);
  }

  // Makes the bottom hold the earliest events: the lowest non-empty bucket, sorted. Its largest
  // time becomes the reference, so later pushes at or after it go to the buckets and every
  // event in a bucket still runs after every event in the bottom.
  void refill() {
    while (size_ > 0) {
      const int lowest = lowest_occupied();
      std::vector<Event>& bucket = buckets_[static_cast<std::size_t>(lowest)];
      occupied_[static_cast<std::size_t>(lowest >> 6)] &= ~(std::uint64_t{1} << (lowest & 63));
      if (lowest == 0) {
        // One time, already in sequence order: reversed, it is the bottom.
        bottom_.assign(bucket.rbegin(), bucket.rend());
        bucket.clear();
        return;
      }
      if (bucket.size() <= kSortMax) {
        bottom_.assign(bucket.begin(), bucket.end());
        bucket.clear();
        // Descending (time, sequence): the bucket is in sequence order, so a stable sort by
        // time alone of the reversed bucket would do too; the full key keeps it obvious.
        std::sort(bottom_.begin(), bottom_.end(),
                  [](const Event& a, const Event& b) { return runs_before(b, a); });
        reference_ = static_cast<std::uint64_t>(bottom_.front().at.ns());
        return;
      }
      // Too many to sort: move them down a level, relative to the earliest of them (every other
      // bucket is above this one, so its events keep their buckets). Far-off timers that were
      // cancelled meanwhile (most request timeouts) are dropped here rather than carried down.
      spill_.swap(bucket);
      if (drop_ != nullptr) {
        const std::size_t before = spill_.size();
        std::erase_if(spill_, [this](const Event& e) { return drop_(drop_context_, e); });
        size_ -= before - spill_.size();
        if (spill_.empty()) continue;
      }
      std::uint64_t earliest = static_cast<std::uint64_t>(spill_.front().at.ns());
      for (const Event& e : spill_)
        earliest = std::min(earliest, static_cast<std::uint64_t>(e.at.ns()));
      reference_ = earliest;
      for (const Event& e : spill_)
        place(e, static_cast<std::uint64_t>(e.at.ns()));
      // A bucket of the far future is filled once and taken apart once (the 30 s request
      // timeouts fill one per 4.3 s of simulated time): keep its large buffer, and every bucket
      // it passes to by the swap above would hold one, up to sixteen. Free it instead, for the
      // next one to reuse.
      if (spill_.capacity() > kKeepCapacity) {
        std::vector<Event>().swap(spill_);
      } else {
        spill_.clear();
      }
    }
  }

  std::vector<Event> bottom_;  // the earliest events, in descending order: the next is at back()
  std::array<std::vector<Event>, kBuckets> buckets_;
  std::array<std::uint64_t, kMaskWords> occupied_{};  // bit b: bucket b is not empty
  std::vector<Event> spill_;                          // a bucket being taken apart
  DropHook drop_ = nullptr;
  void* drop_context_ = nullptr;
  std::uint64_t reference_ = 0;  // every time in a bucket is >= it; in the bottom, <= it
  std::size_t size_ = 0;
#ifndef NDEBUG
  std::uint64_t last_seq_ = 0;
#endif
};

}  // namespace kafkasim
