// A producer against scripted fake brokers on a real Transport<Message>: each FakeBroker answers
// metadata from a shared view of the leaders and produce requests as its script says, and keeps
// a log of the batches it appended, in order.
#pragma once

#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "kafkasim/client/producer.h"
#include "kafkasim/engine/engine.h"
#include "kafkasim/network/transport.h"
#include "kafkasim/stats/latency_histogram.h"

namespace kafkasim::testing {

/// What the fake cluster tells a MetadataRequest: the leader of each partition of topic 0.
struct ClusterView {
  std::vector<BrokerId> leaders;
};

struct ReceivedProduce {
  Instant at;
  BrokerId broker;
  ProduceRequest request;
};

struct AppendedBatch {
  std::int32_t partition;
  std::uint32_t first_sequence;
  std::uint32_t record_count;
};

/// Answers every request of one broker, at once (the network adds the delay).
class FakeBroker : public Endpoint<Message> {
 public:
  /// The error for one partition of one request; `number` counts this broker's produce
  /// requests from 0.
  using Script = std::function<Errors(int number, const ProducePartitionData& data)>;

  FakeBroker(Engine& engine, Transport<Message>& net, NodeId self, BrokerId id,
             const ClusterView& view, std::vector<ReceivedProduce>& received,
             std::vector<AppendedBatch>& log)
      : engine_(engine),
        net_(net),
        self_(self),
        id_(id),
        view_(view),
        received_(received),
        log_(log) {}

  void on_message(NodeId from, Message&& message) override {
    if (const auto* metadata = std::get_if<MetadataRequest>(&message)) {
      ++metadata_requests;
      MetadataResponse response;
      response.correlation_id = metadata->correlation_id;
      for (std::size_t p = 0; p < view_.leaders.size(); ++p) {
        PartitionMetadata pm;
        pm.tp = TopicPartition{TopicIndex(0), static_cast<std::int32_t>(p)};
        pm.leader = view_.leaders[p];
        pm.error = pm.leader == kNoBroker ? Errors::leader_not_available : Errors::none;
        response.partitions.push_back(pm);
      }
      Message out(std::move(response));
      const auto bytes = wire_size(out);
      net_.send(self_, from, std::move(out), bytes);
    } else if (auto* produce = std::get_if<ProduceRequest>(&message)) {
      if (read_nothing) {
        // A broker that reads nothing more (a muted channel, a stuck process): the request
        // stays in the socket buffers.
        const std::uint32_t bytes = wire_size(message);
        net_.keep_unread(self_, from, bytes);
        unread_.push_back({from, bytes, net_.connection_epoch(from, self_), std::move(*produce)});
        return;
      }
      on_produce(from, std::move(*produce));
    }
  }

  /// Reads (and handles) every request left unread, and reads again from now on.
  void read_all() {
    read_nothing = false;
    auto unread = std::move(unread_);
    unread_.clear();
    for (Unread& u : unread) {
      net_.read_kept(self_, u.from, u.bytes, u.epoch);
      on_produce(u.from, std::move(u.request));
    }
  }

  void on_disconnected(NodeId peer) override { disconnects.push_back({engine_.now(), peer}); }

  /// Answers the held requests now.
  void release_held() {
    auto held = std::move(held_);
    held_.clear();
    for (auto& [from, request] : held)
      answer(from, request);
  }

  Script script;              // unset: every partition succeeds
  int drop_requests = 0;      // the next this many produce requests get no answer at all
  bool hold = false;          // keep answers until release_held()
  bool read_nothing = false;  // leave produce requests unread in the socket until read_all()
  int metadata_requests = 0;
  std::vector<std::pair<Instant, NodeId>> disconnects;

 private:
  void on_produce(NodeId from, ProduceRequest request) {
    received_.push_back({engine_.now(), id_, request});
    const int number = produce_count_++;
    if (drop_requests > 0) {
      --drop_requests;
      return;
    }
    if (request.acks == ProduceAcks::none) {
      answer_without_reply(request, number);
      return;
    }
    request_numbers_.push_back(number);
    if (hold) {
      held_.emplace_back(from, std::move(request));
      return;
    }
    answer(from, request);
  }

  Errors decide(int number, const ProducePartitionData& data) const {
    return script ? script(number, data) : Errors::none;
  }

  void answer_without_reply(const ProduceRequest& request, int number) {
    for (const auto& data : request.partitions)
      if (decide(number, data) == Errors::none) append(data);
  }

  void answer(NodeId from, const ProduceRequest& request) {
    const int number = request_numbers_.front();
    request_numbers_.erase(request_numbers_.begin());
    ProduceResponse response;
    response.correlation_id = request.correlation_id;
    for (const auto& data : request.partitions) {
      const Errors error = decide(number, data);
      ProducePartitionResponse pr{data.tp, error, -1};
      if (error == Errors::none) pr.base_offset = append(data);
      response.partitions.push_back(pr);
    }
    Message out(std::move(response));
    const auto bytes = wire_size(out);
    net_.send(self_, from, std::move(out), bytes);
  }

  Offset append(const ProducePartitionData& data) {
    log_.push_back({data.tp.partition, data.batch.first_sequence, data.batch.record_count});
    const Offset base = next_offset_;
    next_offset_ += data.batch.record_count;
    return base;
  }

