// What the Broker and ReplicaFetcher tests share: real Brokers on a real Transport<Message>,
// driven and watched by hand-made peers.
//
//   ClusterFixture   ZooKeeper and brokers 1, 2, 3, all real (one of them the controller), a
//                    client peer that sends Produce requests to a broker and keeps the answers,
//                    and a consumer peer that fetches (its own connection: a broker reads one
//                    request per connection at a time). The topic "orders" has one partition,
//                    replicas [1, 2, 3], min.insync.replicas 2.
//   FollowerFixture  broker-2 alone is real; peers stand at broker-1 (the leader it fetches
//                    from, answering as each test says), broker-3 (a controller that sends it
//                    LeaderAndIsr) and zookeeper (a stand-in where every request succeeds and
//                    /controller is held, so broker-2 registers, which it must before it
//                    reads any request (KafkaServer.startup), but never becomes controller).
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kafkasim/engine/engine.h"
#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/cluster_layout.h"
#include "kafkasim/kafka/cluster_observer.h"
#include "kafkasim/network/transport.h"
#include "kafkasim/protocol/message.h"
#include "kafkasim/zookeeper/server.h"

namespace kafkasim::test {

inline const TopicPartition kOrders0{TopicIndex(0), 0};

inline double ms_of(Instant t) {
  return static_cast<double>(t.ns()) / 1e6;
}

/// A message a peer received, when, and from whom.
struct Received {
  Instant at;
  NodeId from;
  Message message;
};

/// A hand-made node: keeps what it receives, and answers as `reply` says (unset: never).
class Peer : public Endpoint<Message> {
 public:
  Peer(Engine& engine, Transport<Message>& net, NodeId self)
      : engine_(engine), net_(net), self_(self) {
    net_.attach(self_, *this);
  }

  void on_message(NodeId from, Message&& message) override {
    received.push_back({engine_.now(), from, std::move(message)});
    if (reply) reply(from, received.back().message);
  }
  void on_disconnected(NodeId peer) override { disconnects.push_back({engine_.now(), peer}); }

  void send(NodeId to, Message message) {
    const std::uint32_t bytes = wire_size(message);
    net_.send(self_, to, std::move(message), bytes);
  }

  /// The messages of type T received so far, in order, with their arrival times.
  template <class T>
  std::vector<std::pair<Instant, T>> all() const {
    std::vector<std::pair<Instant, T>> out;
    for (const Received& r : received) {
      if (const T* m = std::get_if<T>(&r.message)) out.emplace_back(r.at, *m);
    }
    return out;
  }

  NodeId node() const { return self_; }
  std::function<void(NodeId from, const Message& message)> reply;
  std::vector<Received> received;
  std::vector<std::pair<Instant, NodeId>> disconnects;

 private:
  Engine& engine_;
  Transport<Message>& net_;
  NodeId self_;
};

/// What the brokers tell the run: here only kept, to be asked.
class RecordingObserver final : public ClusterObserver {
 public:
  struct Truncation {
    BrokerId broker;
    Offset from;  // the first offset removed
    std::uint64_t records = 0;
    TruncationReason reason;
    Instant at;
  };
  struct IsrChange {
    std::vector<BrokerId> old_isr, new_isr;
    Instant at;
  };

  void on_truncation(BrokerId broker, TopicPartition /*tp*/,
                     const std::vector<RecordBatch>& removed, TruncationReason reason,
                     Instant now) override {
    std::uint64_t records = 0;
    for (const RecordBatch& b : removed)
      records += b.record_count;
    truncations.push_back({broker, removed.front().base_offset, records, reason, now});
  }
  void on_isr_change(BrokerId /*leader*/, TopicPartition /*tp*/,
                     const std::vector<BrokerId>& old_isr, const std::vector<BrokerId>& new_isr,
                     Instant now) override {
    isr_changes.push_back({old_isr, new_isr, now});
  }

  void on_isr_write_stall(BrokerId /*leader*/, TopicPartition /*tp*/,
                          const std::vector<BrokerId>& old_isr,
                          const std::vector<BrokerId>& new_isr, Instant write_started,
                          std::size_t waiting, Instant now) override {
    isr_write_stalls.push_back({old_isr, new_isr, write_started, waiting, now});
  }
  void on_isr_write_done(BrokerId /*leader*/, TopicPartition /*tp*/, bool applied,
                         const std::string& outcome, std::size_t released,
                         Instant /*first_blocked*/, Instant now) override {
    isr_write_ends.push_back({applied, outcome, released, now});
  }
  struct IsrWriteStall {
    std::vector<BrokerId> old_isr, new_isr;
    Instant write_started;
    std::size_t waiting = 0;
    Instant at;
  };
  struct IsrWriteEnd {
    bool applied = false;
    std::string outcome;
    std::size_t released = 0;
    Instant at;
  };

