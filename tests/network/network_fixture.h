// A small network of recording endpoints for the network tests.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "kafkasim/engine/engine.h"
#include "kafkasim/network/transport.h"

namespace kafkasim::testing {

struct Msg {
  int id = 0;
};

struct Received {
  Instant at;
  NodeId from;
  int id = 0;
};

struct Disconnect {
  Instant at;
  NodeId peer;
};

class Recorder : public Endpoint<Msg> {
 public:
  explicit Recorder(Engine& engine) : engine_(engine) {}
  void on_message(NodeId from, Msg&& message) override {
    messages.push_back(Received{engine_.now(), from, message.id});
    if (on_receive) on_receive(from, message);
  }
  void on_disconnected(NodeId peer) override {
    disconnects.push_back(Disconnect{engine_.now(), peer});
  }
  void on_writable(NodeId peer) override { writable.push_back(Disconnect{engine_.now(), peer}); }

  /// Called after a message is recorded (a test's receiver may keep it unread).
  std::function<void(NodeId from, const Msg& message)> on_receive;
  std::vector<Received> messages;
  std::vector<Disconnect> disconnects;
  std::vector<Disconnect> writable;  // window updates: when, and from which peer

 private:
  Engine& engine_;
};

inline std::vector<NodeDecl> brokers(int count) {
  std::vector<NodeDecl> nodes;
  for (int i = 1; i <= count; ++i)
    nodes.push_back({"broker-" + std::to_string(i), NodeKind::broker});
  return nodes;
}

inline NetworkSpec constant_spec(double latency_ms, double bandwidth_mbps = 1e9) {
  NetworkSpec spec;
  spec.latency_ms = Dist::constant(latency_ms);
  spec.bandwidth_mbps = bandwidth_mbps;
  return spec;
}

/// An engine, a transport, and a Recorder attached to every endpoint.
class Fixture {
 public:
  Fixture(const std::vector<NodeDecl>& nodes, const NetworkSpec& spec, std::uint64_t seed = 1)
      : net(engine, Topology::build(nodes, spec), seed) {
    for (std::size_t i = 0; i < net.topology().endpoint_count(); ++i) {
      recorders.push_back(std::make_unique<Recorder>(engine));
      net.attach(NodeId(static_cast<std::uint32_t>(i)), *recorders.back());
    }
  }

  NodeId id(const std::string& name) const { return net.topology().at(name); }
  Recorder& at(const std::string& name) { return *recorders[id(name).value()]; }
  void send(const std::string& from, const std::string& to, int msg_id, std::uint32_t bytes = 0) {
    net.send(id(from), id(to), Msg{msg_id}, bytes);
  }
  void run_to_ms(double ms) { engine.run_until(instant_from_ms(ms)); }

  Engine engine;
  Transport<Msg> net;
  std::vector<std::unique_ptr<Recorder>> recorders;
};

inline std::vector<int> ids(const std::vector<Received>& messages) {
  std::vector<int> out;
  for (const Received& r : messages)
    out.push_back(r.id);
  return out;
}

}  // namespace kafkasim::testing

template <>
struct doctest::StringMaker<kafkasim::Instant> {
  static String convert(const kafkasim::Instant& t) {
    return (std::to_string(t.ns()) + " ns").c_str();
  }
};
