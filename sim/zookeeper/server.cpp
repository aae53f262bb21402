#include "kafkasim/zookeeper/server.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace kafkasim {

namespace {

/// The server has one timer: the next tick at which some session expires.
enum class ServerTimer : std::uint8_t { session_expiry = 1 };

}  // namespace

ZooKeeperServer::ZooKeeperServer(Engine& engine, Transport<Message>& network, NodeId node,
                                 Duration tick_time)
    : Process(engine, network, node, Initially::up), network_(network), sessions_(tick_time) {
  network_.attach(node, *this);
}

// --- Dispatch ------------------------------------------------------------------------------------

void ZooKeeperServer::on_message(NodeId from, Message&& message) {
  std::visit(Overloaded{
                 [&](ZkConnectRequest& request) { on_connect_request(from, std::move(request)); },
                 [&](ZkPingRequest&) { on_ping_request(from); },
                 [&](ZkRequest& request) { on_request(from, std::move(request)); },
                 [](MemberOf<ZkClientBound> auto&) { not_for_this_node("ZooKeeper server"); },
                 [](MemberOf<KafkaApiMessages> auto&) { not_for_this_node("ZooKeeper server"); },
             },
             message);
}

void ZooKeeperServer::on_disconnected(NodeId peer) {
  // NIOServerCnxn.close: the connection goes; the session stays until it expires.
  connections_.erase(peer);
}

void ZooKeeperServer::on_timer([[maybe_unused]] TimerCookie cookie) {
  assert(timer_kind<ServerTimer>(cookie) == ServerTimer::session_expiry);
  expiry_timer_ = TimerId{};
  expiry_timer_at_ = Instant::never();
  // SessionTrackerImpl.run: every session of the buckets now due expires.
  for (const ZkSessionId session : sessions_.poll_expired(engine().now()))
    end_session(session, ZkSessionEnd::expired);
  arm_expiry_timer();
}

// --- Sessions and connections --------------------------------------------------------------------

// ZooKeeperServer.processConnectRequest: negotiate the timeout, then create a session
// (createSession) or reopen one (reopenSession -> touchSession; an unknown session is answered
// with session 0 and timeout 0, which the client reads as expired).
void ZooKeeperServer::on_connect_request(NodeId from, ZkConnectRequest&& request) {
  const Duration timeout =
      std::clamp(request.session_timeout, sessions_.tick_time() * kZkMinSessionTicks,
                 sessions_.tick_time() * kZkMaxSessionTicks);
  const Instant now = engine().now();
  if (request.session_id == kNoZkSession) {
    const ZkSessionId session = sessions_.create_session(timeout, now);
    tree_.next_zxid();  // createSession is a transaction
    session_owner_[session] = from;
    connections_[from] = Connection{session, request.connection};
    arm_expiry_timer();
    send(from, ZkConnectResponse{request.connection, session, timeout});
    if (observer_ != nullptr) observer_->on_session_created(session, from);
    return;
  }
  if (!sessions_.touch(request.session_id, now)) {
    // The attempt replaces whatever connection the node had; it carries no live session.
    connections_.erase(from);
    send(from, ZkConnectResponse{request.connection, kNoZkSession, Duration::zero()});
    return;
  }
  arm_expiry_timer();
  connections_[from] = Connection{request.session_id, request.connection};
  send(from, ZkConnectResponse{request.connection, request.session_id,
                               sessions_.timeout(request.session_id)});
  std::vector<WatchFire> fired;
  set_watches(request.session_id, request, fired);
  notify(fired);
}

// DataTree.setWatches: a watch whose node changed after the client's last zxid fires now; the
// others are registered again. The session's previous watches are replaced: they belonged to
// its previous connection, which a real server has dropped with that connection.
void ZooKeeperServer::set_watches(ZkSessionId session, const ZkConnectRequest& request,
                                  std::vector<WatchFire>& fired) {
  watches_.remove_session(session);
  const Zxid seen = request.last_zxid_seen;
  for (const std::string& path : request.data_watches) {
    const Znode* node = tree_.find(path);
    if (node == nullptr) {
      fired.push_back({session, ZkEventType::node_deleted, path});
    } else if (node->stat.mzxid > seen) {
      fired.push_back({session, ZkEventType::node_data_changed, path});
    } else {
      watches_.add_data_watch(path, session);
    }
  }
  for (const std::string& path : request.exist_watches) {
    if (tree_.find(path) != nullptr) {
      fired.push_back({session, ZkEventType::node_created, path});
    } else {
      watches_.add_data_watch(path, session);
    }
  }
  for (const std::string& path : request.child_watches) {
    const Znode* node = tree_.find(path);
    if (node == nullptr) {
      fired.push_back({session, ZkEventType::node_deleted, path});
    } else if (node->stat.pzxid > seen) {
      fired.push_back({session, ZkEventType::node_children_changed, path});
    } else {
      watches_.add_child_watch(path, session);
    }
  }
}

