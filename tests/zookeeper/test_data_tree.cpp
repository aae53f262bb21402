// Unit tests of the server's parts: the data tree, the watch manager and the session tracker.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "kafkasim/zookeeper/data_tree.h"
#include "kafkasim/zookeeper/session_tracker.h"
#include "kafkasim/zookeeper/watch_manager.h"

namespace kafkasim {
namespace {

constexpr ZkSessionId kSession{7};

ZkCode create(DataTree& tree, const std::string& path, ZkCreateMode mode = ZkCreateMode::persistent,
              std::string* created = nullptr) {
  ZkOpResult result;
  const ZkCode code = tree.create(ZkCreate{path, "data", mode}, kSession, tree.next_zxid(), result);
  if (code == ZkCode::ok) tree.commit();
  if (code != ZkCode::ok) tree.rollback();
  if (created != nullptr) *created = result.path;
  return code;
}

TEST_CASE("create checks the parent, the name and ephemeral parents") {
  DataTree tree;
  CHECK(create(tree, "/brokers/ids") == ZkCode::no_node);
  CHECK(create(tree, "/brokers") == ZkCode::ok);
  CHECK(create(tree, "/brokers") == ZkCode::node_exists);
  CHECK(create(tree, "/brokers/ids") == ZkCode::ok);
  CHECK(create(tree, "/brokers/ids/1", ZkCreateMode::ephemeral) == ZkCode::ok);
  CHECK(create(tree, "/brokers/ids/1/x") == ZkCode::no_children_for_ephemerals);
  CHECK(create(tree, "no-slash") == ZkCode::bad_arguments);
  CHECK(create(tree, "/trailing/") == ZkCode::bad_arguments);
  CHECK(create(tree, "/a//b") == ZkCode::bad_arguments);

  const Znode* ids = tree.find("/brokers/ids");
  REQUIRE(ids != nullptr);
  CHECK(ids->stat.num_children == 1);
  CHECK(ids->stat.cversion == 1);
  const Znode* one = tree.find("/brokers/ids/1");
  REQUIRE(one != nullptr);
  CHECK(one->stat.ephemeral_owner == kSession);
  CHECK(one->stat.version == ZkVersion(0));
  CHECK(one->stat.czxid == one->stat.mzxid);
  CHECK(tree.ephemerals(kSession) == std::vector<std::string>{"/brokers/ids/1"});
}

TEST_CASE("setData and delete compare versions; -1 matches any") {
  DataTree tree;
  REQUIRE(create(tree, "/state") == ZkCode::ok);
  ZkOpResult result;
  CHECK(tree.set_data(ZkSetData{"/state", "v1", ZkVersion(0)}, tree.next_zxid(), result) ==
        ZkCode::ok);
  CHECK(result.stat.version == ZkVersion(1));
  CHECK(tree.set_data(ZkSetData{"/state", "v2", ZkVersion(0)}, tree.next_zxid(), result) ==
        ZkCode::bad_version);
  CHECK(tree.find("/state")->data == "v1");
  CHECK(tree.set_data(ZkSetData{"/state", "v2", kAnyZkVersion}, tree.next_zxid(), result) ==
        ZkCode::ok);
  CHECK(result.stat.version == ZkVersion(2));
  CHECK(tree.find("/state")->stat.mzxid == tree.last_zxid());
  CHECK(tree.set_data(ZkSetData{"/none", "x", kAnyZkVersion}, tree.next_zxid(), result) ==
        ZkCode::no_node);

  CHECK(tree.remove(ZkDelete{"/state", ZkVersion(1)}, tree.next_zxid()) == ZkCode::bad_version);
  REQUIRE(create(tree, "/state/child") == ZkCode::ok);
  CHECK(tree.remove(ZkDelete{"/state", ZkVersion(2)}, tree.next_zxid()) == ZkCode::not_empty);
  CHECK(tree.remove(ZkDelete{"/state/child", kAnyZkVersion}, tree.next_zxid()) == ZkCode::ok);
  CHECK(tree.remove(ZkDelete{"/state", ZkVersion(2)}, tree.next_zxid()) == ZkCode::ok);
  CHECK(tree.find("/state") == nullptr);
  CHECK(tree.remove(ZkDelete{"/state", kAnyZkVersion}, tree.next_zxid()) == ZkCode::no_node);
}

TEST_CASE("sequential names are ten digits of the parent's cversion") {
  DataTree tree;
  REQUIRE(create(tree, "/isr_change_notification") == ZkCode::ok);
  std::string name;
  CHECK(create(tree, "/isr_change_notification/isr_change_", ZkCreateMode::persistent_sequential,
               &name) == ZkCode::ok);
  CHECK(name == "/isr_change_notification/isr_change_0000000000");
  CHECK(create(tree, "/isr_change_notification/isr_change_", ZkCreateMode::persistent_sequential,
               &name) == ZkCode::ok);
  CHECK(name == "/isr_change_notification/isr_change_0000000001");
  // A deletion advances the counter too: numbers are never reused.
  REQUIRE(tree.remove(ZkDelete{name, kAnyZkVersion}, tree.next_zxid()) == ZkCode::ok);
  tree.commit();
  CHECK(create(tree, "/isr_change_notification/isr_change_", ZkCreateMode::ephemeral_sequential,
               &name) == ZkCode::ok);
  CHECK(name == "/isr_change_notification/isr_change_0000000003");
  CHECK(tree.find(name)->stat.ephemeral_owner == kSession);
}

TEST_CASE("rollback undoes every change of the transaction, commit reports the triggers") {
  DataTree tree;
  REQUIRE(create(tree, "/a") == ZkCode::ok);
  const ZkStat root_before = tree.find("/")->stat;
  const ZkStat a_before = tree.find("/a")->stat;
  ZkOpResult result;
  const Zxid zxid = tree.next_zxid();
  REQUIRE(tree.create(ZkCreate{"/b", "", ZkCreateMode::persistent}, kSession, zxid, result) ==
          ZkCode::ok);
  REQUIRE(tree.set_data(ZkSetData{"/a", "new", kAnyZkVersion}, zxid, result) == ZkCode::ok);
  REQUIRE(tree.remove(ZkDelete{"/b", kAnyZkVersion}, zxid) == ZkCode::ok);
  REQUIRE(tree.create(ZkCreate{"/b", "again", ZkCreateMode::persistent}, kSession, zxid, result) ==
          ZkCode::ok);
  tree.rollback();
  CHECK(tree.find("/b") == nullptr);
  CHECK(tree.find("/a")->data == "data");
  CHECK(tree.find("/a")->stat == a_before);
  CHECK(tree.find("/")->stat == root_before);
  CHECK(tree.find("/")->children.size() == 1);

  REQUIRE(tree.set_data(ZkSetData{"/a", "new", kAnyZkVersion}, tree.next_zxid(), result) ==
          ZkCode::ok);
  const std::vector<WatchTrigger> triggers = tree.commit();
  REQUIRE(triggers.size() == 1);
  CHECK(triggers[0].path == "/a");
  CHECK(triggers[0].type == ZkEventType::node_data_changed);
}

TEST_CASE("rollback restores a parent's children and Stat without copying it") {
  // PrepRequestProcessor.rollbackPendingChanges: a failed multi leaves no trace. The undo log
  // keeps the parent's Stat and one child name per creation or deletion: check that undoing them
  // in reverse order brings back the parent whole, among siblings, after several changes.
  DataTree tree;
  REQUIRE(create(tree, "/p") == ZkCode::ok);
  REQUIRE(create(tree, "/p/0") == ZkCode::ok);
  REQUIRE(create(tree, "/p/1") == ZkCode::ok);
  const Znode before = *tree.find("/p");
  const Znode one_before = *tree.find("/p/1");
  ZkOpResult result;
  const Zxid zxid = tree.next_zxid();
  REQUIRE(tree.remove(ZkDelete{"/p/1", kAnyZkVersion}, zxid) == ZkCode::ok);
  REQUIRE(tree.create(ZkCreate{"/p/2", "", ZkCreateMode::persistent}, kSession, zxid, result) ==
          ZkCode::ok);
  REQUIRE(tree.create(ZkCreate{"/p/1", "new", ZkCreateMode::persistent}, kSession, zxid, result) ==
          ZkCode::ok);
  REQUIRE(tree.set_data(ZkSetData{"/p", "x", kAnyZkVersion}, zxid, result) == ZkCode::ok);
  REQUIRE(tree.set_data(ZkSetData{"/p", "y", kAnyZkVersion}, zxid, result) == ZkCode::ok);
  REQUIRE(tree.create(ZkCreate{"/p/2/c", "", ZkCreateMode::persistent}, kSession, zxid, result) ==
          ZkCode::ok);
  REQUIRE(tree.remove(ZkDelete{"/p/0", kAnyZkVersion}, zxid) == ZkCode::ok);
  CHECK(tree.find("/p")->children == std::set<std::string, std::less<>>{"1", "2"});
  tree.rollback();
  const Znode* p = tree.find("/p");
  REQUIRE(p != nullptr);
  CHECK(p->data == before.data);
  CHECK(p->stat == before.stat);
  CHECK(p->children == before.children);
  CHECK(tree.find("/p/0") != nullptr);
  REQUIRE(tree.find("/p/1") != nullptr);
  CHECK(tree.find("/p/1")->data == one_before.data);
  CHECK(tree.find("/p/1")->stat == one_before.stat);
  CHECK(tree.find("/p/2") == nullptr);
  CHECK(tree.find("/p/2/c") == nullptr);
  CHECK(tree.node_count() == 4);  // "/", /p, /p/0, /p/1
  CHECK(tree.commit().empty());   // the rollback dropped the triggers too
}

TEST_CASE("watches are one-shot; a deletion tells data and child watchers once each") {
  WatchManager watches;
  const ZkSessionId s1{1}, s2{2};
  watches.add_data_watch("/controller", s1);
  watches.add_data_watch("/controller", s2);
  watches.add_child_watch("/controller", s2);
  std::vector<WatchFire> fired;
  watches.trigger({"/controller", ZkEventType::node_deleted}, fired);
  REQUIRE(fired.size() == 2);
  CHECK(fired[0].session == s1);
  CHECK(fired[1].session == s2);
  CHECK(watches.count() == 0);
  fired.clear();
  watches.trigger({"/controller", ZkEventType::node_created}, fired);
  CHECK(fired.empty());

  watches.add_child_watch("/brokers/ids", s1);
  watches.add_data_watch("/brokers/ids", s2);
  watches.trigger({"/brokers/ids", ZkEventType::node_children_changed}, fired);
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].session == s1);
  CHECK(watches.has_data_watch("/brokers/ids", s2));
  watches.remove_session(s2);
  CHECK(watches.count() == 0);
}

