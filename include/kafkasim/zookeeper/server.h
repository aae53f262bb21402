// A single-node ZooKeeper 3.5.7 ensemble: the node `zookeeper`, reached through the network like
// any other, so partitions, delays, pauses and crashes apply to it.
//
// Requests are handled when they arrive, in arrival order, with no service time: one server
// never reorders a client's requests, and ZooKeeper's own latency (well under a millisecond
// without fsync contention) is small next to the network's. The server answers every request
// on the connection it came on, after sending the watch notifications the request caused
// (FinalRequestProcessor: processTxn triggers the watches, then the reply goes out).
//
// Connections. A client's ZkConnectRequest opens a connection for its session; the server
// remembers, per client node, the session and the client's connection number, and stamps them
// on everything it sends there. A request or ping from a node with no open connection (the
// server restarted, or expired the session) is not understood, and the server closes the
// network connection (Network::disconnect) so that the client reconnects, as a real server
// closes a socket whose first packet is not a ConnectRequest. on_disconnected forgets the node's
// connection; its session lives on until it expires.
//
// Sessions (SessionTrackerImpl): the timeout asked for is clamped to [2, 20] x tickTime
// (minSessionTimeout, maxSessionTimeout); every message from the client touches the session;
// sessions expire in tick buckets (session_tracker.h). An expired or closed session's watches
// are dropped, its ephemeral nodes are deleted in one transaction (firing their watches), and the
// server closes the client's connection; the client learns that its session expired only when it
// reconnects and the server answers the ConnectRequest "expired" (session 0, timeout 0).
//
// Faults:
//  - expire_session / expire_sessions_of: the zk_session_expire fault; the session expires now.
//  - crash / restart: ZooKeeper writes every transaction to its log with fsync before it answers
//    (forceSync=yes), so a crash, with or without power loss, loses nothing acknowledged: the
//    data tree and the sessions survive, as the real server reloads them from its snapshot and
//    log. What lives only in memory goes: connections and watches (clients re-register watches
//    with SetWatches when they reconnect). On restart every session gets a fresh full timeout
//    from the restart instant (ZooKeeperServer.loadData re-adds the snapshot's sessions), so a
//    client that reconnects within its timeout keeps its session and ephemeral nodes.
//  - pause: nothing ZooKeeper-specific (Process::pause, as for any node). When it resumes, the
//    messages held for it are handled before the timers that came due (Process::resume), so a
//    client whose pings were held keeps its session: the ping touches it before the expiry
//    timer runs. Only a session whose client sent nothing during the pause (it was cut off or
//    down too) expires at resume. In a real server this is a race between the request
//    processor and the SessionTracker thread after a long GC pause; the model picks the order
//    in which the clients' pings win.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "kafkasim/engine/engine.h"
#include "kafkasim/network/process.h"
#include "kafkasim/network/transport.h"
#include "kafkasim/protocol/message.h"
#include "kafkasim/protocol/zookeeper_protocol.h"
#include "kafkasim/zookeeper/data_tree.h"
#include "kafkasim/zookeeper/session_tracker.h"
#include "kafkasim/zookeeper/watch_manager.h"

namespace kafkasim {

/// ZooKeeper's tickTime: the unit of session expiry buckets and of the session timeout bounds.
/// ZooKeeperServer.DEFAULT_TICK_TIME, 3000 ms, applies to the ZooKeeper Kafka 2.4.0 ships: its
/// config/zookeeper.properties sets no tickTime (a scenario's cluster.zookeeper_config.tickTime).
inline constexpr Duration kZkTickTime = std::chrono::milliseconds(3000);
/// minSessionTimeout and maxSessionTimeout default to 2 and 20 ticks (ZooKeeperServer).
inline constexpr int kZkMinSessionTicks = 2;
inline constexpr int kZkMaxSessionTicks = 20;

/// Why a session ended.
enum class ZkSessionEnd : std::uint8_t { expired, closed_by_client, expired_by_fault };

/// What the server tells the rest of the model (the timeline, the tests). All optional.
class ZkServerObserver {
 public:
  virtual ~ZkServerObserver() = default;
  virtual void on_session_created(ZkSessionId session, NodeId client) = 0;
  /// After the session's ephemeral nodes were deleted and their watches fired.
  virtual void on_session_ended(ZkSessionId session, NodeId client, ZkSessionEnd why) = 0;
};

class ZooKeeperServer final : public Process, public Endpoint<Message> {
 public:
  /// Registers with the engine and attaches to `node` of the transport.
  ZooKeeperServer(Engine& engine, Transport<Message>& network, NodeId node,
                  Duration tick_time = kZkTickTime);
  ZooKeeperServer(const ZooKeeperServer&) = delete;
  ZooKeeperServer& operator=(const ZooKeeperServer&) = delete;

