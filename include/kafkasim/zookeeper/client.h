// The ZooKeeper client a broker (or a ZooKeeper-style consumer) embeds: ZooKeeper 3.5.7's
// ClientCnxn for the connection and session, with Kafka 2.4's ZooKeeperClient/KafkaZkClient
// behaviour on top (kafka/zookeeper/ZooKeeperClient.scala, kafka/zk/KafkaZkClient.scala).
//
// The owner is an actor and a network endpoint; the client is a component of it. The owner
//  - forwards the ZooKeeper messages it receives (ZkClientBound in protocol/message.h) to
//    on_message;
//  - forwards on_disconnected(peer) (the client ignores peers other than its server);
//  - forwards its timer cookies: the client sets its timers on the owner's actor with cookies
//    whose part is kTimerPart; owns_timer(cookie) tells them apart from the owner's own (part 0);
//  - calls start() when its process starts (and again after a restart: a new process has a new
//    session and forgets everything the old one had queued).
//
// Connection (ClientCnxn.SendThread.run):
//  - connect: a ZkConnectRequest with the session timeout asked for (zookeeper.session.timeout.ms),
//    the session id to resume (0 for a new one), the last zxid seen and the watches to re-register
//    (SetWatches). The connection attempt times out after connectTimeout = sessionTimeout / (number
//    of servers) = the session timeout without an answer.
//  - once connected, readTimeout = 2/3 of the negotiated timeout: a ping goes out whenever
//    nothing was sent for readTimeout / 2 (a third of the session timeout; at most 10 s,
//    MAX_SEND_PING_INTERVAL); when nothing was heard
//    for readTimeout the client gives up the connection (Network::disconnect) and reconnects.
//    Simplified away: ClientCnxn pings up to 1 s earlier when other traffic wakes its loop
//    between readTimeout/2 - 1 s and readTimeout/2 (the "- 1000" in timeToNextPing).
//  - reconnect: after a lost connection or a failed attempt the client waits 1 s
//  (StaticHostProvider
//    .next spins 1 s once it has cycled through its one server) plus a uniform 0-1 s
//    (ClientCnxn.startConnect), drawn from its own random stream, then connects again. The very
//    first connect of a session created by start() or after an expiry does not wait.
//  - expiry: the client never decides its session expired; it learns it when the server answers
//    a reconnect "expired". It then fails every queued and outstanding request with
//    SESSIONEXPIRED, forgets its watches, tells the watcher `expired`, and at once opens a new
//    session, as Kafka's ZooKeeperClient.reinitialize does; the watcher hears
//    `session_established` when it is up. Ephemeral nodes and watches are the owner's to recreate
//    then (Kafka: the controller's RegisterBrokerAndReelect, the handlers' re-registration).
//
// Requests (Kafka's ZooKeeperClient.handleRequests + KafkaZkClient.retryRequestsUntilConnected):
//  - a request made while not connected waits in the queue for the connection, and goes out in
//    the order it was made, right after the server accepts the connection;
//  - with ZkConnectionLossPolicy::retry (the default, Kafka's), a request whose connection broke
//    before its answer goes back to the queue, ahead of newer ones, and is sent again after the
//    reconnect. Such a request may already have been applied: a re-sent create can then answer
//    NODEEXISTS and a re-sent conditional setData BADVERSION, exactly as in Kafka, whose callers
//    check (KafkaZkClient.checkedEphemeralCreate compares the ephemeral owner; the ISR update
//    re-reads the state). With ZkConnectionLossPolicy::report (the raw ZooKeeper client), every
//    outstanding and queued request fails with CONNECTIONLOSS when a connection is lost.
//  - callbacks run inside the client's handling of a message or timer; they may issue requests.
//
// Watches: a read with ZkWatch::watch that succeeds (or an exists that answers NONODE) leaves a
// one-shot watch; the client remembers it (ZKWatchManager) to re-register it on reconnect and
// drops it when it fires or the session expires. Events go to ZkWatcher::on_zk_watch_event.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "kafkasim/engine/engine.h"
#include "kafkasim/network/transport.h"
#include "kafkasim/protocol/message.h"
#include "kafkasim/protocol/zookeeper_protocol.h"
#include "kafkasim/random/rng.h"

namespace kafkasim {

/// Session life as the owner sees it (Watcher.Event.KeeperState, with SyncConnected split in
/// two, which Kafka's StateChangeHandler also distinguishes).
enum class ZkSessionEvent : std::uint8_t {
  session_established,  // a new session is up: create ephemeral nodes, set watches
  reconnected,          // the same session is back after a disconnection (SyncConnected)
  disconnected,         // the connection is lost; the session may still be alive (Disconnected)
  expired,              // the server said the session expired; a new one is being opened
  closed,               // close() finished
};

std::string_view zk_session_event_name(ZkSessionEvent event);

/// What the owner learns besides request results (Watcher.process).
class ZkWatcher {
 public:
  virtual ~ZkWatcher() = default;
  virtual void on_zk_session_event(ZkSessionEvent event) = 0;
  virtual void on_zk_watch_event(ZkEventType type, const std::string& path) = 0;
};

/// What happens to a request whose connection broke before its answer came.
enum class ZkConnectionLossPolicy : std::uint8_t {
  retry,   // Kafka's KafkaZkClient.retryRequestsUntilConnected: sent again after reconnecting
  report,  // the raw ZooKeeper client: fails with CONNECTIONLOSS
};

struct ZkClientConfig {
  /// zookeeper.session.timeout.ms (6000 in Kafka 2.4).
  Duration session_timeout = std::chrono::milliseconds(6000);
  ZkConnectionLossPolicy connection_loss = ZkConnectionLossPolicy::retry;
  /// The run's seed: the reconnect jitter draws from the stream "zk-client/<node name>".
  std::uint64_t seed = 1;
};

using ZkCallback = std::function<void(const ZkResult&)>;

enum class ZkClientState : std::uint8_t {
  idle,        // not started
  backoff,     // waiting to connect again
  connecting,  // a ZkConnectRequest is out
  connected,
  closing,  // close() sent the closeSession request
  closed,
};

class ZkClient {
 public:
  /// The `part` of every timer cookie the client sets on its owner ('Z').
  static constexpr std::uint8_t kTimerPart = 0x5A;
  static constexpr bool owns_timer(const TimerCookie& cookie) { return cookie.part == kTimerPart; }

