// A peer of kafkasim's event queue, for `kafkasim bench hold --queue radix`: the pending-event
// set the engine used before (until issue 15), kept verbatim so that the benchmark prints the
// before and the after in one run. A radix heap with 16-way digits over the 128-bit key (time,
// sequence): an event sits in the bucket named by the most significant digit in which its key
// differs from the last minimum found and by its own value of that digit; the lowest non-empty
// bucket is taken apart (its events move to lower digits) whenever bucket 0 is empty.
#pragma once

#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kafkasim/engine/event_queue.h"

namespace kafkasim::peers {

class RadixHeap {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  /// Adds an event. Precondition (monotonicity): it runs after the last event popped.
  void push(const Event& event) {
    // top() may have made a pending event the reference key. An event scheduled between that
    // peek and the next pop (the engine peeks to stop at a horizon; faults are then scheduled
    // at the horizon) can run before it: re-place everything relative to the new event. It is
    // rare (once per horizon), and it keeps the rule that every key is >= the reference.
    if (size_ > 0 && runs_before(event, last_)) rebase(event);
    place(event);
    ++size_;
  }

  /// The earliest event. Precondition: !empty(). Not const: it may redistribute a bucket.
  const Event& top() {
    refill();
    return buckets_[0].back();
  }

  /// Removes and returns the earliest event. Precondition: !empty().
  Event pop() {
    refill();
    const Event earliest = buckets_[0].back();
    buckets_[0].pop_back();
    occupied_[0] &= ~std::uint64_t{1};
    --size_;
    return earliest;
  }

 private:
  // Bucket 0 holds the key equal to the reference. Bucket 1 + 16*p + v holds keys whose most
  // significant digit differing from the reference is digit p (0-15: the sequence number's,
  // 16-31: the time's) and whose value of that digit is v.
  static constexpr int kDigitBits = 4;
  static constexpr int kDigitValues = 1 << kDigitBits;
  static constexpr int kDigitsPerWord = 64 / kDigitBits;
  static constexpr int kBuckets = 1 + 2 * kDigitsPerWord * kDigitValues;
  static constexpr int kMaskWords = (kBuckets + 63) / 64;

  static int bucket_in_word(std::uint64_t key, std::uint64_t difference, int first_digit) {
    const int digit = (63 - std::countl_zero(difference)) / kDigitBits;
    const auto value = static_cast<int>((key >> (digit * kDigitBits)) & (kDigitValues - 1));
    return 1 + (first_digit + digit) * kDigitValues + value;
  }

  int bucket_of(const Event& e) const {
    const auto time = static_cast<std::uint64_t>(e.at.ns());
    const auto time_bits = time ^ static_cast<std::uint64_t>(last_.at.ns());
    if (time_bits != 0) return bucket_in_word(time, time_bits, kDigitsPerWord);
    const std::uint64_t seq_bits = e.seq ^ last_.seq;
    return seq_bits != 0 ? bucket_in_word(e.seq, seq_bits, 0) : 0;
  }

  void place(const Event& e) {
    const int b = bucket_of(e);
    buckets_[static_cast<std::size_t>(b)].push_back(e);
    occupied_[static_cast<std::size_t>(b >> 6)] |= std::uint64_t{1} << (b & 63);
  }

  int lowest_occupied() const {
    for (int word = 0; word < kMaskWords; ++word) {
      const std::uint64_t bits = occupied_[static_cast<std::size_t>(word)];
      if (bits != 0) return word * 64 + std::countr_zero(bits);
    }
    return -1;
  }

  // Makes bucket 0 hold the minimum: take the lowest non-empty bucket, make its minimum the new
  // reference key, and redistribute it; every one of its events lands in a lower bucket.
  void refill() {
    assert(size_ > 0);
    if (!buckets_[0].empty()) return;
    const int lowest = lowest_occupied();
    std::vector<Event>& bucket = buckets_[static_cast<std::size_t>(lowest)];
    std::size_t min_index = 0;
    for (std::size_t i = 1; i < bucket.size(); ++i) {
      if (runs_before(bucket[i], bucket[min_index])) min_index = i;
    }
    last_ = bucket[min_index];
    occupied_[static_cast<std::size_t>(lowest >> 6)] &= ~(std::uint64_t{1} << (lowest & 63));
    for (const Event& e : bucket)
      place(e);
    bucket.clear();
  }

  void rebase(const Event& new_reference) {
    std::vector<Event> all;
    all.reserve(size_);
    for (std::vector<Event>& bucket : buckets_) {
      all.insert(all.end(), bucket.begin(), bucket.end());
      bucket.clear();
    }
    occupied_ = {};
    last_ = new_reference;
    for (const Event& e : all)
      place(e);
  }

  std::array<std::vector<Event>, kBuckets> buckets_;
  std::array<std::uint64_t, kMaskWords> occupied_{};  // bit b: bucket b is not empty
  Event last_{};                                      // the reference key: the last minimum found
  std::size_t size_ = 0;
};

}  // namespace kafkasim::peers
