#include "trace_recorder.h"

#include <type_traits>

namespace kafkasim {

namespace {

const char* acks_name(ProduceAcks acks) {
  switch (acks) {
    case ProduceAcks::none:
      return "0";
    case ProduceAcks::leader:
      return "1";
    case ProduceAcks::all:
      return "all";
    case ProduceAcks::every_replica:
      return "sync";
  }
  return "?";
}

const char* zk_op_name(const ZkOp& op) {
  return std::visit(
      [](const auto& o) -> const char* {
        using O = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<O, ZkCreate>) return "create";
        if constexpr (std::is_same_v<O, ZkDelete>) return "delete";
        if constexpr (std::is_same_v<O, ZkSetData>) return "setData";
        if constexpr (std::is_same_v<O, ZkGetData>) return "getData";
        if constexpr (std::is_same_v<O, ZkExists>) return "exists";
        if constexpr (std::is_same_v<O, ZkGetChildren>) return "getChildren";
        if constexpr (std::is_same_v<O, ZkMulti>) return "multi";
        return "closeSession";
      },
      op);
}

std::string zk_op_path(const ZkOp& op) {
  return std::visit(
      [](const auto& o) -> std::string {
        if constexpr (requires { o.path; }) {
          return o.path;
        } else {
          return {};
        }
      },
      op);
}

/// Kafka's API name of the requests the trace shows without details; nullptr for the rest.
template <class M>
constexpr const char* other_request_name() {
  if constexpr (std::is_same_v<M, MetadataRequest>) return "Metadata";
  if constexpr (std::is_same_v<M, OffsetsForLeaderEpochRequest>) return "OffsetsForLeaderEpoch";
  if constexpr (std::is_same_v<M, UpdateMetadataRequest>) return "UpdateMetadata";
  if constexpr (std::is_same_v<M, StopReplicaRequest>) return "StopReplica";
  if constexpr (std::is_same_v<M, ControlledShutdownRequest>) return "ControlledShutdown";
  return nullptr;
}

}  // namespace

TraceRecorder::TraceRecorder(Cluster& cluster, TraceWindow window, Instant scenario_start,
                             Trace& out)
    : cluster_(cluster),
      from_(scenario_start + window.from),
      to_(window.to == Duration::max() ? Instant::never() : scenario_start + window.to),
      scenario_start_(scenario_start),
      out_(out) {
  const Topology& topology = cluster_.network().topology();
  for (std::size_t n = 0; n < topology.endpoint_count(); ++n)
    out_.tracks.push_back(topology.name(NodeId(static_cast<std::uint32_t>(n))));
  cluster_.network().set_tap(this);
  cluster_.ledger().set_timeline_listener(this);
}

TraceRecorder::~TraceRecorder() {
  cluster_.network().set_tap(nullptr);
  cluster_.ledger().set_timeline_listener(nullptr);
}

bool TraceRecorder::overlaps(Instant start, Instant end) const {
  return end >= from_ && start <= to_;
}

bool TraceRecorder::is_client(NodeId node) const {
  return cluster_.network().topology().kind(node) == NodeKind::client;
}

std::string TraceRecorder::partition(TopicPartition tp) const {
  // The brokers' layout: requests name __consumer_offsets partitions too when a group uses the
  // group coordinator (the scenario's layout ends before it).
  return cluster_.broker_layout().partition_name(tp);
}

void TraceRecorder::on_send(NodeId from, NodeId to, const Message& message) {
  on_request_sent(from, to, message);
  on_response_sent(from, to, message);
}

void TraceRecorder::on_deliver(NodeId from, NodeId to, const Message& message) {
  on_request_received(from, to, message);
  on_response_received(from, to, message);
}

void TraceRecorder::on_note(Instant now, std::string_view label, std::optional<NodeId> node,
                            const std::string& line) {
  if (now < from_ || now > to_) return;
  TraceEvent event;
  event.start_ns = (now - scenario_start_).count();
  event.track = node ? node->value() : TraceEvent::kWholeRun;
  event.name = std::string(label);
  event.category = "timeline";
  event.args = nlohmann::ordered_json{{"text", line}}.dump();
  out_.events.push_back(std::move(event));
}

// --- Requests ------------------------------------------------------------------------------------

