#include "kafkasim/zookeeper/client.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace kafkasim {

namespace {

/// StaticHostProvider.next(1000): with one server every reconnect spins this long first.
constexpr Duration kReconnectSpin = std::chrono::milliseconds(1000);
/// ClientCnxn.startConnect sleeps a uniform random time below this before reconnecting.
constexpr std::uint64_t kReconnectJitterMs = 1000;
/// ClientCnxn.SendThread: MAX_SEND_PING_INTERVAL.
constexpr Duration kMaxSendPingInterval = std::chrono::milliseconds(10000);

std::vector<std::string> listed(const std::set<std::string>& paths) {
  return {paths.begin(), paths.end()};
}

}  // namespace

std::string_view zk_session_event_name(ZkSessionEvent event) {
  switch (event) {
    case ZkSessionEvent::session_established:
      return "session_established";
    case ZkSessionEvent::reconnected:
      return "reconnected";
    case ZkSessionEvent::disconnected:
      return "disconnected";
    case ZkSessionEvent::expired:
      return "expired";
    case ZkSessionEvent::closed:
      return "closed";
  }
  return "unknown";
}

ZkClient::ZkClient(Engine& engine, Transport<Message>& network, ActorId owner, NodeId self,
                   NodeId server, const ZkClientConfig& config, ZkWatcher& watcher)
    : engine_(engine),
      network_(network),
      owner_(owner),
      self_(self),
      server_(server),
      config_(config),
      watcher_(watcher),
      jitter_(Rng::stream(config.seed, "zk-client/" + network.topology().name(self))) {}

// --- Life ----------------------------------------------------------------------------------------

void ZkClient::start() {
  if (state_ != ZkClientState::idle) {
    // A new process: the old one's session, requests and watches died with it. Its session
    // lives on at the server until it expires.
    engine_.cancel(timer_);
    timer_at_ = Instant::never();
    queued_.clear();
    outstanding_.clear();
    data_watches_.clear();
    exist_watches_.clear();
    child_watches_.clear();
  }
  session_id_ = kNoZkSession;
  negotiated_timeout_ = Duration::zero();
  last_zxid_ = 0;
  connect();
}

void ZkClient::close() {
  if (state_ == ZkClientState::connected) {
    // ZooKeeper.close -> ClientCnxn.close: a closeSession request; the answer ends it.
    state_ = ZkClientState::closing;
    send_request(Request{ZkXid(next_xid_++), ZkCloseSession{}, {}});
    return;
  }
  if (state_ == ZkClientState::closing || state_ == ZkClientState::closed) return;
  finish_close();
}

void ZkClient::finish_close() {
  state_ = ZkClientState::closed;
  engine_.cancel(timer_);
  timer_at_ = Instant::never();
  network_.disconnect(self_, server_);
  fail_all(ZkCode::session_expired);
  watcher_.on_zk_session_event(ZkSessionEvent::closed);
}

// --- Requests ------------------------------------------------------------------------------------

ZkXid ZkClient::create(std::string path, std::string data, ZkCreateMode mode, ZkCallback callback) {
  return submit(ZkCreate{std::move(path), std::move(data), mode}, std::move(callback));
}
ZkXid ZkClient::remove(std::string path, ZkVersion version, ZkCallback callback) {
  return submit(ZkDelete{std::move(path), version}, std::move(callback));
}
ZkXid ZkClient::set_data(std::string path, std::string data, ZkVersion version,
                         ZkCallback callback) {
  return submit(ZkSetData{std::move(path), std::move(data), version}, std::move(callback));
}
ZkXid ZkClient::get_data(std::string path, ZkWatch watch, ZkCallback callback) {
  return submit(ZkGetData{std::move(path), watch}, std::move(callback));
}
ZkXid ZkClient::exists(std::string path, ZkWatch watch, ZkCallback callback) {
  return submit(ZkExists{std::move(path), watch}, std::move(callback));
}
ZkXid ZkClient::get_children(std::string path, ZkWatch watch, ZkCallback callback) {
  return submit(ZkGetChildren{std::move(path), watch}, std::move(callback));
}
ZkXid ZkClient::multi(std::vector<ZkMultiOp> ops, ZkCallback callback) {
  return submit(ZkMulti{std::move(ops)}, std::move(callback));
}

ZkXid ZkClient::submit(ZkOp op, ZkCallback callback) {
  Request request{ZkXid(next_xid_++), std::move(op), std::move(callback)};
  const ZkXid xid = request.xid;
  switch (state_) {
    case ZkClientState::connected:
      send_request(std::move(request));
      break;
    case ZkClientState::closing:
    case ZkClientState::closed:
      // ClientCnxn.queuePacket on a closed client: conLossPacket answers SESSIONEXPIRED.
      if (request.callback) {
        ZkResult failure;
        failure.code = ZkCode::session_expired;
        request.callback(failure);
      }
      break;
    default:  // waits for the connection (Kafka's ZooKeeperClient)
      queued_.push_back(std::move(request));
      break;
  }
  return xid;
}