  ZkClient(Engine& engine, Transport<Message>& network, ActorId owner, NodeId self, NodeId server,
           const ZkClientConfig& config, ZkWatcher& watcher);
  ZkClient(const ZkClient&) = delete;
  ZkClient& operator=(const ZkClient&) = delete;

  /// Opens a new session. Requests made before the first start() wait for it. On a later call
  /// (the owner restarted) whatever the client had (session, queue, watches) is forgotten
  /// without callbacks: it belonged to a process that is gone.
  void start();
  /// ZooKeeper.close(): ends the session now (its ephemeral nodes go at once) if connected;
  /// queued requests fail with SESSIONEXPIRED. The watcher hears `closed`.
  void close();

  // --- Requests (the callback may be empty) ------------------------------------------------------
  ZkXid create(std::string path, std::string data, ZkCreateMode mode, ZkCallback callback);
  ZkXid remove(std::string path, ZkVersion version, ZkCallback callback);
  ZkXid set_data(std::string path, std::string data, ZkVersion version, ZkCallback callback);
  ZkXid get_data(std::string path, ZkWatch watch, ZkCallback callback);
  ZkXid exists(std::string path, ZkWatch watch, ZkCallback callback);
  ZkXid get_children(std::string path, ZkWatch watch, ZkCallback callback);
  ZkXid multi(std::vector<ZkMultiOp> ops, ZkCallback callback);
  ZkXid submit(ZkOp op, ZkCallback callback);

  // --- What the owner forwards -------------------------------------------------------------------
  /// A message the server sent to a ZooKeeper client (ZkClientBound in protocol/message.h). One
  /// from another node than the server is ignored.
  void on_message(NodeId from, ZkConnectResponse& message);
  void on_message(NodeId from, ZkPingResponse& message);
  void on_message(NodeId from, ZkResponse& message);
  void on_message(NodeId from, ZkWatchEvent& message);
  void on_disconnected(NodeId peer);
  /// Preconditions: owns_timer(cookie).
  void on_timer(const TimerCookie& cookie);

  // --- State -------------------------------------------------------------------------------------
  ZkClientState state() const { return state_; }
  bool connected() const { return state_ == ZkClientState::connected; }
  /// The current session; kNoZkSession before the first one is established.
  ZkSessionId session_id() const { return session_id_; }
  Duration negotiated_session_timeout() const { return negotiated_timeout_; }
  /// Requests made and not yet answered (queued or outstanding).
  std::size_t requests_in_progress() const { return queued_.size() + outstanding_.size(); }
  Zxid last_zxid_seen() const { return last_zxid_; }
  NodeId node() const { return self_; }
  NodeId server() const { return server_; }

 private:
  struct Request {
    ZkXid xid;
    ZkOp op;
    ZkCallback callback;
  };
  struct Taken {
    std::map<ZkXid, Request> outstanding;
    std::deque<Request> queued;
  };
  Taken take_requests();
  static void fail(Taken&& requests, ZkCode code);

  void on_connect_response(const ZkConnectResponse& response);
  void on_response(ZkResponse&& response);
  void on_watch_event(const ZkWatchEvent& event);

  void connect();
  void send_request(Request&& request);
  void send(Message message);
  /// ClientCnxn.cleanup + SendThread's reconnect: the connection is gone.
  void lose_connection();
  void handle_expired();
  void finish_close();
  /// Fails every queued and outstanding request. They are taken out before the first callback
  /// runs: what a callback asks for belongs to what comes next.
  void fail_all(ZkCode code);
  void remember_watch(const ZkOp& op, const ZkResult& result);
  void forget_watch(const ZkWatchEvent& event);

  /// SendThread's loop: acts on deadlines that passed, then wakes at the next one.
  void poll();
  void wake_at(Instant at);
  Duration read_timeout() const;
  Duration ping_interval() const;

  Engine& engine_;
  Transport<Message>& network_;
  ActorId owner_;
  NodeId self_;
  NodeId server_;
  ZkClientConfig config_;
  ZkWatcher& watcher_;
  Rng jitter_;

  ZkClientState state_ = ZkClientState::idle;
  ZkSessionId session_id_ = kNoZkSession;
  Duration negotiated_timeout_{0};
  Zxid last_zxid_ = 0;
  ZkConnectionId connection_{0};
  std::int32_t next_xid_ = 1;
  Instant last_send_;
  Instant last_heard_;
  Instant reconnect_at_;

  std::deque<Request> queued_;            // waiting for a connection, in xid order
  std::map<ZkXid, Request> outstanding_;  // sent on the current connection
  std::set<std::string> data_watches_;    // ZKWatchManager.dataWatches
  std::set<std::string> exist_watches_;   // ZKWatchManager.existWatches
  std::set<std::string> child_watches_;   // ZKWatchManager.childWatches

  TimerId timer_;
  Instant timer_at_ = Instant::never();
};

}  // namespace kafkasim
