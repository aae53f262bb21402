// The server's operations and watches, driven by clients through the network.
#include <doctest/doctest.h>

#include "zk_fixture.h"

namespace kafkasim::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kPersistent = ZkCreateMode::persistent;
constexpr auto kEphemeral = ZkCreateMode::ephemeral;

/// Brokers started and connected at 10 ms.
struct Started : ZkFixture {
  explicit Started(int brokers = 2) : ZkFixture(brokers) {
    start_all();
    run_to_ms(10);
    for (int i = 1; i <= brokers; ++i)
      REQUIRE(client(i).connected());
  }
  ZkResult create(int i, const std::string& path, ZkCreateMode mode = kPersistent,
                  const std::string& data = "") {
    return call([&](ZkCallback cb) { client(i).create(path, data, mode, std::move(cb)); });
  }
  ZkResult get(int i, const std::string& path, ZkWatch watch = ZkWatch::none) {
    return call([&](ZkCallback cb) { client(i).get_data(path, watch, std::move(cb)); });
  }
  ZkResult set(int i, const std::string& path, const std::string& data, ZkVersion version) {
    return call([&](ZkCallback cb) { client(i).set_data(path, data, version, std::move(cb)); });
  }
  ZkResult children(int i, const std::string& path, ZkWatch watch = ZkWatch::none) {
    return call([&](ZkCallback cb) { client(i).get_children(path, watch, std::move(cb)); });
  }
  ZkResult exists(int i, const std::string& path, ZkWatch watch = ZkWatch::none) {
    return call([&](ZkCallback cb) { client(i).exists(path, watch, std::move(cb)); });
  }
  ZkResult remove(int i, const std::string& path, ZkVersion version) {
    return call([&](ZkCallback cb) { client(i).remove(path, version, std::move(cb)); });
  }
};

TEST_CASE("create, getData, setData and delete with versions") {
  Started f(1);
  CHECK(f.create(1, "/brokers/topics").code == ZkCode::no_node);
  ZkResult created = f.create(1, "/brokers", kPersistent, "{}");
  CHECK(created.code == ZkCode::ok);
  CHECK(created.path == "/brokers");
  CHECK(f.create(1, "/brokers").code == ZkCode::node_exists);

  ZkResult got = f.get(1, "/brokers");
  CHECK(got.code == ZkCode::ok);
  CHECK(got.data == "{}");
  CHECK(got.stat.version == ZkVersion(0));
  CHECK(got.stat.ephemeral_owner == kNoZkSession);

  ZkResult set = f.set(1, "/brokers", R"({"v":1})", ZkVersion(0));
  CHECK(set.code == ZkCode::ok);
  CHECK(set.stat.version == ZkVersion(1));
  CHECK(set.stat.mzxid > got.stat.mzxid);
  CHECK(f.set(1, "/brokers", "stale", ZkVersion(0)).code == ZkCode::bad_version);
  CHECK(f.get(1, "/brokers").data == R"({"v":1})");
  CHECK(f.set(1, "/brokers", "any", kAnyZkVersion).stat.version == ZkVersion(2));

  CHECK(f.remove(1, "/brokers", ZkVersion(1)).code == ZkCode::bad_version);
  CHECK(f.remove(1, "/brokers", ZkVersion(2)).code == ZkCode::ok);
  CHECK(f.get(1, "/brokers").code == ZkCode::no_node);
  CHECK(f.remove(1, "/brokers", kAnyZkVersion).code == ZkCode::no_node);
}

TEST_CASE("ephemeral nodes belong to the session that made them") {
  Started f(2);
  REQUIRE(f.create(1, "/controller", kEphemeral, R"({"brokerid":1})").code == ZkCode::ok);
  const ZkResult got = f.get(2, "/controller");
  CHECK(got.stat.ephemeral_owner == f.client(1).session_id());
  CHECK(f.client(1).session_id() != f.client(2).session_id());
  // Another broker racing for the controller loses.
  CHECK(f.create(2, "/controller", kEphemeral).code == ZkCode::node_exists);
}

TEST_CASE("sequential nodes get the parent's ten-digit counter") {
  Started f(1);
  REQUIRE(f.create(1, "/isr_change_notification").code == ZkCode::ok);
  const auto seq = ZkCreateMode::persistent_sequential;
  CHECK(f.create(1, "/isr_change_notification/isr_change_", seq).path ==
        "/isr_change_notification/isr_change_0000000000");
  CHECK(f.create(1, "/isr_change_notification/isr_change_", seq).path ==
        "/isr_change_notification/isr_change_0000000001");
  CHECK(f.children(1, "/isr_change_notification").children ==
        std::vector<std::string>{"isr_change_0000000000", "isr_change_0000000001"});
}

