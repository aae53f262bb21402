// The --trace recorder: taps the run's network to turn each request into a slice (on the broker
// or ZooKeeper, from the request's receipt to the response's departure; on a client, from its
// send to the response's arrival) and listens to the ledger's timeline to turn each notable
// event into an instant on the node it concerns. Only what overlaps the window is kept. It only
// reads: a traced run gives the same results as an untraced one, and an untraced run has no
// recorder at all.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cluster.h"
#include "kafkasim/network/transport.h"
#include "kafkasim/protocol/message.h"
#include "kafkasim/run/ledger.h"
#include "kafkasim/run/trace.h"

namespace kafkasim {

class TraceRecorder final : public TransportTap<Message>, public TimelineListener {
 public:
  TraceRecorder(Cluster& cluster, TraceWindow window, Instant scenario_start, Trace& out);
  ~TraceRecorder() override;
  TraceRecorder(const TraceRecorder&) = delete;
  TraceRecorder& operator=(const TraceRecorder&) = delete;

  void on_send(NodeId from, NodeId to, const Message& message) override;
  void on_deliver(NodeId from, NodeId to, const Message& message) override;
  void on_note(Instant now, std::string_view label, std::optional<NodeId> node,
               const std::string& line) override;

 private:
  /// One request in flight: client -> server, by the client's correlation id (or ZooKeeper xid).
  struct Key {
    std::uint32_t client;
    std::uint32_t server;
    std::int64_t id;
    auto operator<=>(const Key&) const = default;
  };
  struct Open {
    Message request;  // described when its slice is kept
    NodeId sender;
    Instant client_sent = Instant::never();
    Instant server_received = Instant::never();
  };
  struct Described {
    std::string name;
    nlohmann::ordered_json args;
  };

  void on_request_sent(NodeId from, NodeId to, const Message& message);
  void on_request_received(NodeId from, NodeId to, const Message& message);
  void on_response_sent(NodeId server, NodeId client, const Message& message);
  void on_response_received(NodeId server, NodeId client, const Message& message);
  /// The correlation id (or ZooKeeper xid) of a request the trace shows; nullopt otherwise.
  static std::optional<std::int64_t> request_id(const Message& message);
  /// A request's slice name ("Produce") and arguments.
  Described describe_request(NodeId from, const Message& message) const;
  /// The id of a response the trace shows (nullopt otherwise) and, when `args` is given, what
  /// it adds to its request's arguments.
  std::optional<std::int64_t> describe_response(const Message& message,
                                                nlohmann::ordered_json* args) const;
  void slice(NodeId node, Instant start, Instant end, Described&& request, const char* category);
  bool overlaps(Instant start, Instant end) const;
  bool is_client(NodeId node) const;
  std::string partition(TopicPartition tp) const;

  Cluster& cluster_;
  Instant from_;
  Instant to_;
  Instant scenario_start_;
  Trace& out_;
  std::map<Key, Open> open_;
};

}  // namespace kafkasim
