#include "kafkasim/zookeeper/watch_manager.h"

namespace kafkasim {

void WatchManager::add_data_watch(const std::string& path, ZkSessionId session) {
  data_watches_[path].insert(session);
}

void WatchManager::add_child_watch(const std::string& path, ZkSessionId session) {
  child_watches_[path].insert(session);
}

std::set<ZkSessionId> WatchManager::take(Watches& watches, std::string_view path) {
  const auto it = watches.find(path);
  if (it == watches.end()) return {};
  std::set<ZkSessionId> sessions = std::move(it->second);
  watches.erase(it);
  return sessions;
}

// WatchManager.triggerWatch: the watchers of the path are removed, then told.
void WatchManager::trigger(const WatchTrigger& change, std::vector<WatchFire>& fired) {
  std::set<ZkSessionId> sessions;
  switch (change.type) {
    case ZkEventType::node_created:
    case ZkEventType::node_data_changed:
      sessions = take(data_watches_, change.path);
      break;
    case ZkEventType::node_children_changed:
      sessions = take(child_watches_, change.path);
      break;
    case ZkEventType::node_deleted:
      sessions = take(data_watches_, change.path);
      sessions.merge(take(child_watches_, change.path));
      break;
  }
  for (const ZkSessionId session : sessions)
    fired.push_back({session, change.type, change.path});
}

void WatchManager::remove_session(ZkSessionId session) {
  for (Watches* watches : {&data_watches_, &child_watches_}) {
    for (auto it = watches->begin(); it != watches->end();) {
      it->second.erase(session);
      it = it->second.empty() ? watches->erase(it) : std::next(it);
    }
  }
}

bool WatchManager::has_data_watch(std::string_view path, ZkSessionId session) const {
  const auto it = data_watches_.find(path);
  return it != data_watches_.end() && it->second.contains(session);
}

bool WatchManager::has_child_watch(std::string_view path, ZkSessionId session) const {
  const auto it = child_watches_.find(path);
  return it != child_watches_.end() && it->second.contains(session);
}

std::size_t WatchManager::count() const {
  std::size_t total = 0;
  for (const Watches* watches : {&data_watches_, &child_watches_}) {
    for (const auto& [path, sessions] : *watches)
      total += sessions.size();
  }
  return total;
}

}  // namespace kafkasim