void ZkClient::send_request(Request&& request) {
  const ZkXid xid = request.xid;
  send(ZkRequest{xid, request.op});
  outstanding_.emplace(xid, std::move(request));
}

void ZkClient::send(Message message) {
  const std::uint32_t bytes = wire_size(message);
  network_.send(self_, server_, std::move(message), bytes);
  last_send_ = engine_.now();
}

ZkClient::Taken ZkClient::take_requests() {
  return Taken{std::exchange(outstanding_, {}), std::exchange(queued_, {})};
}

void ZkClient::fail(Taken&& requests, ZkCode code) {
  ZkResult failure;
  failure.code = code;
  for (auto& [xid, request] : requests.outstanding) {
    if (request.callback) request.callback(failure);
  }
  for (Request& request : requests.queued) {
    if (request.callback) request.callback(failure);
  }
}

void ZkClient::fail_all(ZkCode code) {
  fail(take_requests(), code);
}

// --- Messages from the server --------------------------------------------------------------------

void ZkClient::on_message(NodeId from, ZkConnectResponse& message) {
  if (from == server_) on_connect_response(message);
}

void ZkClient::on_message(NodeId from, ZkPingResponse& message) {
  if (from != server_ || message.connection != connection_) return;
  last_heard_ = engine_.now();
  last_zxid_ = std::max(last_zxid_, message.zxid);
}

void ZkClient::on_message(NodeId from, ZkResponse& message) {
  if (from == server_) on_response(std::move(message));
}

void ZkClient::on_message(NodeId from, ZkWatchEvent& message) {
  if (from == server_) on_watch_event(message);
}

// ClientCnxn.SendThread.onConnected: a zero timeout means the session expired.
void ZkClient::on_connect_response(const ZkConnectResponse& response) {
  if (state_ != ZkClientState::connecting || response.connection != connection_) return;
  last_heard_ = engine_.now();
  if (response.expired()) {
    handle_expired();
    return;
  }
  const bool new_session = session_id_ == kNoZkSession;
  session_id_ = response.session_id;
  negotiated_timeout_ = response.session_timeout;
  state_ = ZkClientState::connected;
  // Requests made while disconnected go out now, oldest first.
  while (!queued_.empty()) {
    Request request = std::move(queued_.front());
    queued_.pop_front();
    send_request(std::move(request));
  }
  watcher_.on_zk_session_event(new_session ? ZkSessionEvent::session_established
                                           : ZkSessionEvent::reconnected);
  poll();
}

// The server said the session is gone: ClientCnxn queues Expired, then cleanup fails every
// request with SESSIONEXPIRED; Kafka's ZooKeeperClient then opens a new session at once.
void ZkClient::handle_expired() {
  Taken requests = take_requests();
  negotiated_timeout_ = Duration::zero();
  last_zxid_ = 0;
  data_watches_.clear();
  exist_watches_.clear();
  child_watches_.clear();
  state_ = ZkClientState::backoff;  // what the callbacks ask for waits for the new session
  reconnect_at_ = engine_.now();
  watcher_.on_zk_session_event(ZkSessionEvent::expired);  // session_id() is still the old one
  session_id_ = kNoZkSession;
  fail(std::move(requests), ZkCode::session_expired);
  if (state_ == ZkClientState::backoff && session_id_ == kNoZkSession) connect();
}

void ZkClient::on_response(ZkResponse&& response) {
  if (response.connection != connection_) return;
  if (state_ != ZkClientState::connected && state_ != ZkClientState::closing) return;
  last_heard_ = engine_.now();
  if (response.zxid > 0) last_zxid_ = std::max(last_zxid_, response.zxid);
  const auto it = outstanding_.find(response.xid);
  if (it == outstanding_.end()) return;
  Request request = std::move(it->second);
  outstanding_.erase(it);
  remember_watch(request.op, response.result);
  if (request.callback) request.callback(response.result);
  if (std::holds_alternative<ZkCloseSession>(request.op)) finish_close();
}

void ZkClient::on_watch_event(const ZkWatchEvent& event) {
  if (event.connection != connection_ || state_ != ZkClientState::connected) return;
  last_heard_ = engine_.now();
  forget_watch(event);
  watcher_.on_zk_watch_event(event.type, event.path);
}

// ZooKeeper.java's WatchRegistrations: a watch is kept only when the read succeeded, and an
// exists that found no node keeps an exist watch (ExistsWatchRegistration).
void ZkClient::remember_watch(const ZkOp& op, const ZkResult& result) {
  if (const auto* get = std::get_if<ZkGetData>(&op)) {
    if (get->watch == ZkWatch::watch && result.code == ZkCode::ok) data_watches_.insert(get->path);
  } else if (const auto* exists = std::get_if<ZkExists>(&op)) {
    if (exists->watch != ZkWatch::watch) return;
    if (result.code == ZkCode::ok) data_watches_.insert(exists->path);
    if (result.code == ZkCode::no_node) exist_watches_.insert(exists->path);
  } else if (const auto* children = std::get_if<ZkGetChildren>(&op)) {
    if (children->watch == ZkWatch::watch && result.code == ZkCode::ok) {
      child_watches_.insert(children->path);
    }
  }
}

