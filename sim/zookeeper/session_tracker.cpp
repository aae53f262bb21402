#include "kafkasim/zookeeper/session_tracker.h"

namespace kafkasim {

// ExpiryQueue.roundToNextInterval: (time / expirationInterval + 1) * expirationInterval. An
// instant exactly on a boundary goes to the next one.
Instant SessionTracker::round_to_next_tick(Instant t) const {
  const std::int64_t tick_ns = tick_time_.count();
  return Instant::from_ns((t.ns() / tick_ns + 1) * tick_ns);
}

void SessionTracker::place(ZkSessionId session, Session& state, Instant expiration) {
  if (state.expiration == expiration && buckets_.contains(expiration)) return;
  const auto old = buckets_.find(state.expiration);
  if (old != buckets_.end()) {
    old->second.erase(session);
    if (old->second.empty()) buckets_.erase(old);
  }
  state.expiration = expiration;
  buckets_[expiration].insert(session);
}

ZkSessionId SessionTracker::create_session(Duration timeout, Instant now) {
  const ZkSessionId session(next_session_++);
  Session& state = sessions_[session];
  state.timeout = timeout;
  state.expiration = Instant::never();
  place(session, state, round_to_next_tick(now + timeout));
  return session;
}

// SessionTrackerImpl.touchSession -> updateSessionExpiry -> ExpiryQueue.update.
bool SessionTracker::touch(ZkSessionId session, Instant now) {
  const auto it = sessions_.find(session);
  if (it == sessions_.end()) return false;
  place(session, it->second, round_to_next_tick(now + it->second.timeout));
  return true;
}

void SessionTracker::remove(ZkSessionId session) {
  const auto it = sessions_.find(session);
  if (it == sessions_.end()) return;
  const auto bucket = buckets_.find(it->second.expiration);
  if (bucket != buckets_.end()) {
    bucket->second.erase(session);
    if (bucket->second.empty()) buckets_.erase(bucket);
  }
  sessions_.erase(it);
}

std::vector<ZkSessionId> SessionTracker::sessions() const {
  std::vector<ZkSessionId> ids;
  for (const auto& [session, state] : sessions_)
    ids.push_back(session);
  return ids;
}

Instant SessionTracker::next_expiration() const {
  return buckets_.empty() ? Instant::never() : buckets_.begin()->first;
}

std::vector<ZkSessionId> SessionTracker::poll_expired(Instant now) {
  std::vector<ZkSessionId> expired;
  while (!buckets_.empty() && buckets_.begin()->first <= now) {
    for (const ZkSessionId session : buckets_.begin()->second) {
      expired.push_back(session);
      sessions_.erase(session);
    }
    buckets_.erase(buckets_.begin());
  }
  return expired;
}

void SessionTracker::touch_all(Instant now) {
  for (auto& [session, state] : sessions_)
    place(session, state, round_to_next_tick(now + state.timeout));
}

}  // namespace kafkasim
