// Sessions under faults: expiry timing in tick buckets, pings, partitions, pauses, ZooKeeper
// crashes, and determinism. One-way latency is 0.5 ms, the session timeout 6000 ms (Kafka 2.4's
// default), so the client's read timeout is 4000 ms and it pings after 2000 ms without sending.
#include <doctest/doctest.h>

#include "zk_fixture.h"

namespace kafkasim::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kEphemeral = ZkCreateMode::ephemeral;
constexpr auto kPersistent = ZkCreateMode::persistent;

// Timeline of broker-1 from start() at 0: ConnectRequest reaches ZooKeeper at 0.5 ms (session
// created, expiry rounded up to 8000), the client is connected at 1.0; nothing else is sent, so
// it pings at 2000 and 4000 (arriving 2000.5 and 4000.5: expiry 10000, then 12000) and hears the
// pong at 4001.0.

TEST_CASE("a client cut off longer than its timeout is expired at the tick bucket's boundary") {
  ZkFixture f(2);
  f.start_all();
  f.run_to_ms(5000);
  const ZkSessionId session = f.client(1).session_id();
  CHECK(f.server.sessions().expiration(session) == instant_from_ms(12000));
  f.cut_from_zookeeper("broker-1");

  f.run_to_ms(11999);
  CHECK(f.server.sessions().exists(session));
  f.run_to_ms(12000);
  REQUIRE(f.server_log.ended.size() == 1);
  CHECK(f.server_log.ended[0].at == instant_from_ms(12000));
  CHECK(f.server_log.ended[0].session == session);
  CHECK(f.server_log.ended[0].why == ZkSessionEnd::expired);
  // broker-2, which kept pinging, keeps its session.
  CHECK(f.server.sessions().exists(f.client(2).session_id()));
  // The cut-off client gave up its connection after 4000 ms of silence, and has not been told
  // of the expiry: it cannot reach the server.
  CHECK(f.broker(1).times_of(ZkSessionEvent::disconnected) ==
        std::vector<Instant>{instant_from_ms(8001)});
  CHECK(f.broker(1).times_of(ZkSessionEvent::expired).empty());
  CHECK(f.client(1).session_id() == session);
}

TEST_CASE("a client cut off for less than its timeout keeps its session") {
  ZkFixture f(1);
  f.start_all();
  f.run_to_ms(5000);
  const ZkSessionId session = f.client(1).session_id();
  const PartitionHandle cut = f.cut_from_zookeeper("broker-1");
  f.run_to_ms(7000);
  f.net.heal(cut);
  // The ping held since 6000 crosses now and touches the session.
  f.run_to_ms(7001);
  CHECK(f.server.sessions().expiration(session) == instant_from_ms(14000));
  f.run_to_ms(60000);
  CHECK(f.server_log.ended.empty());
  CHECK(f.client(1).connected());
  CHECK(f.client(1).session_id() == session);
  CHECK(f.broker(1).session_events.size() == 1);  // established, nothing since
}

TEST_CASE("pings keep an idle session alive") {
  ZkFixture f(1);
  f.start_all();
  f.run_to_ms(600000);
  CHECK(f.server_log.ended.empty());
  CHECK(f.client(1).connected());
  CHECK(f.broker(1).session_events.size() == 1);
  // Last ping at 598000, reached ZooKeeper at 598000.5.
  CHECK(f.server.sessions().expiration(f.client(1).session_id()) == instant_from_ms(606000));
}

