// Sessions and their expiry, in tick buckets (server/SessionTrackerImpl.java with
// server/ExpiryQueue.java).
//
// Each session expires at roundToNextInterval(last touch + timeout): the next multiple of
// tickTime strictly after that instant, so every session due in one tick goes together at the
// tick boundary. A touch (any message from the client) moves the session to the bucket of its
// new expiry. The model's ticks are counted from the start of the run; real ZooKeeper counts
// them from an arbitrary origin of its monotonic clock, which only shifts the boundaries.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/protocol/zookeeper_protocol.h"

namespace kafkasim {

class SessionTracker {
 public:
  explicit SessionTracker(Duration tick_time) : tick_time_(tick_time) {}

  Duration tick_time() const { return tick_time_; }

  /// A new session (SessionTrackerImpl.createSession), touched now.
  ZkSessionId create_session(Duration timeout, Instant now);
  /// Moves the session's expiry to now + its timeout, rounded up to a tick. Returns false for a
  /// session that does not exist (expired, closed or never made): touchSession's answer.
  bool touch(ZkSessionId session, Instant now);
  /// Forgets a session (it expired or was closed).
  void remove(ZkSessionId session);

  bool exists(ZkSessionId session) const { return sessions_.contains(session); }
  /// Preconditions: exists(session).
  Duration timeout(ZkSessionId session) const { return sessions_.at(session).timeout; }
  Instant expiration(ZkSessionId session) const { return sessions_.at(session).expiration; }
  std::size_t size() const { return sessions_.size(); }
  /// Every live session, in id order.
  std::vector<ZkSessionId> sessions() const;

  /// The earliest tick at which some session expires; never() when there is none.
  Instant next_expiration() const;
  /// Removes and returns the sessions whose expiry is at or before `now`, in expiry then id
  /// order (ExpiryQueue.poll, bucket after bucket).
  std::vector<ZkSessionId> poll_expired(Instant now);

  /// Every session gets a full timeout from now: what a restarted server does with the sessions
  /// of its snapshot (ZooKeeperServer.loadData -> SessionTrackerImpl.addSession).
  void touch_all(Instant now);

  /// roundToNextInterval: the first tick boundary strictly after `t`.
  Instant round_to_next_tick(Instant t) const;

 private:
  struct Session {
    Duration timeout{0};
    Instant expiration;
  };
  void place(ZkSessionId session, Session& state, Instant expiration);

  Duration tick_time_;
  std::map<ZkSessionId, Session> sessions_;
  std::map<Instant, std::set<ZkSessionId>> buckets_;
  /// Session ids are handed out in order from 1. Real ZooKeeper starts from the server id and
  /// the clock (SessionTrackerImpl.initializeNextSession); any unique sequence behaves the same.
  std::int64_t next_session_ = 1;
};

}  // namespace kafkasim