TEST_CASE("sessions expire at the tick boundary after last touch + timeout") {
  const Duration tick = std::chrono::milliseconds(2000);
  SessionTracker tracker(tick);
  const ZkSessionId a =
      tracker.create_session(std::chrono::milliseconds(6000), instant_from_ms(0.5));
  CHECK(tracker.expiration(a) == instant_from_ms(8000));
  // Exactly on a boundary goes to the next one (roundToNextInterval).
  CHECK(tracker.round_to_next_tick(instant_from_ms(4000)) == instant_from_ms(6000));
  REQUIRE(tracker.touch(a, instant_from_ms(2000.5)));
  CHECK(tracker.expiration(a) == instant_from_ms(10000));
  const ZkSessionId b =
      tracker.create_session(std::chrono::milliseconds(4000), instant_from_ms(3000));
  CHECK(tracker.expiration(b) == instant_from_ms(8000));
  CHECK(tracker.next_expiration() == instant_from_ms(8000));
  CHECK(tracker.poll_expired(instant_from_ms(7999)).empty());
  CHECK(tracker.poll_expired(instant_from_ms(8000)) == std::vector<ZkSessionId>{b});
  CHECK_FALSE(tracker.touch(b, instant_from_ms(8000)));
  CHECK(tracker.next_expiration() == instant_from_ms(10000));
  tracker.touch_all(instant_from_ms(30000));
  CHECK(tracker.expiration(a) == instant_from_ms(38000));
  CHECK(tracker.poll_expired(instant_from_ms(38000)) == std::vector<ZkSessionId>{a});
  CHECK(tracker.size() == 0);
}

}  // namespace
}  // namespace kafkasim
