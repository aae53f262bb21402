// One-shot watches, per session (server/WatchManager.java; DataTree keeps two of them, data
// watches from getData/exists and child watches from getChildren).
//
// A watch fires once: triggering a path removes every watch on it. Real ZooKeeper keeps watches
// per connection and drops them when the connection closes; the client then re-registers them
// with SetWatches on its next connection, and the server fires at once those whose node changed
// after the last zxid the client saw (DataTree.setWatches). Here watches belong to the session,
// and each (re)connect of the session replaces them with the client's SetWatches set. A change
// while the client is away consumes the watch, its notification is lost with the connection, and
// the client's SetWatches on reconnect finds the change by zxid: the same outcome.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kafkasim/protocol/zookeeper_protocol.h"
#include "kafkasim/zookeeper/data_tree.h"

namespace kafkasim {

/// A notification to send: which session, which event.
struct WatchFire {
  ZkSessionId session;
  ZkEventType type = ZkEventType::node_created;
  std::string path;
};

class WatchManager {
 public:
  void add_data_watch(const std::string& path, ZkSessionId session);
  void add_child_watch(const std::string& path, ZkSessionId session);

  /// Fires and removes the watches a committed change triggers, sessions in id order:
  /// created, data changed: the node's data watches; children changed: the node's child
  /// watches; deleted: the node's data and child watches, one notification per session
  /// (DataTree.deleteNode passes the data watchers as `supress` to the child watch trigger).
  void trigger(const WatchTrigger& change, std::vector<WatchFire>& fired);

  /// Drops every watch of a session (its connection closed for good, or it expired).
  void remove_session(ZkSessionId session);

  bool has_data_watch(std::string_view path, ZkSessionId session) const;
  bool has_child_watch(std::string_view path, ZkSessionId session) const;
  /// Watches held, data and child.
  std::size_t count() const;

 private:
  using Watches = std::map<std::string, std::set<ZkSessionId>, std::less<>>;
  static std::set<ZkSessionId> take(Watches& watches, std::string_view path);

  Watches data_watches_;
  Watches child_watches_;
};

}  // namespace kafkasim
