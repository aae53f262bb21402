// When the parked produce requests of a broker's purgatory expire, kept for one timer.
//
// Kafka's DelayedOperationPurgatory does not set a timer per operation it parks: its
// SystemTimer (a hierarchical timing wheel, utils/timer/Timer.scala) holds every operation's
// deadline, and one expiration reaper thread advances it. The model did set an engine timer per
// parked request, and nearly every one was cancelled, the request answered within milliseconds
// of a 30 s timeout: one timer per acks=all produce, 295,000 in the cluster benchmark. These
// deadlines let the broker keep one timer, at the earliest deadline of the requests still
// parked (Broker::park_produce, Broker::on_produce_timeout). Requests expire at the same
// instants as before, and requests due at the same instant in the order they were parked.
//
// Few requests are parked at once (a connection sends its next request only once this one is
// answered: SocketServer's mute), so a sorted vector serves.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "kafkasim/core/time.h"

namespace kafkasim {

class PurgatoryTimeouts {
 public:
  /// A request parked under `id` (ids grow in park order) expires at `deadline`.
  void add(Instant deadline, std::uint64_t id) {
    const Entry entry{deadline, id};
    deadlines_.insert(std::upper_bound(deadlines_.begin(), deadlines_.end(), entry), entry);
  }
  /// The request is answered (or expired): its deadline no longer counts. Precondition: added
  /// with this deadline and not removed since.
  void remove(Instant deadline, std::uint64_t id) {
    const Entry entry{deadline, id};
    const auto it = std::lower_bound(deadlines_.begin(), deadlines_.end(), entry);
    assert(it != deadlines_.end() && *it == entry);
    deadlines_.erase(it);
  }
  /// The earliest deadline still counted, if any.
  std::optional<Instant> earliest() const {
    if (deadlines_.empty()) return std::nullopt;
    return deadlines_.front().first;
  }
  /// The request that expires first (the first parked among those due at the same instant).
  /// Precondition: earliest() has a value.
  std::uint64_t first_due() const {
    assert(!deadlines_.empty());
    return deadlines_.front().second;
  }
  std::size_t size() const { return deadlines_.size(); }
  void clear() { deadlines_.clear(); }

 private:
  using Entry = std::pair<Instant, std::uint64_t>;
  std::vector<Entry> deadlines_;  // sorted by (deadline, id)
};

}  // namespace kafkasim