TEST_CASE("requests made during a short disconnection go through after it, on the same session") {
  ZkFixture f(1);
  f.start_all();
  f.run_to_ms(5000);
  const ZkSessionId session = f.client(1).session_id();
  const PartitionHandle cut = f.cut_from_zookeeper("broker-1");
  // Sent into the partition: the client drops it with the connection at 8001 and sends it
  // again after reconnecting, first (KafkaZkClient.retryRequestsUntilConnected).
  std::vector<ZkResult> answers;
  f.client(1).create("/in-flight", "", kPersistent,
                     [&](const ZkResult& r) { answers.push_back(r); });
  f.run_to_ms(9000);
  REQUIRE(f.broker(1).times_of(ZkSessionEvent::disconnected) ==
          std::vector<Instant>{instant_from_ms(8001)});
  Instant answered;
  f.client(1).create("/brokers", "", kPersistent, [&](const ZkResult& r) {
    answers.push_back(r);
    answered = f.engine.now();
  });
  f.client(1).create("/brokers/ids", "", kPersistent,
                     [&](const ZkResult& r) { answers.push_back(r); });
  CHECK(f.client(1).requests_in_progress() == 3);
  f.run_to_ms(10500);
  CHECK(answers.empty());
  f.net.heal(cut);
  f.run_to_ms(11000);
  // The reconnect attempt was held by the partition and reaches ZooKeeper at 10500.5, inside
  // the session's timeout (its expiry was 12000): same session, then the queued requests.
  CHECK(f.broker(1).times_of(ZkSessionEvent::reconnected) ==
        std::vector<Instant>{instant_from_ms(10501)});
  CHECK(f.client(1).session_id() == session);
  REQUIRE(answers.size() == 3);
  CHECK(answers[0].path == "/in-flight");
  CHECK(answers[1].path == "/brokers");
  CHECK(answers[2].path == "/brokers/ids");
  CHECK(answers[2].code == ZkCode::ok);
  CHECK(answered == instant_from_ms(10502));
  CHECK(f.server_log.ended.empty());
}

TEST_CASE("a client that reconnects after its session expired is told so; its requests fail") {
  ZkFixture f(2);
  f.start_all();
  f.run_to_ms(100);
  REQUIRE(f.call([&](ZkCallback cb) {
             f.client(1).create("/broker-1", "", kEphemeral, std::move(cb));
           }).code == ZkCode::ok);
  const ZkSessionId old_session = f.client(1).session_id();
  f.run_to_ms(5000);
  const PartitionHandle cut = f.cut_from_zookeeper("broker-1");
  f.run_to_ms(15000);
  CHECK(f.server.tree().find("/broker-1") == nullptr);  // gone with the session at 12000

  std::vector<ZkCode> codes;
  f.client(1).get_data("/broker-1", ZkWatch::watch,
                       [&](const ZkResult& r) { codes.push_back(r.code); });
  f.client(1).create("/x", "", kPersistent, [&](const ZkResult& r) { codes.push_back(r.code); });
  f.net.heal(cut);
  f.run_to_ms(30000);
  CHECK(codes == std::vector<ZkCode>{ZkCode::session_expired, ZkCode::session_expired});
  const auto& events = f.broker(1).session_events;
  REQUIRE(events.size() == 4);
  CHECK(events[1].event == ZkSessionEvent::disconnected);
  CHECK(events[2].event == ZkSessionEvent::expired);
  CHECK(events[2].at > instant_from_ms(15000));
  CHECK(events[3].event == ZkSessionEvent::session_established);
  CHECK(f.client(1).session_id() != old_session);
  CHECK(f.server.tree().find("/x") == nullptr);
  // The new session works.
  CHECK(f.call([&](ZkCallback cb) {
           f.client(1).create("/broker-1", "", kEphemeral, std::move(cb));
         }).code == ZkCode::ok);
  CHECK(f.server.tree().find("/broker-1")->stat.ephemeral_owner == f.client(1).session_id());
}

TEST_CASE("a client paused longer than its session timeout loses its session") {
  ZkFixture f(1);
  f.start_all();
  f.run_to_ms(5000);
  const ZkSessionId session = f.client(1).session_id();
  f.pause(1);
  f.run_to_ms(15000);
  REQUIRE(f.server_log.ended.size() == 1);
  CHECK(f.server_log.ended[0].at == instant_from_ms(12000));
  CHECK(f.broker(1).session_events.size() == 1);  // a paused process hears nothing
  f.resume(1);
  f.run_to_ms(20000);
  // On waking up the client finds it has heard nothing for 11 s, drops the connection,
  // reconnects and hears that its session is gone.
  CHECK(f.broker(1).times_of(ZkSessionEvent::disconnected) ==
        std::vector<Instant>{instant_from_ms(15000)});
  REQUIRE(f.broker(1).times_of(ZkSessionEvent::expired).size() == 1);
  CHECK(f.broker(1).times_of(ZkSessionEvent::session_established).size() == 2);
  CHECK(f.client(1).session_id() != session);
}

TEST_CASE("a client paused for less than its session timeout keeps its session") {
  ZkFixture f(1);
  f.start_all();
  f.run_to_ms(5000);
  const ZkSessionId session = f.client(1).session_id();
  f.pause(1);
  f.run_to_ms(7500);
  f.resume(1);
  f.run_to_ms(30000);
  CHECK(f.server_log.ended.empty());
  CHECK(f.client(1).session_id() == session);
  CHECK(f.broker(1).session_events.size() == 1);
}