TEST_CASE("a data watch is one-shot") {
  Started f(2);
  REQUIRE(f.create(1, "/brokers/", kPersistent).code == ZkCode::bad_arguments);
  REQUIRE(f.create(1, "/a", kPersistent, "0").code == ZkCode::ok);
  REQUIRE(f.get(2, "/a", ZkWatch::watch).code == ZkCode::ok);
  CHECK(f.server.watches().has_data_watch("/a", f.client(2).session_id()));

  const Instant first_set = f.engine.now();
  REQUIRE(f.set(1, "/a", "1", kAnyZkVersion).code == ZkCode::ok);
  REQUIRE(f.set(1, "/a", "2", kAnyZkVersion).code == ZkCode::ok);
  f.run_to_ms(100);
  auto& events = f.broker(2).watch_events;
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == ZkEventType::node_data_changed);
  CHECK(events[0].path == "/a");
  // The setData reaches ZooKeeper after 0.5 ms, the notification broker-2 0.5 ms later.
  CHECK(events[0].at == first_set + 1000us);
  CHECK(f.server.watches().count() == 0);

  // A new read sets a new watch; deleting the node fires it as NodeDeleted.
  REQUIRE(f.get(2, "/a", ZkWatch::watch).code == ZkCode::ok);
  REQUIRE(f.remove(1, "/a", kAnyZkVersion).code == ZkCode::ok);
  f.run_to_ms(200);
  REQUIRE(events.size() == 2);
  CHECK(events[1].type == ZkEventType::node_deleted);
}

TEST_CASE("exists watches a node that is not there yet") {
  Started f(2);
  CHECK(f.exists(2, "/controller", ZkWatch::watch).code == ZkCode::no_node);
  REQUIRE(f.create(1, "/controller", kEphemeral).code == ZkCode::ok);
  f.run_to_ms(100);
  REQUIRE(f.broker(2).watch_events.size() == 1);
  CHECK(f.broker(2).watch_events[0].type == ZkEventType::node_created);
  CHECK(f.broker(2).watch_events[0].path == "/controller");
}

TEST_CASE("a child watch fires on a child's creation and deletion, not on its data") {
  Started f(2);
  REQUIRE(f.create(1, "/brokers").code == ZkCode::ok);
  REQUIRE(f.create(1, "/brokers/ids").code == ZkCode::ok);
  REQUIRE(f.children(2, "/brokers/ids", ZkWatch::watch).children.empty());
  REQUIRE(f.create(1, "/brokers/ids/1", kEphemeral).code == ZkCode::ok);
  f.run_to_ms(100);
  auto& events = f.broker(2).watch_events;
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == ZkEventType::node_children_changed);
  CHECK(events[0].path == "/brokers/ids");

  REQUIRE(f.children(2, "/brokers/ids", ZkWatch::watch).children == std::vector<std::string>{"1"});
  REQUIRE(f.set(1, "/brokers/ids/1", "new", kAnyZkVersion).code == ZkCode::ok);
  f.run_to_ms(200);
  CHECK(events.size() == 1);  // data of a child is not the parent's business
  REQUIRE(f.remove(1, "/brokers/ids/1", kAnyZkVersion).code == ZkCode::ok);
  f.run_to_ms(300);
  REQUIRE(events.size() == 2);
  CHECK(events[1].type == ZkEventType::node_children_changed);
}

TEST_CASE("a multi is all or nothing, with one zxid") {
  Started f(2);
  REQUIRE(f.create(1, "/controller_epoch", kPersistent, "1").code == ZkCode::ok);
  REQUIRE(f.create(1, "/state", kPersistent, "a").code == ZkCode::ok);
  REQUIRE(f.exists(2, "/new", ZkWatch::watch).code == ZkCode::no_node);
  const Zxid before = f.server.tree().last_zxid();

  // A stale controller epoch version: nothing happens (KafkaZkClient's epoch check).
  ZkResult failed = f.call([&](ZkCallback cb) {
    f.client(1).multi(
        {ZkCreate{"/new", "x", kPersistent}, ZkCheck{"/controller_epoch", ZkVersion(5)},
         ZkSetData{"/state", "b", ZkVersion(0)}},
        std::move(cb));
  });
  CHECK(failed.code == ZkCode::bad_version);
  REQUIRE(failed.results.size() == 3);
  CHECK(failed.results[0].code == ZkCode::ok);
  CHECK(failed.results[1].code == ZkCode::bad_version);
  CHECK(failed.results[2].code == ZkCode::runtime_inconsistency);
  CHECK(f.get(1, "/new").code == ZkCode::no_node);
  CHECK(f.get(1, "/state").data == "a");
  CHECK(f.server.tree().find("/")->stat.cversion == 2);  // the rolled-back create left no mark
  f.run_to_ms(100);
  CHECK(f.broker(2).watch_events.empty());

  ZkResult done = f.call([&](ZkCallback cb) {
    f.client(1).multi(
        {ZkCreate{"/new", "x", kPersistent}, ZkCheck{"/controller_epoch", ZkVersion(0)},
         ZkSetData{"/state", "b", ZkVersion(0)}},
        std::move(cb));
  });
  CHECK(done.code == ZkCode::ok);
  REQUIRE(done.results.size() == 3);
  CHECK(done.results[0].path == "/new");
  CHECK(done.results[2].stat.version == ZkVersion(1));
  const ZkResult state = f.get(1, "/state");
  CHECK(state.data == "b");
  CHECK(state.stat.mzxid == f.get(1, "/new").stat.czxid);
  CHECK(state.stat.mzxid == before + 2);  // the failed multi took a zxid too
  f.run_to_ms(300);
  REQUIRE(f.broker(2).watch_events.size() == 1);
  CHECK(f.broker(2).watch_events[0].type == ZkEventType::node_created);
}