  std::vector<Truncation> truncations;
  std::vector<IsrChange> isr_changes;
  std::vector<IsrWriteStall> isr_write_stalls;
  std::vector<IsrWriteEnd> isr_write_ends;
};

/// A batch of `records` records of 100 bytes each, as a producer sends it (the leader sets its
/// offsets and epoch).
inline RecordBatch batch_of(std::uint32_t records, std::uint32_t first_sequence = 0) {
  RecordBatch batch;
  batch.producer = ProducerIndex(0);
  batch.first_sequence = first_sequence;
  batch.record_count = records;
  batch.size_bytes = records * 100;
  return batch;
}

/// A batch as a leader's log holds it: offsets [base, base + records), written in `epoch`.
inline RecordBatch stored_batch(Offset base, std::uint32_t records, std::int32_t epoch) {
  RecordBatch batch = batch_of(records, static_cast<std::uint32_t>(base));
  batch.base_offset = base;
  batch.leader_epoch = LeaderEpoch(epoch);
  return batch;
}

/// The engine, the network (brokers 1–3, zookeeper, client; 0.5 ms one way, bandwidth no
/// object), the layout and the cluster's settings.
class FixtureBase {
 public:
  explicit FixtureBase(BrokerConfig config, Truncation truncation = Truncation::leader_epoch)
      : net(engine, build_topology(), 1) {
    for (int id = 1; id <= 3; ++id) {
      cluster.brokers.push_back({BrokerId(id), std::nullopt});
      layout.brokers.push_back(BrokerId(id));
      layout.broker_nodes.push_back(node("broker-" + std::to_string(id)));
    }
    cluster.broker_config = config;
    cluster.truncation = truncation;
    layout.zookeeper = node("zookeeper");
    TopicLayout orders;
    orders.name = "orders";
    orders.partitions = 1;
    orders.assignment = {{BrokerId(1), BrokerId(2), BrokerId(3)}};
    orders.min_insync_replicas = 2;
    orders.flush_messages = config.log_flush_interval_messages;
    orders.flush_interval = config.log_flush_interval();
    layout.topics.push_back(orders);
  }

  NodeId node(const std::string& name) const { return net.topology().at(name); }
  void run_to_ms(double ms) { engine.run_until(instant_from_ms(ms)); }
  double now_ms() const { return static_cast<double>(engine.now().ns()) / 1e6; }
  BrokerEnvironment environment() { return {engine, net, layout, cluster, observer, 1}; }

  Engine engine;
  Transport<Message> net;
  ClusterLayout layout;
  ClusterSpec cluster;
  RecordingObserver observer;

 private:
  static Topology build_topology() {
    std::vector<NodeDecl> nodes;
    for (int id = 1; id <= 3; ++id)
      nodes.push_back({"broker-" + std::to_string(id), NodeKind::broker});
    nodes.push_back({"zookeeper", NodeKind::zookeeper});
    nodes.push_back({"client", NodeKind::client});
    nodes.push_back({"consumer", NodeKind::client});
    NetworkSpec spec;
    spec.latency_ms = Dist::constant(0.5);
    spec.bandwidth_mbps = 1e12;
    return Topology::build(nodes, spec);
  }
};

/// Three real brokers and ZooKeeper; the client peer talks to them. The constructor boots the
/// cluster for 2 s and requires broker-1 (the preferred replica) to lead orders-0 with the full
/// ISR.
class ClusterFixture : public FixtureBase {
 public:
  explicit ClusterFixture(BrokerConfig config = {})
      : FixtureBase(config),
        zookeeper(engine, net, layout.zookeeper),
        client(engine, net, node("client")),
        consumer(engine, net, node("consumer")) {
    for (const BrokerSpec& spec : cluster.brokers)
      brokers.push_back(std::make_unique<Broker>(environment(), spec));
    for (auto& b : brokers)
      b->start();
    run_to_ms(2000);
    REQUIRE(partition(1).is_leader());
    REQUIRE(partition(1).isr().size() == 3);
  }

  Broker& broker(int id) { return *brokers[static_cast<std::size_t>(id - 1)]; }
  const Partition& partition(int id) { return *broker(id).partition(kOrders0); }
  Offset log_end(int id) { return partition(id).log().log_end_offset(); }

  /// The client sends broker-1 (the leader) a produce request of one batch of `records`.
  CorrelationId produce(ProduceAcks acks, std::uint32_t records,
                        Duration timeout = std::chrono::milliseconds(30000)) {
    ProduceRequest request;
    request.correlation_id = CorrelationId(++last_correlation_);
    request.acks = acks;
    request.timeout = timeout;
    request.partitions.push_back({kOrders0, batch_of(records, next_sequence_)});
    next_sequence_ += records;
    client.send(node("broker-1"), request);
    return request.correlation_id;
  }

  /// The consumer peer (replica id -1, fetch.min.bytes 1) fetches orders-0 from broker-1 at
  /// `offset`, waiting up to `max_wait`.
  void consumer_fetch(Offset offset, Duration max_wait) {
    FetchRequest fetch;
    fetch.correlation_id = CorrelationId(++last_correlation_);
    fetch.max_wait = max_wait;
    fetch.min_bytes = 1;
    fetch.partition_max_bytes = 1 << 20;
    fetch.partitions.push_back({kOrders0, offset, kNoLeaderEpoch});
    consumer.send(node("broker-1"), fetch);
  }