std::optional<std::int64_t> TraceRecorder::request_id(const Message& message) {
  return std::visit(
      [](const auto& m) -> std::optional<std::int64_t> {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, ZkRequest>) {
          return std::int64_t{m.xid.value()};
        } else if constexpr (std::is_same_v<M, ProduceRequest> || std::is_same_v<M, FetchRequest> ||
                             std::is_same_v<M, LeaderAndIsrRequest> ||
                             other_request_name<M>() != nullptr) {
          return std::int64_t{m.correlation_id.value()};
        } else {
          return std::nullopt;
        }
      },
      message);
}

TraceRecorder::Described TraceRecorder::describe_request(NodeId from,
                                                         const Message& message) const {
  const std::string& sender = cluster_.network().topology().name(from);
  return std::visit(
      [&](const auto& m) -> Described {
        using M = std::decay_t<decltype(m)>;
        Described open;
        open.args["from"] = sender;
        if constexpr (std::is_same_v<M, ProduceRequest>) {
          open.name = "Produce";
          open.args["acks"] = acks_name(m.acks);
          std::uint64_t records = 0;
          nlohmann::ordered_json partitions = nlohmann::ordered_json::array();
          // Which records each batch carries (the producer's sequence numbers): what a record's
          // story (record_story.h) follows from send to acknowledgement.
          nlohmann::ordered_json sequences = nlohmann::ordered_json::array();
          for (const ProducePartitionData& p : m.partitions) {
            partitions.push_back(partition(p.tp));
            records += p.batch.record_count;
            sequences.push_back(partition(p.tp) + ": " + std::to_string(p.batch.first_sequence) +
                                "+" + std::to_string(p.batch.record_count));
          }
          open.args["partitions"] = partitions;
          open.args["records"] = records;
          open.args["sequences"] = sequences;
          return open;
        } else if constexpr (std::is_same_v<M, FetchRequest>) {
          open.name = "Fetch";
          open.args["fetcher"] = m.replica_id == kNoBroker ? "consumer" : "follower";
          nlohmann::ordered_json partitions = nlohmann::ordered_json::array();
          for (const FetchPartition& p : m.partitions)
            partitions.push_back(partition(p.tp) + " from offset " +
                                 std::to_string(p.fetch_offset));
          open.args["partitions"] = partitions;
          return open;
        } else if constexpr (std::is_same_v<M, LeaderAndIsrRequest>) {
          open.name = "LeaderAndIsr";
          nlohmann::ordered_json states = nlohmann::ordered_json::array();
          for (const LeaderAndIsrPartitionState& s : m.partition_states) {
            states.push_back(partition(s.tp) + ": leader " + broker_name(s.leader) +
                             ", leader epoch " + std::to_string(s.leader_epoch.value()) + ", ISR " +
                             broker_names(s.isr));
          }
          open.args["partition_states"] = states;
          return open;
        } else if constexpr (std::is_same_v<M, ZkRequest>) {
          open.name = std::string("ZooKeeper ") + zk_op_name(m.op);
          open.args["path"] = zk_op_path(m.op);
          return open;
        } else if constexpr (other_request_name<M>() != nullptr) {
          open.name = other_request_name<M>();
          return open;
        } else {
          return open;
        }
      },
      message);
}

std::optional<std::int64_t> TraceRecorder::describe_response(const Message& message,
                                                             nlohmann::ordered_json* args) const {
  return std::visit(
      [&](const auto& m) -> std::optional<std::int64_t> {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, ProduceResponse>) {
          if (args == nullptr) return std::int64_t{m.correlation_id.value()};
          nlohmann::ordered_json results = nlohmann::ordered_json::array();
          for (const ProducePartitionResponse& p : m.partitions) {
            results.push_back(partition(p.tp) + ": " + std::string(error_name(p.error)) +
                              (p.base_offset >= 0 ? " at offset " + std::to_string(p.base_offset)
                                                  : std::string()));
          }
          (*args)["result"] = results;
          return std::int64_t{m.correlation_id.value()};
        } else if constexpr (std::is_same_v<M, FetchResponse>) {
          if (args == nullptr) return std::int64_t{m.correlation_id.value()};
          std::uint64_t records = 0;
          nlohmann::ordered_json results = nlohmann::ordered_json::array();
          for (const FetchPartitionData& p : m.partitions) {
            for (const RecordBatch& b : p.batches)
              records += b.record_count;
            results.push_back(partition(p.tp) + ": " + std::string(error_name(p.error)) +
                              ", high watermark " + std::to_string(p.high_watermark));
          }
          (*args)["records"] = records;
          (*args)["result"] = results;
          return std::int64_t{m.correlation_id.value()};
        } else if constexpr (std::is_same_v<M, ZkResponse>) {
          if (args != nullptr) (*args)["result"] = zk_code_name(m.result.code);
          return std::int64_t{m.xid.value()};
        } else if constexpr (std::is_same_v<M, MetadataResponse> ||
                             std::is_same_v<M, OffsetsForLeaderEpochResponse> ||
                             std::is_same_v<M, LeaderAndIsrResponse> ||
                             std::is_same_v<M, UpdateMetadataResponse> ||
                             std::is_same_v<M, StopReplicaResponse> ||
                             std::is_same_v<M, ControlledShutdownResponse>) {
          return std::int64_t{m.correlation_id.value()};
        } else {
          return std::nullopt;
        }
      },
      message);
}