TEST_CASE("sessions, ephemeral nodes and watches survive a ZooKeeper crash and restart") {
  ZkFixture f(2);
  f.start_all();
  f.run_to_ms(100);
  REQUIRE(f.call([&](ZkCallback cb) {
             f.client(1).create("/brokers", "", kPersistent, std::move(cb));
           }).code == ZkCode::ok);
  REQUIRE(f.call([&](ZkCallback cb) {
             f.client(1).create("/brokers/1", "", kEphemeral, std::move(cb));
           }).code == ZkCode::ok);
  REQUIRE(f.call([&](ZkCallback cb) {
             f.client(2).get_children("/brokers", ZkWatch::watch, std::move(cb));
           }).children.size() == 1);
  const ZkSessionId s1 = f.client(1).session_id();
  const ZkSessionId s2 = f.client(2).session_id();

  f.run_to_ms(5000);
  f.server.crash(CrashKind::process);
  CHECK(f.server.watches().count() == 0);
  f.run_to_ms(30000);  // down far longer than the session timeout
  CHECK(f.broker(1).times_of(ZkSessionEvent::disconnected) ==
        std::vector<Instant>{instant_from_ms(5000.5)});
  CHECK_FALSE(f.client(1).connected());
  f.server.start();
  // Every session gets a full timeout from the restart.
  CHECK(f.server.sessions().expiration(s1) == instant_from_ms(38000));
  f.run_to_ms(40000);
  CHECK(f.server_log.ended.empty());
  CHECK(f.client(1).session_id() == s1);
  CHECK(f.client(2).session_id() == s2);
  CHECK(f.client(1).connected());
  CHECK(f.broker(1).times_of(ZkSessionEvent::reconnected).size() == 1);
  CHECK(f.server.tree().find("/brokers/1") != nullptr);
  // broker-2's child watch came back with its SetWatches.
  CHECK(f.server.watches().has_child_watch("/brokers", s2));
  REQUIRE(f.call([&](ZkCallback cb) {
             f.client(1).create("/brokers/2", "", kPersistent, std::move(cb));
           }).code == ZkCode::ok);
  f.run_to_ms(40100);
  REQUIRE(f.broker(2).watch_events.size() == 1);
  CHECK(f.broker(2).watch_events[0].type == ZkEventType::node_children_changed);
}

TEST_CASE("a change made while a watcher was disconnected reaches it once, after reconnecting") {
  ZkFixture f(2);
  f.start_all();
  f.run_to_ms(100);
  REQUIRE(f.call([&](ZkCallback cb) {
             f.client(1).create("/state", "0", kPersistent, std::move(cb));
           }).code == ZkCode::ok);
  REQUIRE(f.call([&](ZkCallback cb) {
             f.client(2).get_data("/state", ZkWatch::watch, std::move(cb));
           }).code == ZkCode::ok);
  f.run_to_ms(5000);
  const PartitionHandle cut = f.cut_from_zookeeper("broker-2");
  f.run_to_ms(9000);  // broker-2 has given up its connection (8001)
  REQUIRE(f.call([&](ZkCallback cb) {
             f.client(1).set_data("/state", "1", kAnyZkVersion, std::move(cb));
           }).code == ZkCode::ok);
  f.run_to_ms(10500);
  f.net.heal(cut);
  f.run_to_ms(12000);
  REQUIRE(f.broker(2).times_of(ZkSessionEvent::reconnected).size() == 1);
  const auto& events = f.broker(2).watch_events;
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == ZkEventType::node_data_changed);
  CHECK(events[0].path == "/state");
  CHECK(events[0].at >= f.broker(2).times_of(ZkSessionEvent::reconnected)[0]);
}

TEST_CASE("with the raw ZooKeeper policy a lost connection fails outstanding requests") {
  ZkClientConfig config;
  config.connection_loss = ZkConnectionLossPolicy::report;
  ZkFixture f(1, config);
  f.start_all();
  f.run_to_ms(5000);
  f.cut_from_zookeeper("broker-1");
  std::vector<ZkCode> codes;
  f.client(1).create("/a", "", kPersistent, [&](const ZkResult& r) { codes.push_back(r.code); });
  f.run_to_ms(8002);
  CHECK(codes == std::vector<ZkCode>{ZkCode::connection_loss});
}

