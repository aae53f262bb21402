// ZooKeeper's data tree: the znodes, their Stats, ephemeral owners and sequential names
// (server/DataTree.java for the changes, server/PrepRequestProcessor.java for the checks that
// come before them, in the order 3.5.7 makes them).
//
// Every write runs inside a transaction so that a multi can be undone: each change first logs
// what it is about to overwrite, and rollback() undoes the log in reverse order, as
// PrepRequestProcessor.rollbackPendingChanges discards a failed multi's pending changes. The log
// holds what changed, never a whole parent: a creation or deletion logs the parent's Stat and
// the one child name, since copying the parent would copy all its children (a topic's
// /partitions znode has one per partition, and the controller creates them one by one).
// commit() hands back the changes that watches may be waiting for, in the order they happened;
// the watch manager fires them (DataTree.createNode/deleteNode/setData trigger the watches).
//
// The nodes live in an ordered map keyed by full path, and each node's children in an ordered
// set of names, so getChildren lists them sorted and nothing depends on hash order (real
// ZooKeeper lists children in HashSet order; sorted is one of the orders it may give).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kafkasim/protocol/zookeeper_protocol.h"

namespace kafkasim {

struct Znode {
  std::string data;
  ZkStat stat;
  std::set<std::string, std::less<>> children;  // names, not paths
};

/// A committed change watches may be waiting for.
struct WatchTrigger {
  std::string path;
  ZkEventType type = ZkEventType::node_created;
};

class DataTree {
 public:
  /// A tree holding only the root "/".
  DataTree();

  const Znode* find(std::string_view path) const;
  std::size_t node_count() const { return nodes_.size(); }
  /// The last zxid handed out (ZKDatabase.getDataTreeLastProcessedZxid).
  Zxid last_zxid() const { return last_zxid_; }
  /// The zxid of the next transaction. Every write request, session creation and session close
  /// takes one, whether it succeeds or not (a failed write is logged as an ErrorTxn).
  Zxid next_zxid() { return ++last_zxid_; }

  // --- Writes: each checks first and changes nothing when it fails -------------------------------
  ZkCode create(const ZkCreate& op, ZkSessionId session, Zxid zxid, ZkOpResult& result);
  ZkCode remove(const ZkDelete& op, Zxid zxid);
  ZkCode set_data(const ZkSetData& op, Zxid zxid, ZkOpResult& result);
  ZkCode check(const ZkCheck& op) const;

  /// Ends the transaction: the changes stay, and these are the watch triggers they produced.
  std::vector<WatchTrigger> commit();
  /// Ends the transaction: every change since the last commit or rollback is undone.
  void rollback();

  /// The ephemeral nodes a session owns, sorted (DataTree.getEphemerals).
  std::vector<std::string> ephemerals(ZkSessionId session) const;

 private:
  /// One change of the transaction, with what it overwrote.
  struct Undo {
    enum class Kind : std::uint8_t {
      created,        // `path` did not exist
      removed,        // `path` was `node` (childless: only an empty node can be deleted)
      data_set,       // `path` held `node.data` and `node.stat`
      child_added,    // the parent `path` had `node.stat` and no child `child`
      child_removed,  // the parent `path` had `node.stat` and the child `child`
    };
    Kind kind;
    std::string path;
    Znode node;  // the parts noted by the kind; never any children
    std::string child;
  };
  /// The parent `parent_path` is about to gain (`added`) or lose the child `child`.
  void log_child_change(const std::string& parent_path, std::string_view child, bool added);

  std::map<std::string, Znode, std::less<>> nodes_;
  Zxid last_zxid_ = 0;
  std::vector<Undo> undo_;  // this transaction's changes, oldest first
  std::vector<WatchTrigger> triggers_;
};

/// PathUtils.validatePath: absolute, no empty segment, no trailing '/' (a sequential create may
/// end in '/': the suffix follows it).
bool is_valid_zk_path(std::string_view path, ZkCreateMode mode = ZkCreateMode::persistent);

}  // namespace kafkasim