  void set_observer(ZkServerObserver* observer) { observer_ = observer; }

  // --- Faults ------------------------------------------------------------------------------------
  /// Expires the session now, as if its timeout had passed. Ignored for an unknown session.
  void expire_session(ZkSessionId session);
  /// Expires now every live session created from `client` (the zk_session_expire fault names a
  /// node). Returns how many there were.
  std::size_t expire_sessions_of(NodeId client);

  // --- Inspection (tests, reports) ---------------------------------------------------------------
  const DataTree& tree() const { return tree_; }
  const SessionTracker& sessions() const { return sessions_; }
  const WatchManager& watches() const { return watches_; }
  /// The live sessions created from `client`, in id order.
  std::vector<ZkSessionId> sessions_of(NodeId client) const;

  // --- Actor and Endpoint ------------------------------------------------------------------------
  void on_timer(TimerCookie cookie) override;
  void on_message(NodeId from, Message&& message) override;
  void on_disconnected(NodeId peer) override;

 private:
  /// Back up with the data tree and sessions it had; every session gets a full timeout from now.
  void on_start() override;
  /// The process (or host, with power loss: ZooKeeper has fsynced everything) went down: it
  /// forgets connections and watches.
  void on_crash(CrashKind kind) override;

  /// The client node's side of one open connection.
  struct Connection {
    ZkSessionId session;
    ZkConnectionId connection;
  };

  void on_connect_request(NodeId from, ZkConnectRequest&& request);
  void on_ping_request(NodeId from);
  void on_request(NodeId from, ZkRequest&& request);

  /// The open connection from `client` whose session is still alive, after touching the
  /// session; nullptr (and the network connection closed) when there is none.
  const Connection* touch_connection(NodeId client);
  void set_watches(ZkSessionId session, const ZkConnectRequest& request,
                   std::vector<WatchFire>& fired);

  // The ops (FinalRequestProcessor for reads, PrepRequestProcessor + DataTree for writes).
  ZkResult read(ZkSessionId session, const ZkGetData& op);
  ZkResult read(ZkSessionId session, const ZkExists& op);
  ZkResult read(ZkSessionId session, const ZkGetChildren& op);
  ZkResult write(ZkSessionId session, const ZkMulti& op, Zxid zxid, std::vector<WatchFire>& fired);
  ZkResult write_one(ZkSessionId session, const ZkMultiOp& op, Zxid zxid,
                     std::vector<WatchFire>& fired);

  /// Ends a session: drops its watches, deletes its ephemeral nodes, forgets its connection
  /// (and closes it, unless the client closed the session itself), and tells the observer.
  void end_session(ZkSessionId session, ZkSessionEnd why);
  void commit(std::vector<WatchFire>& fired);
  void notify(const std::vector<WatchFire>& fired);
  void send(NodeId to, Message message);
  void arm_expiry_timer();

  Transport<Message>& network_;
  ZkServerObserver* observer_ = nullptr;

  DataTree tree_;
  SessionTracker sessions_;
  WatchManager watches_;
  /// The node each live session was created from: it survives disconnections and restarts.
  std::map<ZkSessionId, NodeId> session_owner_;
  /// Open connections by client node: lost on crash.
  std::map<NodeId, Connection> connections_;

  TimerId expiry_timer_;
  Instant expiry_timer_at_ = Instant::never();
};

}  // namespace kafkasim