// ZKWatchManager.materialize: which remembered watches an event used up.
void ZkClient::forget_watch(const ZkWatchEvent& event) {
  switch (event.type) {
    case ZkEventType::node_created:
    case ZkEventType::node_data_changed:
      data_watches_.erase(event.path);
      exist_watches_.erase(event.path);
      break;
    case ZkEventType::node_deleted:
      data_watches_.erase(event.path);
      exist_watches_.erase(event.path);
      child_watches_.erase(event.path);
      break;
    case ZkEventType::node_children_changed:
      child_watches_.erase(event.path);
      break;
  }
}

// --- The connection ------------------------------------------------------------------------------

void ZkClient::on_disconnected(NodeId peer) {
  if (peer != server_) return;
  if (state_ == ZkClientState::connected || state_ == ZkClientState::connecting ||
      state_ == ZkClientState::closing) {
    lose_connection();
  }
}

// ClientCnxn.SendThread.startConnect + primeConnection.
void ZkClient::connect() {
  connection_ = ZkConnectionId(connection_.value() + 1);
  state_ = ZkClientState::connecting;
  last_heard_ = engine_.now();  // updateLastSendAndHeard: the connect timeout starts now
  send(ZkConnectRequest{connection_, session_id_, config_.session_timeout, last_zxid_,
                        listed(data_watches_), listed(exist_watches_), listed(child_watches_)});
  poll();
}

void ZkClient::lose_connection() {
  if (state_ == ZkClientState::closing) {
    finish_close();  // the session ends on its own; nothing to reconnect for
    return;
  }
  const bool was_connected = state_ == ZkClientState::connected;
  state_ = ZkClientState::backoff;
  reconnect_at_ =
      engine_.now() + kReconnectSpin + std::chrono::milliseconds(jitter_.below(kReconnectJitterMs));
  if (config_.connection_loss == ZkConnectionLossPolicy::retry) {
    // Back to the head of the queue, in the order they were made.
    for (auto it = outstanding_.rbegin(); it != outstanding_.rend(); ++it)
      queued_.push_front(std::move(it->second));
    outstanding_.clear();
  } else {
    fail_all(ZkCode::connection_loss);
  }
  if (was_connected) watcher_.on_zk_session_event(ZkSessionEvent::disconnected);
  poll();
}

Duration ZkClient::read_timeout() const {
  // ClientCnxn: readTimeout = negotiatedSessionTimeout * 2 / 3, in whole milliseconds.
  const auto timeout_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      negotiated_timeout_ > Duration::zero() ? negotiated_timeout_ : config_.session_timeout);
  return std::chrono::milliseconds(timeout_ms.count() * 2 / 3);
}

Duration ZkClient::ping_interval() const {
  // timeToNextPing = readTimeout / 2 - idleSend, and a ping at the latest after
  // MAX_SEND_PING_INTERVAL (10 s) without sending, which matters for timeouts above 30 s.
  return std::min<Duration>(read_timeout() / 2, kMaxSendPingInterval);
}

void ZkClient::on_timer(const TimerCookie& /*cookie*/) {
  timer_ = TimerId{};
  timer_at_ = Instant::never();
  poll();
}

// SendThread.run, one turn: give up a connection that has been silent too long, ping when
// nothing was sent for half the read timeout, and sleep until the next deadline.
void ZkClient::poll() {
  const Instant now = engine_.now();
  switch (state_) {
    case ZkClientState::backoff:
      if (now >= reconnect_at_) {
        connect();
      } else {
        wake_at(reconnect_at_);
      }
      return;
    case ZkClientState::connecting: {
      // connectTimeout = sessionTimeout / number of servers, and there is one server.
      const Instant deadline =
          last_heard_ +
          (negotiated_timeout_ > Duration::zero() ? negotiated_timeout_ : config_.session_timeout);
      if (now >= deadline) {
        network_.disconnect(self_, server_);
        lose_connection();
      } else {
        wake_at(deadline);
      }
      return;
    }
    case ZkClientState::connected:
    case ZkClientState::closing: {
      const Instant read_deadline = last_heard_ + read_timeout();
      if (now >= read_deadline) {  // SessionTimeoutException: "have not heard from server"
        network_.disconnect(self_, server_);
        lose_connection();
        return;
      }
      if (now >= last_send_ + ping_interval()) send(ZkPingRequest{});
      wake_at(std::min(read_deadline, last_send_ + ping_interval()));
      return;
    }
    case ZkClientState::idle:
    case ZkClientState::closed:
      return;
  }
}

void ZkClient::wake_at(Instant at) {
  // Deadlines only move later as traffic flows, so an earlier pending wake-up stays: when it
  // comes, poll() finds nothing due and sleeps again until the real deadline.
  if (timer_.valid() && timer_at_ <= at) return;
  engine_.cancel(timer_);
  timer_ = engine_.set_timer(at, owner_, TimerCookie{.part = kTimerPart});
  timer_at_ = at;
}

}  // namespace kafkasim
