// Reading requests and the request-handler pool. The network threads read one request per client
// connection at a time (SocketServer, kafka/socket_server.h); a request read waits in one FIFO
// queue (RequestChannel) for one of num.io.threads threads (KafkaRequestHandlerPool), which
// holds it for its service time; the request's effect (an append, a read) happens when that
// time is over.

#include "kafkasim/kafka/broker.h"

#include <cassert>

#include "kafkasim/kafka/controller.h"
#include "kafkasim/kafka/group_coordinator.h"

namespace kafkasim {

void Broker::receive_request(NodeId from, BrokerRequest&& request, std::uint32_t bytes) {
  assert(is_up());
  const std::uint32_t epoch = env_.network.connection_epoch(from, node());
  if (socket_server_.arrive(from, epoch, request, bytes)) {
    enqueue_request(from, std::move(request));
  } else {
    // Unread, it fills the socket buffers: the client's window closes (Network::keep_unread).
    env_.network.keep_unread(node(), from, bytes);
  }
}

void Broker::request_answered(NodeId client, CorrelationId correlation_id) {
  std::optional<SocketServer::Unread> next =
      socket_server_.unmute(client, correlation_id, env_.network.connection_epoch(client, node()));
  if (!next) return;
  env_.network.read_kept(node(), next->from, next->bytes, next->epoch);
  enqueue_request(next->from, std::move(next->request));
}

void Broker::enqueue_request(NodeId from, BrokerRequest&& request) {
  assert(is_up());  // the engine delivers nothing to a process that is down
  const std::uint64_t ticket = ++next_ticket_;
  requests_.emplace(ticket, PendingRequest{from, std::move(request), now()});
  if (handlers_.arrive(ticket)) start_request(ticket);
}

Duration Broker::service_time(const BrokerRequest& request) {
  // cluster.produce_time_ms / fetch_time_ms: the time one handler thread spends on a request.
  // An append also pays the slow_disk fault's extra time. Control requests (LeaderAndIsr,
  // Metadata, ...) are light and cost a fetch's time.
  if (std::holds_alternative<ProduceRequest>(request)) {
    return env_.cluster.produce_time_ms.sample_ms(rng_) + disk_extra();
  }
  return env_.cluster.fetch_time_ms.sample_ms(rng_);
}

void Broker::start_request(std::uint64_t ticket) {
  const auto it = requests_.find(ticket);
  set_timer(service_time(it->second.request), BrokerTimer::request_done, ticket);
}

void Broker::release_handler_thread() {
  const std::uint64_t next = handlers_.finish();
  if (next != RequestHandlerPool::kNone) start_request(next);
}

void Broker::finish_request(std::uint64_t ticket) {
  auto it = requests_.find(ticket);
  if (it == requests_.end()) return;
  PendingRequest& request = it->second;
  // A partition whose leaderIsrUpdateLock an ISR write holds: the thread waits for it.
  if (wait_for_isr_write(ticket, request.request)) return;
  if (std::holds_alternative<ProduceRequest>(request.request)) {
    // A produce may keep its thread for an fsync; it releases the thread itself.
    handle_produce(ticket, request);
    return;
  }
  const NodeId from = request.from;
  // KafkaApis.handleFindCoordinatorRequest, handleJoinGroupRequest, ...: a broker without a
  // coordinator (its cluster has no __consumer_offsets) cannot coordinate any group.
  auto group = [&](auto& m, auto handle) {
    if (group_coordinator_) {
      ((*group_coordinator_).*handle)(from, m);
    } else {
      not_for_this_node("broker without __consumer_offsets");
    }
  };
  std::visit(
      Overloaded{
          [](ProduceRequest&) { /* handled above */ },
          [&](FetchRequest& m) { handle_fetch(from, m); },
          [&](MetadataRequest& m) { handle_metadata(from, m); },
          [&](ListOffsetsRequest& m) { handle_list_offsets(from, m); },
          [&](OffsetsForLeaderEpochRequest& m) { handle_offsets_for_leader_epoch(from, m); },
          [&](LeaderAndIsrRequest& m) { handle_leader_and_isr(from, m); },
          [&](UpdateMetadataRequest& m) { handle_update_metadata(from, m); },
          [&](StopReplicaRequest& m) { handle_stop_replica(from, m); },
          [&](FindCoordinatorRequest& m) { group(m, &GroupCoordinator::handle_find_coordinator); },
          [&](JoinGroupRequest& m) { group(m, &GroupCoordinator::handle_join_group); },
          [&](SyncGroupRequest& m) { group(m, &GroupCoordinator::handle_sync_group); },
          [&](HeartbeatRequest& m) { group(m, &GroupCoordinator::handle_heartbeat); },
          [&](LeaveGroupRequest& m) { group(m, &GroupCoordinator::handle_leave_group); },
          [&](OffsetCommitRequest& m) { group(m, &GroupCoordinator::handle_offset_commit); },
          [&](OffsetFetchRequest& m) { group(m, &GroupCoordinator::handle_offset_fetch); },
          [&](ControlledShutdownRequest& m) {
            if (controller_) {
              controller_->on_controlled_shutdown_request(from, m);
            } else {
              send(from, ControlledShutdownResponse{m.correlation_id, Errors::not_controller, {}});
            }
          },
      },
      request.request);
  requests_.erase(ticket);
  release_handler_thread();
}

}  // namespace kafkasim