  /// The client's produce answers so far.
  std::vector<std::pair<Instant, ProduceResponse>> produce_responses() const {
    return client.all<ProduceResponse>();
  }

  ZooKeeperServer zookeeper;
  Peer client;
  Peer consumer;
  std::vector<std::unique_ptr<Broker>> brokers;

 private:
  std::uint32_t last_correlation_ = 0;
  std::uint32_t next_sequence_ = 0;
};

/// broker-2 real; peers for its leader (broker-1), its controller (broker-3) and ZooKeeper.
class FollowerFixture : public FixtureBase {
 public:
  explicit FollowerFixture(BrokerConfig config = {},
                           Truncation truncation = Truncation::leader_epoch)
      : FixtureBase(config, truncation),
        leader(engine, net, node("broker-1")),
        controller(engine, net, node("broker-3")),
        zookeeper(engine, net, node("zookeeper")) {
    zookeeper.reply = [this](NodeId from, const Message& message) {
      answer_zookeeper(from, message);
    };
    follower = std::make_unique<Broker>(environment(), cluster.brokers[1]);
    follower->start();
    // A controller sends nothing to a broker before it has registered.
    for (int ms = 1; ms <= 100 && !follower->started_up(); ++ms)
      run_to_ms(ms);
    REQUIRE(follower->started_up());
  }

  /// The ZooKeeper stand-in: a session for the asking, every request answered ok (the
  /// registration succeeds; /controller reads as present with no data, so broker-2 does not run
  /// for controller), every ping answered.
  void answer_zookeeper(NodeId from, const Message& message) {
    if (const auto* connect = std::get_if<ZkConnectRequest>(&message)) {
      zk_connection_ = connect->connection;
      zookeeper.send(
          from, ZkConnectResponse{connect->connection, ZkSessionId(1), connect->session_timeout});
    } else if (std::holds_alternative<ZkPingRequest>(message)) {
      zookeeper.send(from, ZkPingResponse{zk_connection_, 0});
    } else if (const auto* request = std::get_if<ZkRequest>(&message)) {
      ZkResponse response;
      response.connection = zk_connection_;
      response.xid = request->xid;
      zookeeper.send(from, std::move(response));
    }
  }

  const Partition& partition() const { return *follower->partition(kOrders0); }
  Offset log_end() const { return partition().log().log_end_offset(); }

  /// The controller peer tells broker-2 which brokers are alive (UpdateMetadata), as Kafka's
  /// controller does before any LeaderAndIsr (KafkaController.onBrokerStartup).
  void update_metadata(std::vector<BrokerId> live) {
    UpdateMetadataRequest request;
    request.correlation_id = CorrelationId(100 + ++metadata_updates_);
    request.controller_id = BrokerId(3);
    request.controller_epoch = ControllerEpoch(1);
    request.live_brokers = std::move(live);
    controller.send(node("broker-2"), request);
  }

  /// The controller peer tells broker-2 that broker-1 leads orders-0 in `leader_epoch`; the
  /// first time, it tells broker-2 first that brokers 1-3 are alive.
  void follow_broker_1(std::int32_t leader_epoch) {
    if (metadata_updates_ == 0) update_metadata({BrokerId(1), BrokerId(2), BrokerId(3)});
    LeaderAndIsrPartitionState state;
    state.tp = kOrders0;
    state.controller_epoch = ControllerEpoch(1);
    state.leader = BrokerId(1);
    state.leader_epoch = LeaderEpoch(leader_epoch);
    state.isr = {BrokerId(1), BrokerId(2), BrokerId(3)};
    state.zk_version = ZkVersion(leader_epoch);
    state.replicas = state.isr;
    LeaderAndIsrRequest request;
    request.correlation_id = CorrelationId(static_cast<std::uint32_t>(leader_epoch) + 1);
    request.controller_id = BrokerId(3);
    request.controller_epoch = ControllerEpoch(1);
    request.partition_states.push_back(state);
    controller.send(node("broker-2"), request);
  }

  /// The leader peer's answer to `request` for orders-0.
  void answer(const FetchRequest& request, FetchPartitionData data) {
    data.tp = kOrders0;
    FetchResponse response;
    response.correlation_id = request.correlation_id;
    response.partitions.push_back(std::move(data));
    leader.send(node("broker-2"), std::move(response));
  }

  /// The fetch requests broker-2 sent its leader so far, with their arrival times.
  std::vector<std::pair<Instant, FetchRequest>> fetches() const {
    return leader.all<FetchRequest>();
  }

  Peer leader;
  Peer controller;
  Peer zookeeper;
  std::unique_ptr<Broker> follower;

 private:
  std::uint32_t metadata_updates_ = 0;
  ZkConnectionId zk_connection_{};
};

}  // namespace kafkasim::test

template <>
struct doctest::StringMaker<kafkasim::Errors> {
  static String convert(kafkasim::Errors e) { return std::string(kafkasim::error_name(e)).c_str(); }
};

template <>
struct doctest::StringMaker<kafkasim::Instant> {
  static String convert(const kafkasim::Instant& t) {
    return (std::to_string(t.ns()) + " ns").c_str();
  }
};