std::vector<std::string> eventful_run(std::uint64_t seed) {
  ZkClientConfig config;
  config.seed = seed;
  ZkFixture f(3, config);
  f.start_all();
  f.run_to_ms(100);
  for (int i = 1; i <= 3; ++i) {
    f.client(i).create("/b" + std::to_string(i), "", kEphemeral, {});
    f.client(i).get_children("/", ZkWatch::watch, {});
  }
  f.run_to_ms(3000);
  const PartitionHandle cut = f.cut_from_zookeeper("broker-1");
  f.run_to_ms(4000);
  f.pause(2);
  f.run_to_ms(11000);
  f.resume(2);
  f.run_to_ms(13000);
  f.net.heal(cut);
  f.server.expire_sessions_of(f.id("broker-3"));
  f.run_to_ms(20000);
  f.server.crash(CrashKind::power_loss);
  f.run_to_ms(24000);
  f.server.start();
  f.run_to_ms(40000);
  return f.log.lines;
}

TEST_CASE("two runs with the same seed give the same events") {
  const std::vector<std::string> first = eventful_run(42);
  const std::vector<std::string> second = eventful_run(42);
  CHECK(first == second);
  CHECK(first.size() > 20);
  // The reconnect jitter draws from the seed: another seed gives another history.
  CHECK(eventful_run(43) != first);
}

}  // namespace
}  // namespace kafkasim::testing

namespace kafkasim::testing {
namespace {

TEST_CASE("the session timeout is negotiated within 2 and 20 ticks") {
  for (const auto& [asked_ms, granted_ms] : std::vector<std::pair<int, int>>{
           {1000, 4000}, {6000, 6000}, {18000, 18000}, {90000, 40000}}) {
    ZkClientConfig config;
    config.session_timeout = std::chrono::milliseconds(asked_ms);
    ZkFixture f(1, config);
    f.start_all();
    f.run_to_ms(10);
    CHECK(f.client(1).negotiated_session_timeout() == std::chrono::milliseconds(granted_ms));
    CHECK(f.server.sessions().timeout(f.client(1).session_id()) ==
          std::chrono::milliseconds(granted_ms));
    // Pings keep it alive whatever the timeout: a third of it, at most 10 s apart.
    f.run_to_ms(200000);
    CHECK(f.server_log.ended.empty());
  }
}

}  // namespace
}  // namespace kafkasim::testing

namespace kafkasim::testing {
namespace {

TEST_CASE("a restarted broker gets a new session while its old one lingers until it expires") {
  ZkFixture f(1);
  f.start_all();
  f.run_to_ms(100);
  REQUIRE(f.call([&](ZkCallback cb) {
             f.client(1).create("/brokers-1", "", ZkCreateMode::ephemeral, std::move(cb));
           }).code == ZkCode::ok);
  const ZkSessionId old_session = f.client(1).session_id();
  f.run_to_ms(3000);
  // The broker's process dies; the fault layer stops it in the engine and the network.
  f.engine.stop(f.broker(1).actor());
  f.net.crash(f.id("broker-1"), CrashKind::process);
  f.run_to_ms(4000);
  f.engine.restart(f.broker(1).actor());
  f.net.restart(f.id("broker-1"));
  f.client(1).start();
  f.run_to_ms(4010);
  REQUIRE(f.client(1).connected());
  CHECK(f.client(1).session_id() != old_session);
  // Kafka's checkedEphemeralCreate fails here: the node is the old session's until it expires
  // (last touched by the ping at 2100.5: 8100.5 rounds up to 10000).
  const ZkResult early = f.call([&](ZkCallback cb) {
    f.client(1).create("/brokers-1", "", ZkCreateMode::ephemeral, std::move(cb));
  });
  CHECK(early.code == ZkCode::node_exists);
  CHECK(f.server.tree().find("/brokers-1")->stat.ephemeral_owner == old_session);
  f.run_to_ms(10000);
  REQUIRE(f.server_log.ended.size() == 1);
  CHECK(f.server_log.ended[0].session == old_session);
  CHECK(f.server_log.ended[0].at == instant_from_ms(10000));
  CHECK(f.call([&](ZkCallback cb) {
           f.client(1).create("/brokers-1", "", ZkCreateMode::ephemeral, std::move(cb));
         }).code == ZkCode::ok);
  CHECK(f.client(1).connected());  // the old session's end did not touch the new connection
}

}  // namespace
}  // namespace kafkasim::testing