void TraceRecorder::on_request_sent(NodeId from, NodeId to, const Message& message) {
  if (!is_client(from) || cluster_.engine().now() > to_) return;
  const auto id = request_id(message);
  if (!id) return;
  if (const auto* produce = std::get_if<ProduceRequest>(&message);
      produce != nullptr && produce->acks == ProduceAcks::none) {
    return;  // no response will close it: the broker's side shows the request
  }
  // A copy of the request, described only if its slice falls in the window: far cheaper than
  // describing every request of a long run.
  open_[Key{from.value(), to.value(), *id}] =
      Open{message, from, cluster_.engine().now(), Instant::never()};
}

void TraceRecorder::on_request_received(NodeId from, NodeId to, const Message& message) {
  const Instant now = cluster_.engine().now();
  if (now > to_) return;
  const auto id = request_id(message);
  if (!id) return;
  if (const auto* produce = std::get_if<ProduceRequest>(&message);
      produce != nullptr && produce->acks == ProduceAcks::none) {
    // acks=0: the broker never answers, so the slice is the receipt alone.
    if (overlaps(now, now)) slice(to, now, now, describe_request(from, message), "request");
    return;
  }
  const Key key{from.value(), to.value(), *id};
  auto it = open_.find(key);
  if (it == open_.end() || it->second.client_sent == Instant::never()) {
    it = open_.insert_or_assign(key, Open{message, from, Instant::never(), now}).first;
  }
  it->second.server_received = now;
}

void TraceRecorder::on_response_sent(NodeId server, NodeId client, const Message& message) {
  const auto id = describe_response(message, nullptr);
  if (!id) return;
  const auto it = open_.find(Key{client.value(), server.value(), *id});
  if (it == open_.end() || it->second.server_received == Instant::never()) return;
  Open& open = it->second;
  const Instant now = cluster_.engine().now();
  if (overlaps(open.server_received, now)) {
    Described done = describe_request(open.sender, open.request);
    describe_response(message, &done.args);
    slice(server, open.server_received, now, std::move(done), "request");
  }
  if (open.client_sent == Instant::never()) {
    open_.erase(it);
  } else {
    open.server_received = Instant::never();
  }
}

void TraceRecorder::on_response_received(NodeId server, NodeId client, const Message& message) {
  const auto id = describe_response(message, nullptr);
  if (!id) return;
  const auto it = open_.find(Key{client.value(), server.value(), *id});
  if (it == open_.end() || it->second.client_sent == Instant::never()) return;
  const Open& open = it->second;
  const Instant now = cluster_.engine().now();
  if (overlaps(open.client_sent, now)) {
    Described done = describe_request(open.sender, open.request);
    done.args.erase("from");
    done.args["to"] = cluster_.network().topology().name(server);
    describe_response(message, &done.args);
    slice(client, open.client_sent, now, std::move(done), "client");
  }
  open_.erase(it);
}

void TraceRecorder::slice(NodeId node, Instant start, Instant end, Described&& request,
                          const char* category) {
  TraceEvent event;
  event.start_ns = (start - scenario_start_).count();
  event.duration_ns = (end - start).count();
  event.track = node.value();
  event.name = std::move(request.name);
  event.category = category;
  event.args = request.args.dump();
  out_.events.push_back(std::move(event));
}

}  // namespace kafkasim