const ZooKeeperServer::Connection* ZooKeeperServer::touch_connection(NodeId client) {
  const auto it = connections_.find(client);
  if (it == connections_.end() || !sessions_.touch(it->second.session, engine().now())) {
    if (it != connections_.end()) connections_.erase(it);
    network_.disconnect(node(), client);
    return nullptr;
  }
  arm_expiry_timer();
  return &it->second;
}

void ZooKeeperServer::on_ping_request(NodeId from) {
  const Connection* connection = touch_connection(from);
  if (connection == nullptr) return;
  send(from, ZkPingResponse{connection->connection, tree_.last_zxid()});
}

// SessionTrackerImpl expiry and PrepRequestProcessor (OpCode.closeSession) -> DataTree.killSession.
void ZooKeeperServer::end_session(ZkSessionId session, ZkSessionEnd why) {
  const auto owner = session_owner_.find(session);
  if (owner == session_owner_.end()) return;
  const NodeId client = owner->second;
  session_owner_.erase(owner);
  sessions_.remove(session);
  watches_.remove_session(session);

  const Zxid zxid = tree_.next_zxid();  // closeSession is one transaction for all ephemerals
  for (const std::string& path : tree_.ephemerals(session))
    tree_.remove(ZkDelete{path, kAnyZkVersion}, zxid);
  std::vector<WatchFire> fired;
  commit(fired);
  notify(fired);

  const auto connection = connections_.find(client);
  if (connection != connections_.end() && connection->second.session == session) {
    connections_.erase(connection);
    // An expired session's connection is closed (NIOServerCnxnFactory.closeSession); the client
    // sees the connection drop and learns of the expiry when it reconnects. A client closing
    // its own session gets its answer first and closes the connection itself.
    if (why != ZkSessionEnd::closed_by_client) network_.disconnect(node(), client);
  }
  if (observer_ != nullptr) observer_->on_session_ended(session, client, why);
  arm_expiry_timer();
}

void ZooKeeperServer::expire_session(ZkSessionId session) {
  if (!is_up()) return;
  end_session(session, ZkSessionEnd::expired_by_fault);
}

std::size_t ZooKeeperServer::expire_sessions_of(NodeId client) {
  const std::vector<ZkSessionId> sessions = sessions_of(client);
  for (const ZkSessionId session : sessions)
    expire_session(session);
  return is_up() ? sessions.size() : 0;
}

std::vector<ZkSessionId> ZooKeeperServer::sessions_of(NodeId client) const {
  std::vector<ZkSessionId> sessions;
  for (const auto& [session, owner] : session_owner_) {
    if (owner == client) sessions.push_back(session);
  }
  return sessions;
}

// --- Process life --------------------------------------------------------------------------------

void ZooKeeperServer::on_crash(CrashKind /*kind*/) {
  // Connections and watches live in memory only; the tree, the zxid and the sessions are in
  // the snapshot and the fsynced transaction log.
  connections_.clear();
  watches_ = WatchManager{};
  expiry_timer_ = TimerId{};  // the engine dropped it
  expiry_timer_at_ = Instant::never();
}

void ZooKeeperServer::on_start() {
  sessions_.touch_all(engine().now());
  arm_expiry_timer();
}

void ZooKeeperServer::arm_expiry_timer() {
  const Instant next = sessions_.next_expiration();
  // Touches only move sessions later, so a timer at or before the next bucket stays: when it
  // fires early it finds nothing due and sets the next one.
  if (expiry_timer_.valid() && expiry_timer_at_ <= next) return;
  if (expiry_timer_.valid()) engine().cancel(expiry_timer_);
  if (next == Instant::never()) return;
  expiry_timer_ = engine().set_timer(next, actor(), timer_cookie(ServerTimer::session_expiry));
  expiry_timer_at_ = next;
}

// --- Requests ------------------------------------------------------------------------------------

void ZooKeeperServer::on_request(NodeId from, ZkRequest&& request) {
  const Connection* open = touch_connection(from);
  if (open == nullptr) return;
  const Connection connection = *open;  // closing the session forgets it
  const ZkSessionId session = connection.session;
  ZkResponse response{connection.connection, request.xid, tree_.last_zxid(), {}};
  std::vector<WatchFire> fired;
  std::visit(Overloaded{
                 [&](const ZkGetData& op) { response.result = read(session, op); },
                 [&](const ZkExists& op) { response.result = read(session, op); },
                 [&](const ZkGetChildren& op) { response.result = read(session, op); },
                 [&](const ZkMulti& op) {
                   response.zxid = tree_.next_zxid();
                   response.result = write(session, op, response.zxid, fired);
                 },
                 [&](const ZkCloseSession&) {
                   end_session(session, ZkSessionEnd::closed_by_client);
                   response.zxid = tree_.last_zxid();
                 },
                 [&](const auto& op) {  // create, delete, setData
                   response.zxid = tree_.next_zxid();
                   response.result = write_one(session, ZkMultiOp(op), response.zxid, fired);
                 },
             },
             request.op);
  // FinalRequestProcessor: processTxn triggers the watches before the reply is sent.
  notify(fired);
  send(from, std::move(response));
}

