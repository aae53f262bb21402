#include "kafkasim/zookeeper/data_tree.h"

#include <cassert>
#include <cstdio>

namespace kafkasim {

namespace {

std::string_view last_segment(std::string_view path) {
  return path.substr(path.rfind('/') + 1);
}

std::int32_t length_of(const std::string& data) {
  return static_cast<std::int32_t>(data.size());
}

/// PrepRequestProcessor.checkAndIncVersion: -1 matches any version.
bool version_matches(ZkVersion expected, ZkVersion actual) {
  return expected == kAnyZkVersion || expected == actual;
}

}  // namespace

bool is_valid_zk_path(std::string_view path, ZkCreateMode mode) {
  // PathUtils.validatePath(path, isSequential) checks a sequential prefix with a "1" appended.
  if (is_sequential(mode)) return is_valid_zk_path(std::string(path) + "1");
  if (path.empty() || path.front() != '/') return false;
  if (path.size() == 1) return true;
  if (path.back() == '/') return false;
  return path.find("//") == std::string_view::npos;
}

std::string_view zk_parent_path(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == 0 ? std::string_view("/") : path.substr(0, slash);
}

DataTree::DataTree() {
  nodes_.emplace("/", Znode{});
}

const Znode* DataTree::find(std::string_view path) const {
  const auto it = nodes_.find(path);
  return it == nodes_.end() ? nullptr : &it->second;
}

void DataTree::log_child_change(const std::string& parent_path, std::string_view child,
                                bool added) {
  const auto parent = nodes_.find(parent_path);
  assert(parent != nodes_.end());
  Undo undo{added ? Undo::Kind::child_added : Undo::Kind::child_removed,
            parent_path,
            {},
            std::string(child)};
  undo.node.stat = parent->second.stat;
  undo_.push_back(std::move(undo));
}

// PrepRequestProcessor.pRequest2Txn (OpCode.create) for the checks, in its order: the path,
// the parent (NONODE), the sequential name from the parent's cversion, the node itself
// (NODEEXISTS), an ephemeral parent (NOCHILDRENFOREPHEMERALS). DataTree.createNode for the change.
ZkCode DataTree::create(const ZkCreate& op, ZkSessionId session, Zxid zxid, ZkOpResult& result) {
  if (!is_valid_zk_path(op.path, op.mode)) return ZkCode::bad_arguments;
  const std::string parent_path(zk_parent_path(op.path));
  const auto parent_it = nodes_.find(parent_path);
  if (parent_it == nodes_.end()) return ZkCode::no_node;
  std::string path = op.path;
  if (is_sequential(op.mode)) {
    // "%010d" of the parent's cversion: a counter per parent that creations and deletions of
    // any child advance, so sequence numbers are unique under that parent and never reused.
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%010d", parent_it->second.stat.cversion);
    path += suffix;
  }
  if (nodes_.contains(path)) return ZkCode::node_exists;
  if (parent_it->second.stat.ephemeral_owner != kNoZkSession) {
    return ZkCode::no_children_for_ephemerals;
  }

  log_child_change(parent_path, last_segment(path), true);
  undo_.push_back(Undo{Undo::Kind::created, path, {}, {}});
  Znode& parent = nodes_.find(parent_path)->second;
  parent.children.emplace(last_segment(path));
  parent.stat.cversion += 1;
  parent.stat.pzxid = zxid;
  parent.stat.num_children = static_cast<std::int32_t>(parent.children.size());

  Znode node;
  node.data = op.data;
  node.stat.czxid = node.stat.mzxid = node.stat.pzxid = zxid;
  node.stat.ephemeral_owner = is_ephemeral(op.mode) ? session : kNoZkSession;
  node.stat.data_length = length_of(op.data);
  result.path = path;
  result.stat = node.stat;
  nodes_.insert_or_assign(path, std::move(node));
  triggers_.push_back({path, ZkEventType::node_created});
  triggers_.push_back({parent_path, ZkEventType::node_children_changed});
  return ZkCode::ok;
}

// PrepRequestProcessor (OpCode.delete): NONODE, then BADVERSION, then NOTEMPTY.
// DataTree.deleteNode: the parent's cversion and pzxid move; data and child watches of the node
// fire NodeDeleted, child watches of the parent NodeChildrenChanged.
ZkCode DataTree::remove(const ZkDelete& op, Zxid zxid) {
  if (!is_valid_zk_path(op.path) || op.path == "/") return ZkCode::bad_arguments;
  const auto it = nodes_.find(op.path);
  if (it == nodes_.end()) return ZkCode::no_node;
  if (!version_matches(op.version, it->second.stat.version)) return ZkCode::bad_version;
  if (!it->second.children.empty()) return ZkCode::not_empty;

  const std::string parent_path(zk_parent_path(op.path));
  log_child_change(parent_path, last_segment(op.path), false);
  undo_.push_back(Undo{Undo::Kind::removed, op.path, std::move(it->second), {}});
  nodes_.erase(it);
  Znode& parent = nodes_.find(parent_path)->second;
  const auto child = parent.children.find(last_segment(op.path));
  assert(child != parent.children.end());
  parent.children.erase(child);
  parent.stat.cversion += 1;
  parent.stat.pzxid = zxid;
  parent.stat.num_children = static_cast<std::int32_t>(parent.children.size());
  triggers_.push_back({op.path, ZkEventType::node_deleted});
  triggers_.push_back({parent_path, ZkEventType::node_children_changed});
  return ZkCode::ok;
}

// PrepRequestProcessor (OpCode.setData): NONODE, then BADVERSION; the version goes up by one.
ZkCode DataTree::set_data(const ZkSetData& op, Zxid zxid, ZkOpResult& result) {
  if (!is_valid_zk_path(op.path)) return ZkCode::bad_arguments;
  const auto it = nodes_.find(op.path);
  if (it == nodes_.end()) return ZkCode::no_node;
  if (!version_matches(op.version, it->second.stat.version)) return ZkCode::bad_version;

  Znode& node = it->second;
  Undo undo{Undo::Kind::data_set, op.path, {}, {}};
  undo.node.data = std::move(node.data);
  undo.node.stat = node.stat;
  undo_.push_back(std::move(undo));
  node.data = op.data;
  node.stat.version = ZkVersion(node.stat.version.value() + 1);
  node.stat.mzxid = zxid;
  node.stat.data_length = length_of(op.data);
  result.stat = node.stat;
  triggers_.push_back({op.path, ZkEventType::node_data_changed});
  return ZkCode::ok;
}

// PrepRequestProcessor (OpCode.check): NONODE, then BADVERSION.
ZkCode DataTree::check(const ZkCheck& op) const {
  if (!is_valid_zk_path(op.path)) return ZkCode::bad_arguments;
  const Znode* node = find(op.path);
  if (node == nullptr) return ZkCode::no_node;
  return version_matches(op.version, node->stat.version) ? ZkCode::ok : ZkCode::bad_version;
}

std::vector<WatchTrigger> DataTree::commit() {
  undo_.clear();
  return std::exchange(triggers_, {});
}

void DataTree::rollback() {
  // Newest first: each entry finds the tree as its change left it.
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
    Undo& undo = *it;
    if (undo.kind == Undo::Kind::created) {
      nodes_.erase(undo.path);
      continue;
    }
    if (undo.kind == Undo::Kind::removed) {
      nodes_.emplace(undo.path, std::move(undo.node));
      continue;
    }
    const auto node = nodes_.find(undo.path);
    assert(node != nodes_.end());
    node->second.stat = undo.node.stat;
    if (undo.kind == Undo::Kind::data_set) {
      node->second.data = std::move(undo.node.data);
    } else if (undo.kind == Undo::Kind::child_added) {
      node->second.children.erase(undo.child);
    } else {
      node->second.children.insert(std::move(undo.child));
    }
  }
  undo_.clear();
  triggers_.clear();
}

std::vector<std::string> DataTree::ephemerals(ZkSessionId session) const {
  // A scan rather than an index per session: sessions close rarely, and there is then no
  // second structure for a rollback to keep consistent.
  std::vector<std::string> paths;
  for (const auto& [path, node] : nodes_) {
    if (node.stat.ephemeral_owner == session) paths.push_back(path);
  }
  return paths;
}

}  // namespace kafkasim
