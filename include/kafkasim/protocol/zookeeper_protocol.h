// ZooKeeper's client-server protocol as plain structs (STYLE.md 5), after the jute records of
// ZooKeeper 3.5.7 (zookeeper-jute/src/main/resources/zookeeper.jute: ConnectRequest,
// ConnectResponse, RequestHeader/ReplyHeader, CreateRequest, SetDataRequest, ..., SetWatches,
// WatcherEvent, MultiRequest) and the result codes of KeeperException.Code.
//
// Differences from the wire protocol, all harmless to the model:
//  - Each request op is one alternative of ZkOp inside one ZkRequest (xid + op) instead of an
//    opcode in a RequestHeader, so the client can hold and resend any request the same way.
//  - SetWatches, which ClientCnxn.primeConnection sends right after the ConnectRequest, rides
//    in the ZkConnectRequest itself; the server handles it right after the connect, as it does
//    the real packet.
//  - Every server-to-client message carries the client's `connection` number from the connect
//    request it answers, standing for "this TCP connection": a client ignores what was sent on
//    a connection it has given up (the real client never reads a closed socket again).
//  - Znode data is a std::string (Kafka writes JSON there, zk/ZkData.scala); no ACLs, no
//    ctime/mtime (nothing in Kafka 2.4's control path reads them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kafkasim/core/strong_id.h"
#include "kafkasim/core/time.h"
#include "kafkasim/core/type_list.h"
#include "kafkasim/protocol/zk_version.h"

