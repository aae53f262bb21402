// A ZooKeeper server and a few brokers that each own a ZkClient, on a network with constant
// latency, for the ZooKeeper tests. Every broker records what its client tells it, with times,
// into one shared log.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "kafkasim/engine/engine.h"
#include "kafkasim/network/transport.h"
#include "kafkasim/zookeeper/client.h"
#include "kafkasim/zookeeper/server.h"

namespace kafkasim::testing {

inline std::string ms_text(Instant t) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", to_ms(t));
  return text;
}

class Log {
 public:
  explicit Log(Engine& engine) : engine_(engine) {}
  void add(const std::string& who, const std::string& what) {
    lines.push_back(ms_text(engine_.now()) + " " + who + " " + what);
  }
  std::vector<std::string> lines;

 private:
  Engine& engine_;
};

/// A node that owns a ZkClient and forwards to it what the client needs.
class TestBroker final : public Actor, public Endpoint<Message>, public ZkWatcher {
 public:
  TestBroker(Engine& engine, Transport<Message>& network, NodeId self, NodeId server,
             const ZkClientConfig& config, Log& log)
      : engine_(engine),
        actor_(engine.add_actor(*this)),
        name_(network.topology().name(self)),
        log_(log),
        client(engine, network, actor_, self, server, config, *this) {
    network.attach(self, *this);
  }

  void on_message(NodeId from, Message&& message) override {
    std::visit(Overloaded{
                   [&](MemberOf<ZkClientBound> auto& m) { client.on_message(from, m); },
                   [](auto&) { FAIL("a message a ZooKeeper client never receives"); },
               },
               message);
  }
  void on_disconnected(NodeId peer) override { client.on_disconnected(peer); }
  void on_timer(TimerCookie cookie) override {
    REQUIRE(ZkClient::owns_timer(cookie));
    client.on_timer(cookie);
  }
  void on_zk_session_event(ZkSessionEvent event) override {
    session_events.push_back({engine_.now(), event});
    log_.add(name_, std::string(zk_session_event_name(event)) +
                        " session=" + std::to_string(client.session_id().value()));
  }
  void on_zk_watch_event(ZkEventType type, const std::string& path) override {
    watch_events.push_back({engine_.now(), type, path});
    log_.add(name_, std::string(zk_event_name(type)) + " " + path);
  }

  /// The times at which the client told of `event`.
  std::vector<Instant> times_of(ZkSessionEvent event) const {
    std::vector<Instant> times;
    for (const auto& e : session_events) {
      if (e.event == event) times.push_back(e.at);
    }
    return times;
  }

  struct SessionEventAt {
    Instant at;
    ZkSessionEvent event;
  };
  struct WatchEventAt {
    Instant at;
    ZkEventType type;
    std::string path;
  };

  ActorId actor() const { return actor_; }

 private:
  Engine& engine_;
  ActorId actor_;
  std::string name_;
  Log& log_;

 public:
  ZkClient client;
  std::vector<SessionEventAt> session_events;
  std::vector<WatchEventAt> watch_events;
};

class ServerLog final : public ZkServerObserver {
 public:
  ServerLog(Engine& engine, Log& log) : engine_(engine), log_(log) {}
  void on_session_created(ZkSessionId session, NodeId client) override {
    log_.add("zookeeper", "created session=" + std::to_string(session.value()) + " from node " +
                              std::to_string(client.value()));
  }
  void on_session_ended(ZkSessionId session, NodeId client, ZkSessionEnd why) override {
    ended.push_back({engine_.now(), session, why});
    static constexpr const char* kWhy[] = {"expired", "closed", "expired-by-fault"};
    log_.add("zookeeper", std::string(kWhy[static_cast<int>(why)]) +
                              " session=" + std::to_string(session.value()) + " of node " +
                              std::to_string(client.value()));
  }
  struct Ended {
    Instant at;
    ZkSessionId session;
    ZkSessionEnd why;
  };
  std::vector<Ended> ended;

 private:
  Engine& engine_;
  Log& log_;
};

inline std::vector<NodeDecl> zk_nodes(int brokers) {
  std::vector<NodeDecl> nodes{{"zookeeper", NodeKind::zookeeper}};
  for (int i = 1; i <= brokers; ++i)
    nodes.push_back({"broker-" + std::to_string(i), NodeKind::broker});
  return nodes;
}

inline NetworkSpec zk_spec(double latency_ms) {
  NetworkSpec spec;
  spec.latency_ms = Dist::constant(latency_ms);
  spec.bandwidth_mbps = 1e9;  // transmission time negligible: times in the tests stay round
  return spec;
}

/// ZooKeeper plus `brokers` clients (broker-1..N) with 0.5 ms one-way latency. The clients are
/// not started: tests call start() (or start_all()).
class ZkFixture {
 public:
  explicit ZkFixture(int brokers = 2, ZkClientConfig config = {}, double latency_ms = 0.5)
      : net(engine, Topology::build(zk_nodes(brokers), zk_spec(latency_ms)), config.seed),
        // The tick arithmetic of these tests is written for a 2000 ms tickTime (the sample
        // zoo.cfg); a scenario's default is ZooKeeper's own 3000 (kZkTickTime).
        server(engine, net, net.topology().at("zookeeper"), std::chrono::milliseconds(2000)),
        log(engine),
        server_log(engine, log) {
    server.set_observer(&server_log);
    for (int i = 1; i <= brokers; ++i) {
      broker_list.push_back(std::make_unique<TestBroker>(
          engine, net, id("broker-" + std::to_string(i)), server.node(), config, log));
    }
  }

  NodeId id(const std::string& name) const { return net.topology().at(name); }
  TestBroker& broker(int i) { return *broker_list[static_cast<std::size_t>(i - 1)]; }
  ZkClient& client(int i) { return broker(i).client; }
  void run_to_ms(double ms) { engine.run_until(instant_from_ms(ms)); }
  void start_all() {
    for (auto& b : broker_list)
      b->client.start();
  }

  /// Issues a request through `issue` (given the callback) and runs until its answer comes;
  /// fails the test if it does not within `limit_ms` of simulated time.
  template <class Issue>
  ZkResult call(Issue&& issue, double limit_ms = 60000) {
    std::optional<ZkResult> answer;
    issue([&answer](const ZkResult& result) { answer = result; });
    const Instant limit = engine.now() + duration_from_ms(limit_ms);
    while (!answer && engine.now() <= limit && engine.step()) {
    }
    REQUIRE_MESSAGE(answer.has_value(), "no answer");
    return *answer;
  }

  /// Cuts `node` off from ZooKeeper.
  PartitionHandle cut_from_zookeeper(const std::string& node) {
    return net.partition({{id(node)}, {server.node()}});
  }

  void pause(int broker_index) {
    engine.pause(broker(broker_index).actor());
    net.pause(id("broker-" + std::to_string(broker_index)));
  }
  void resume(int broker_index) {
    engine.resume(broker(broker_index).actor());
    net.resume(id("broker-" + std::to_string(broker_index)));
  }

  Engine engine;
  Transport<Message> net;
  ZooKeeperServer server;
  Log log;
  ServerLog server_log;
  std::vector<std::unique_ptr<TestBroker>> broker_list;
};

}  // namespace kafkasim::testing

template <>
struct doctest::StringMaker<kafkasim::Instant> {
  static String convert(const kafkasim::Instant& t) {
    return (kafkasim::testing::ms_text(t) + " ms").c_str();
  }
};