ZkResult ZooKeeperServer::read(ZkSessionId session, const ZkGetData& op) {
  ZkResult result;
  const Znode* node = tree_.find(op.path);
  if (node == nullptr) {  // DataTree.getData throws before adding the watch
    result.code = ZkCode::no_node;
    return result;
  }
  result.data = node->data;
  result.stat = node->stat;
  if (op.watch == ZkWatch::watch) watches_.add_data_watch(op.path, session);
  return result;
}

ZkResult ZooKeeperServer::read(ZkSessionId session, const ZkExists& op) {
  // DataTree.statNode adds the watch first: exists watches a node that is not there yet.
  if (op.watch == ZkWatch::watch) watches_.add_data_watch(op.path, session);
  ZkResult result;
  const Znode* node = tree_.find(op.path);
  if (node == nullptr) {
    result.code = ZkCode::no_node;
  } else {
    result.stat = node->stat;
  }
  return result;
}

ZkResult ZooKeeperServer::read(ZkSessionId session, const ZkGetChildren& op) {
  ZkResult result;
  const Znode* node = tree_.find(op.path);
  if (node == nullptr) {
    result.code = ZkCode::no_node;
    return result;
  }
  result.children.assign(node->children.begin(), node->children.end());
  result.stat = node->stat;
  if (op.watch == ZkWatch::watch) watches_.add_child_watch(op.path, session);
  return result;
}

namespace {

ZkCode apply(DataTree& tree, ZkSessionId session, const ZkMultiOp& op, Zxid zxid,
             ZkOpResult& result) {
  return std::visit(
      Overloaded{
          [&](const ZkCheck& check) { return tree.check(check); },
          [&](const ZkCreate& create) { return tree.create(create, session, zxid, result); },
          [&](const ZkDelete& remove) { return tree.remove(remove, zxid); },
          [&](const ZkSetData& set) { return tree.set_data(set, zxid, result); },
      },
      op);
}

}  // namespace

ZkResult ZooKeeperServer::write_one(ZkSessionId session, const ZkMultiOp& op, Zxid zxid,
                                    std::vector<WatchFire>& fired) {
  ZkOpResult applied;
  ZkResult result;
  result.code = apply(tree_, session, op, zxid, applied);
  if (result.code != ZkCode::ok) {
    tree_.rollback();
    return result;
  }
  commit(fired);
  result.path = std::move(applied.path);
  result.stat = applied.stat;
  return result;
}

// PrepRequestProcessor (OpCode.multi) and DataTree.processTxn: the ops run in order against the
// state the earlier ones left; the first failure undoes them all. Its result carries the
// failure's code, the ops before it OK and the ops after it RUNTIMEINCONSISTENCY.
ZkResult ZooKeeperServer::write(ZkSessionId session, const ZkMulti& op, Zxid zxid,
                                std::vector<WatchFire>& fired) {
  ZkResult result;
  for (const ZkMultiOp& sub : op.ops) {
    ZkOpResult applied;
    applied.code = apply(tree_, session, sub, zxid, applied);
    result.results.push_back(std::move(applied));
    if (result.results.back().code != ZkCode::ok) break;
  }
  if (!result.results.empty() && result.results.back().code != ZkCode::ok) {
    tree_.rollback();
    result.code = result.results.back().code;
    const std::size_t failed = result.results.size() - 1;
    result.results.resize(op.ops.size());
    for (std::size_t i = 0; i < result.results.size(); ++i) {
      if (i == failed) continue;
      result.results[i] =
          ZkOpResult{i < failed ? ZkCode::ok : ZkCode::runtime_inconsistency, {}, {}};
    }
    return result;
  }
  commit(fired);
  return result;
}

// --- Sending -------------------------------------------------------------------------------------

void ZooKeeperServer::commit(std::vector<WatchFire>& fired) {
  for (const WatchTrigger& change : tree_.commit())
    watches_.trigger(change, fired);
}

void ZooKeeperServer::notify(const std::vector<WatchFire>& fired) {
  for (const WatchFire& fire : fired) {
    const auto owner = session_owner_.find(fire.session);
    if (owner == session_owner_.end()) continue;
    const auto connection = connections_.find(owner->second);
    // With no open connection the notification has nowhere to go: the client's SetWatches finds
    // the change when it reconnects.
    if (connection == connections_.end() || connection->second.session != fire.session) continue;
    send(owner->second, ZkWatchEvent{connection->second.connection, fire.type, fire.path});
  }
}

void ZooKeeperServer::send(NodeId to, Message message) {
  const std::uint32_t bytes = wire_size(message);
  network_.send(node(), to, std::move(message), bytes);
}

}  // namespace kafkasim