TEST_CASE("expire_session deletes the session's ephemeral nodes and fires their watches") {
  Started f(2);
  REQUIRE(f.create(1, "/brokers").code == ZkCode::ok);
  REQUIRE(f.create(1, "/brokers/ids").code == ZkCode::ok);
  REQUIRE(f.create(1, "/brokers/ids/1", kEphemeral).code == ZkCode::ok);
  REQUIRE(f.create(1, "/controller", kEphemeral).code == ZkCode::ok);
  REQUIRE(f.create(2, "/brokers/ids/2", kEphemeral).code == ZkCode::ok);
  REQUIRE(f.children(2, "/brokers/ids", ZkWatch::watch).children.size() == 2);
  REQUIRE(f.get(2, "/controller", ZkWatch::watch).code == ZkCode::ok);
  const ZkSessionId old_session = f.client(1).session_id();

  f.run_to_ms(1000);
  CHECK(f.server.expire_sessions_of(f.id("broker-1")) == 1);
  CHECK(f.server.tree().find("/brokers/ids/1") == nullptr);
  CHECK(f.server.tree().find("/controller") == nullptr);
  CHECK(f.server.tree().find("/brokers/ids/2") != nullptr);
  REQUIRE(f.server_log.ended.size() == 1);
  CHECK(f.server_log.ended[0].why == ZkSessionEnd::expired_by_fault);

  f.run_to_ms(1001);
  auto& events = f.broker(2).watch_events;
  REQUIRE(events.size() == 2);
  CHECK(events[0].at == instant_from_ms(1000.5));
  // Ephemerals go in path order: /brokers/ids/1, then /controller.
  CHECK(events[0].type == ZkEventType::node_children_changed);
  CHECK(events[0].path == "/brokers/ids");
  CHECK(events[1].type == ZkEventType::node_deleted);
  CHECK(events[1].path == "/controller");

  // broker-1 sees its connection close, reconnects, hears "expired", and gets a new session.
  f.run_to_ms(5000);
  const auto& b1 = f.broker(1);
  REQUIRE(b1.session_events.size() == 4);
  CHECK(b1.session_events[0].event == ZkSessionEvent::session_established);
  CHECK(b1.session_events[1].event == ZkSessionEvent::disconnected);
  CHECK(b1.session_events[1].at == instant_from_ms(1000.5));
  CHECK(b1.session_events[2].event == ZkSessionEvent::expired);
  CHECK(b1.session_events[2].at >= instant_from_ms(2001.5));
  CHECK(b1.session_events[2].at <= instant_from_ms(3001.5));
  CHECK(b1.session_events[3].event == ZkSessionEvent::session_established);
  CHECK(f.client(1).connected());
  CHECK(f.client(1).session_id() != old_session);
}

TEST_CASE("close() ends the session at once") {
  Started f(2);
  REQUIRE(f.create(1, "/brokers").code == ZkCode::ok);
  REQUIRE(f.create(1, "/brokers/1", kEphemeral).code == ZkCode::ok);
  REQUIRE(f.exists(2, "/brokers/1", ZkWatch::watch).code == ZkCode::ok);
  f.client(1).close();
  f.run_to_ms(100);
  CHECK(f.client(1).state() == ZkClientState::closed);
  CHECK(f.server.tree().find("/brokers/1") == nullptr);
  REQUIRE(f.server_log.ended.size() == 1);
  CHECK(f.server_log.ended[0].why == ZkSessionEnd::closed_by_client);
  REQUIRE(f.broker(2).watch_events.size() == 1);
  CHECK(f.broker(2).watch_events[0].type == ZkEventType::node_deleted);
  CHECK(f.broker(1).times_of(ZkSessionEvent::closed).size() == 1);
  // A closed client answers at once.
  CHECK(f.get(1, "/brokers").code == ZkCode::session_expired);
}

TEST_CASE("wire sizes count znode data and record bytes") {
  const std::uint32_t ping = wire_size(Message{ZkPingRequest{}});
  CHECK(ping >= 64);
  CHECK(ping <= 128);
  const std::string data(1000, 'x');
  CHECK(wire_size(Message{ZkRequest{ZkXid(1), ZkCreate{"/a", data, kPersistent}}}) > 1000 + 64);
  ProduceRequest produce;
  produce.partitions.push_back(
      {TopicPartition{}, RecordBatch{0, LeaderEpoch(0), ProducerIndex(0), 0, 10, 5000}});
  CHECK(wire_size(Message{produce}) >= 5100);
  CHECK(wire_size(Message{MetadataRequest{}}) == 100);
}

}  // namespace
}  // namespace kafkasim::testing