  Engine& engine_;
  Transport<Message>& net_;
  NodeId self_;
  BrokerId id_;
  const ClusterView& view_;
  std::vector<ReceivedProduce>& received_;
  std::vector<AppendedBatch>& log_;
  int produce_count_ = 0;
  Offset next_offset_ = 0;
  std::vector<int> request_numbers_;
  std::vector<std::pair<NodeId, ProduceRequest>> held_;
  struct Unread {
    NodeId from;
    std::uint32_t bytes;
    std::uint32_t epoch;
    ProduceRequest request;
  };
  std::vector<Unread> unread_;
};

/// Records everything a producer reports, as text lines for determinism checks, and counts.
class RecordingListener : public ProducerListener {
 public:
  void on_send(ProducerIndex, TopicPartition tp, std::uint32_t sequence, std::int64_t key,
               Instant now) override {
    ++sent;
    if (counts_only) return;
    std::ostringstream line;
    line << now.ns() << " send p" << tp.partition << " s" << sequence << " k" << key;
    events.push_back(line.str());
  }
  void on_acknowledged(const BatchOutcome& batch) override {
    acknowledged += batch.record_count;
    for (const Instant t : batch.send_times)
      latency.record(batch.now - t);
    if (counts_only) return;
    acks.push_back({batch.now, batch.tp.partition, batch.first_sequence, batch.record_count});
    events.push_back(line("ack", batch));
  }
  void on_abandoned(const BatchOutcome& batch) override { abandoned += batch.record_count; }
  void on_failed(const BatchOutcome& batch) override {
    failed += batch.record_count;
    failures.push_back({batch.now, batch.error, batch.record_count});
    events.push_back(line("fail", batch));
  }

  struct Ack {
    Instant at;
    std::int32_t partition;
    std::uint32_t first_sequence;
    std::uint32_t count;
  };
  struct Failure {
    Instant at;
    Errors error;
    std::uint32_t count;
  };
  /// Only counts and latencies: for the throughput measurement.
  bool counts_only = false;
  std::uint64_t sent = 0, acknowledged = 0, failed = 0, abandoned = 0;
  LatencyHistogram latency;
  std::vector<Ack> acks;
  std::vector<Failure> failures;
  std::vector<std::string> events;

 private:
  static std::string line(const char* what, const BatchOutcome& b) {
    std::ostringstream out;
    out << b.now.ns() << " " << what << " p" << b.tp.partition << " s" << b.first_sequence << "+"
        << b.record_count << " o" << b.base_offset << " " << error_name(b.error);
    return out.str();
  }
};

inline ProducerSpec default_spec() {
  ProducerSpec spec;
  spec.name = "app";
  spec.topic = "orders";
  spec.rate_per_s = 1000;
  spec.message_bytes = 100;
  return spec;
}

/// Three brokers and the producer "app", 0.5 ms apart one way, bandwidth no object.
class ProducerFixture {
 public:
  ProducerFixture(const ProducerSpec& spec, AckMode mode, std::int32_t partitions = 1,
                  double duration_ms = 100, std::uint64_t seed = 1)
      : net(engine, build_topology(), seed) {
    view.leaders.assign(static_cast<std::size_t>(partitions), BrokerId(1));
    ProducerPlacement placement;
    placement.index = ProducerIndex(0);
    placement.topic = TopicIndex(0);
    placement.partitions = partitions;
    placement.node = net.topology().at("app");
    for (int id = 1; id <= 3; ++id) {
      const NodeId node = net.topology().at("broker-" + std::to_string(id));
      placement.brokers.push_back({BrokerId(id), node});
      brokers.push_back(
          std::make_unique<FakeBroker>(engine, net, node, BrokerId(id), view, received, log));
      net.attach(node, *brokers.back());
    }
    placement.mode = mode;
    placement.seed = seed;
    placement.end = instant_from_ms(duration_ms);
    producer = std::make_unique<Producer>(engine, net, spec, placement, listener);
    net.attach(placement.node, *producer);
  }

  FakeBroker& broker(int id) { return *brokers[static_cast<std::size_t>(id - 1)]; }
  void start() { producer->start_sending(); }
  void run_to_ms(double ms) { engine.run_until(instant_from_ms(ms)); }
  std::size_t produce_requests_to(int id) const {
    std::size_t n = 0;
    for (const auto& r : received)
      if (r.broker == BrokerId(id)) ++n;
    return n;
  }

  Engine engine;
  Transport<Message> net;
  ClusterView view;
  std::vector<ReceivedProduce> received;
  std::vector<AppendedBatch> log;
  std::vector<std::unique_ptr<FakeBroker>> brokers;
  RecordingListener listener;
  std::unique_ptr<Producer> producer;

 private:
  static Topology build_topology() {
    std::vector<NodeDecl> nodes;
    for (int id = 1; id <= 3; ++id)
      nodes.push_back({"broker-" + std::to_string(id), NodeKind::broker});
    nodes.push_back({"app", NodeKind::client});
    NetworkSpec spec;
    spec.latency_ms = Dist::constant(0.5);
    spec.bandwidth_mbps = 1e12;
    return Topology::build(nodes, spec);
  }
};

}  // namespace kafkasim::testing

template <>
struct doctest::StringMaker<kafkasim::Instant> {
  static String convert(const kafkasim::Instant& t) {
    return (std::to_string(t.ns()) + " ns").c_str();
  }
};