namespace kafkasim {

/// A ZooKeeper transaction id: +1 for every write, session creation and session close. A plain
/// integer, like Kafka's offsets: zxids are compared and ordered, never mixed with other ids.
using Zxid = std::int64_t;

/// A ZooKeeper session (SessionTrackerImpl). 0 is "no session": a ConnectRequest with 0 asks for
/// a new one, and a ConnectResponse with 0 says the session asked for has expired.
using ZkSessionId = StrongId<struct ZkSessionIdTag, std::int64_t>;
inline constexpr ZkSessionId kNoZkSession{0};

/// Matches a response to its request on one client (RequestHeader.xid).
using ZkXid = StrongId<struct ZkXidTag, std::int32_t>;

/// The client's number for one connection attempt; see the header comment.
using ZkConnectionId = StrongId<struct ZkConnectionIdTag, std::uint32_t>;

/// setData/delete/check with version -1 match any version (DataTree, PrepRequestProcessor).
inline constexpr ZkVersion kAnyZkVersion{-1};

/// KeeperException.Code, the values ZooKeeper 3.5.7 puts on the wire.
enum class ZkCode : std::int32_t {
  ok = 0,
  runtime_inconsistency = -2,  // a multi op after the failing one
  connection_loss = -4,        // client side only: the connection broke with the request out
  bad_arguments = -8,          // an invalid path
  no_node = -101,
  bad_version = -103,
  no_children_for_ephemerals = -108,
  node_exists = -110,
  not_empty = -111,
  session_expired = -112,
};

/// ZooKeeper's name of a code, e.g. NONODE (KeeperException.Code).
std::string_view zk_code_name(ZkCode code);

/// CreateMode: ephemeral nodes vanish with their session; sequential ones get a 10-digit suffix.
enum class ZkCreateMode : std::uint8_t {
  persistent,
  ephemeral,
  persistent_sequential,
  ephemeral_sequential,
};
constexpr bool is_ephemeral(ZkCreateMode mode) {
  return mode == ZkCreateMode::ephemeral || mode == ZkCreateMode::ephemeral_sequential;
}
constexpr bool is_sequential(ZkCreateMode mode) {
  return mode == ZkCreateMode::persistent_sequential || mode == ZkCreateMode::ephemeral_sequential;
}

/// Whether a read leaves a one-shot watch behind (the `watch` flag of GetDataRequest, ...).
enum class ZkWatch : std::uint8_t { none, watch };

/// Watcher.Event.EventType of a node event (WatcherEvent.type).
enum class ZkEventType : std::int32_t {
  node_created = 1,
  node_deleted = 2,
  node_data_changed = 3,
  node_children_changed = 4,
};

/// ZooKeeper's name of an event type, e.g. NodeDeleted.
std::string_view zk_event_name(ZkEventType type);

/// A znode's Stat (zookeeper.jute StatPersisted), without times and ACL version.
struct ZkStat {
  Zxid czxid = 0;             // the zxid that created the node
  Zxid mzxid = 0;             // the zxid that last changed its data
  Zxid pzxid = 0;             // the zxid that last changed its children
  ZkVersion version{0};       // data version: what setData/delete/check compare
  std::int32_t cversion = 0;  // child version: +1 per child created or deleted
  ZkSessionId ephemeral_owner = kNoZkSession;
  std::int32_t data_length = 0;
  std::int32_t num_children = 0;
  auto operator<=>(const ZkStat&) const = default;
};

// --- Operations ----------------------------------------------------------------------------------

struct ZkCreate {
  std::string path;
  std::string data;
  ZkCreateMode mode = ZkCreateMode::persistent;
};
struct ZkDelete {
  std::string path;
  ZkVersion version = kAnyZkVersion;
};
struct ZkSetData {
  std::string path;
  std::string data;
  ZkVersion version = kAnyZkVersion;
};
/// Only inside a multi: fails the whole multi unless the node has this version.
struct ZkCheck {
  std::string path;
  ZkVersion version = kAnyZkVersion;
};
struct ZkGetData {
  std::string path;
  ZkWatch watch = ZkWatch::none;
};
/// Sets a watch whether or not the node exists: it fires on creation if it does not.
struct ZkExists {
  std::string path;
  ZkWatch watch = ZkWatch::none;
};
struct ZkGetChildren {
  std::string path;
  ZkWatch watch = ZkWatch::none;
};
using ZkMultiOp = std::variant<ZkCheck, ZkCreate, ZkDelete, ZkSetData>;
/// Applied atomically with one zxid: all ops or none (PrepRequestProcessor, DataTree.processTxn).
struct ZkMulti {
  std::vector<ZkMultiOp> ops;
};
/// ZooKeeper.close(): the session ends now, its ephemeral nodes go.
struct ZkCloseSession {};

using ZkOp = std::variant<ZkCreate, ZkDelete, ZkSetData, ZkGetData, ZkExists, ZkGetChildren,
                          ZkMulti, ZkCloseSession>;

/// The result of one op inside a multi (OpResult).
struct ZkOpResult {
  ZkCode code = ZkCode::ok;
  std::string path;  // create: the path created
  ZkStat stat;       // create, setData: the node's new Stat
};

/// The result of a request. Which fields are set depends on the op: create sets `path` (with
/// the sequential suffix) and `stat`; setData, exists and getData set `stat`; getData sets
/// `data`; getChildren sets `children` (sorted) and `stat`; multi sets `results`, one per op,
/// and `code` to the first failing op's code (ops before it report OK, after it
/// RUNTIMEINCONSISTENCY, as DataTree.processTxn does).
struct ZkResult {
  ZkCode code = ZkCode::ok;
  std::string path;
  std::string data;
  ZkStat stat;
  std::vector<std::string> children;
  std::vector<ZkOpResult> results;
};

// --- Messages ------------------------------------------------------------------------------------

struct ZkConnectRequest {
  ZkConnectionId connection;
  ZkSessionId session_id = kNoZkSession;  // 0: a new session; else the one to resume
  Duration session_timeout{0};            // requested; the server negotiates it
  Zxid last_zxid_seen = 0;
  // SetWatches: the watches the client holds, for the server to re-register or fire at once if
  // the node changed after last_zxid_seen (DataTree.setWatches).
  std::vector<std::string> data_watches;
  std::vector<std::string> exist_watches;
  std::vector<std::string> child_watches;
};

struct ZkConnectResponse {
  ZkConnectionId connection;
  /// 0 with a zero timeout: the session asked for has expired (ZooKeeperServer.finishSessionInit).
  ZkSessionId session_id = kNoZkSession;
  Duration session_timeout{0};
  bool expired() const { return session_timeout <= Duration::zero(); }
};

struct ZkPingRequest {};

struct ZkPingResponse {
  ZkConnectionId connection;
  Zxid zxid = 0;  // the server's last processed zxid (FinalRequestProcessor, OpCode.ping)
};

struct ZkRequest {
  ZkXid xid;
  ZkOp op;
};

struct ZkResponse {
  ZkConnectionId connection;
  ZkXid xid;
  Zxid zxid = 0;  // the write's zxid, or the last processed zxid for a read
  ZkResult result;
};

/// A watch has fired (WatcherEvent, sent with xid -1).
struct ZkWatchEvent {
  ZkConnectionId connection;
  ZkEventType type = ZkEventType::node_created;
  std::string path;
};

using ZkMessages = TypeList<ZkConnectRequest, ZkConnectResponse, ZkPingRequest, ZkPingResponse,
                            ZkRequest, ZkResponse, ZkWatchEvent>;

/// The parent of a valid path other than "/" ("/a/b" -> "/a", "/a" -> "/").
std::string_view zk_parent_path(std::string_view path);

}  // namespace kafkasim
