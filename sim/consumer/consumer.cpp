// A consumer group member's process life, message dispatch and timers.
#include "kafkasim/consumer/consumer.h"

#include <algorithm>
#include <variant>

#include "kafkasim/kafka/zk_data.h"

namespace kafkasim {

namespace {

ZkClientConfig zk_config(const ConsumerGroupSpec& spec, std::uint64_t seed) {
  ZkClientConfig config;
  config.session_timeout = spec.config.zookeeper_session_timeout;
  config.seed = seed;
  return config;
}

}  // namespace

Consumer::Consumer(Engine& engine, Transport<Message>& transport, const ConsumerGroupSpec& spec,
                   ConsumerPlacement placement, ConsumerListener& listener)
    : Process(engine, transport, placement.node, Initially::down),
      engine_(engine),
      transport_(transport),
      spec_(spec),
      placement_(std::move(placement)),
      listener_(listener),
      rng_(Rng::stream(placement_.seed, "consumer/" + placement_.node_name)),
      zk_(engine, transport, actor(), placement_.node, placement_.zookeeper,
          zk_config(spec, placement_.seed), *this),
      dirs_{{spec.group}, placement_.topic_name},
      metadata_(placement_.topic, placement_.partitions, placement_.brokers, kConsumerRetryBackoff,
                kConsumerMetadataMaxAge),
      fetch_in_flight_(placement_.brokers.size(), false),
      list_offsets_in_flight_(placement_.brokers.size(), false),
      reconnect_after_(placement_.brokers.size(), Instant::start()) {
  transport_.attach(placement_.node, *this);
}

void Consumer::schedule_start(Instant at) {
  engine_.set_timer(at, actor(), timer_cookie(TimerKind::start));
}

TimerId Consumer::set_timer(Duration delay, TimerKind kind, std::uint32_t data) {
  return engine_.set_timer_after(delay, actor(), timer_cookie(kind, data));
}

void Consumer::note(const std::string& line) {
  listener_.on_group_event(engine_.now(), placement_.node_name + " " + line);
}

Consumer::OwnedPartition* Consumer::owned(std::int32_t partition) {
  for (OwnedPartition& p : owned_)
    if (p.partition == partition) return &p;
  return nullptr;
}

std::vector<std::int32_t> Consumer::owned_partitions() const {
  std::vector<std::int32_t> list;
  for (const OwnedPartition& p : owned_)
    list.push_back(p.partition);
  return list;
}

// --- Process life ---------------------------------------------------------------------------

void Consumer::on_start() {
  if (coordinated()) {
    start_coordinated();
    return;
  }
  // consumerIdString: the group, then the host and the start time (the model needs no UUID:
  // a node starts at most once at a given instant). A restarted process is a new member.
  consumer_id_ = spec_.group + "_" + placement_.node_name + "-" +
                 std::to_string(zk_timestamp_ms(engine_.now()));
  zk_.start();
  // "kafka-consumer-autocommit", every auto.commit.interval.ms from the start.
  if (spec_.config.enable_auto_commit) {
    set_timer(spec_.config.auto_commit_interval, TimerKind::auto_commit);
  }
  maybe_update_metadata();
}

void Consumer::on_crash(CrashKind /*kind*/) {
  // Nothing in memory survives: not the offsets processed since the last commit, not the
  // session (it expires on the server, which then deletes the member's ephemeral nodes).
  forget_memory();
}

void Consumer::shutdown() {
  if (!is_up()) return;
  if (coordinated()) {
    // KafkaConsumer.close → ConsumerCoordinator.close: commit what was processed
    // (maybeAutoCommitOffsetsSync), then leave the group (maybeLeaveGroup), so that the others
    // take its partitions at once, from where it stopped.
    stop_fetching();
    polled_.clear();
    if (spec_.config.enable_auto_commit) send_offset_commit(false);
    send_leave_group("shut down cleanly");
    stop();
    forget_memory();
    return;
  }
  // ZookeeperConsumerConnector.shutdown: stop the fetchers, drop what is queued, commit, close
  // the ZooKeeper session, whose ephemeral nodes then go at once.
  stop_fetching();
  polled_.clear();
  if (spec_.config.enable_auto_commit) commit_offsets();
  zk_.close();
  note("shut down cleanly (offsets committed, ZooKeeper session closed)");
  // What it sent (the commits, the closeSession) is on its way.
  stop();
  forget_memory();
}

void Consumer::forget_memory() {
  registered_ = false;
  session_expired_before_ = false;  // a restarted process joins as a new member
  owned_.clear();
  rebalancing_ = rebalance_again_ = waiting_for_processing_ = false;
  attempts_ = 0;
  ++generation_;
  attempt_ = Attempt{};
  in_flight_.clear();
  std::fill(fetch_in_flight_.begin(), fetch_in_flight_.end(), false);
  std::fill(list_offsets_in_flight_.begin(), list_offsets_in_flight_.end(), false);
  metadata_in_flight_ = false;
  metadata_.request_update();
  polled_.clear();
  processing_ = idle_ = false;
  // The group coordinator's protocol: a restarted process is a new member.
  coordinator_ = -1;
  find_in_flight_ = join_in_flight_ = heartbeat_in_flight_ = commit_in_flight_ = false;
  rejoin_needed_ = true;
  member_id_.clear();
  group_generation_ = -1;
  member_state_ = MemberState::unjoined;
  sticky_user_data_ = {};
  pending_assignment_.clear();
  offsets_pending_ = false;
  engine_.cancel(heartbeat_timer_);
  set_holding(false);
}

// --- Dispatch -------------------------------------------------------------------------------

std::int32_t Consumer::broker_of(NodeId node) const {
  for (std::size_t i = 0; i < placement_.brokers.size(); ++i)
    if (placement_.brokers[i].node == node) return static_cast<std::int32_t>(i);
  return -1;
}

void Consumer::on_message(NodeId from, Message&& message) {
  if (!is_up()) return;
  const bool from_broker = broker_of(from) >= 0;
  std::visit(Overloaded{
                 [&](MemberOf<ZkClientBound> auto& m) { zk_.on_message(from, m); },
                 [&](FetchResponse& m) {
                   if (from_broker) on_fetch_response(m);
                 },
                 [&](ListOffsetsResponse& m) {
                   if (from_broker) on_list_offsets_response(m);
                 },
                 [&](MetadataResponse& m) {
                   if (from_broker) on_metadata_response(m);
                 },
                 [&](FindCoordinatorResponse& m) { on_find_coordinator_response(m); },
                 [&](JoinGroupResponse& m) { on_join_group_response(m); },
                 [&](SyncGroupResponse& m) { on_sync_group_response(m); },
                 [&](HeartbeatResponse& m) { on_heartbeat_response(m); },
                 [&](LeaveGroupResponse& m) { (void)take_in_flight(m.correlation_id); },
                 [&](OffsetCommitResponse& m) { on_offset_commit_response(m); },
                 [&](OffsetFetchResponse& m) { on_offset_fetch_response(m); },
                 [](MemberOf<ZkServerBound> auto&) { not_for_this_node("consumer"); },
                 [](MemberOf<BrokerRequests> auto&) { not_for_this_node("consumer"); },
                 [](MemberOf<ControllerResponses> auto&) { not_for_this_node("consumer"); },
                 [](ProduceResponse&) { not_for_this_node("consumer"); },
                 [](OffsetsForLeaderEpochResponse&) { not_for_this_node("consumer"); },
                 [](ControlledShutdownResponse&) { not_for_this_node("consumer"); },
             },
             message);
}

void Consumer::on_disconnected(NodeId peer) {
  if (!is_up()) return;
  zk_.on_disconnected(peer);
  const std::int32_t broker = broker_of(peer);
  if (broker >= 0) fail_requests_to(static_cast<std::size_t>(broker));
}

void Consumer::on_timer(TimerCookie cookie) {
  if (ZkClient::owns_timer(cookie)) {
    zk_.on_timer(cookie);
    return;
  }
  const auto data = static_cast<std::uint32_t>(cookie.payload);
  switch (timer_kind<TimerKind>(cookie)) {
    case TimerKind::start:
      start();
      break;
    case TimerKind::processing_done:
      on_processing_done();
      break;
    case TimerKind::auto_commit:
      commit_offsets();
      set_timer(spec_.config.auto_commit_interval, TimerKind::auto_commit);
      break;
    case TimerKind::rebalance_backoff:
      if (data == static_cast<std::uint32_t>(generation_)) start_attempt();
      break;
    case TimerKind::request_timeout:
      on_request_timeout(data);
      break;
    case TimerKind::metadata:
      maybe_update_metadata();
      break;
    case TimerKind::reconnect:
      poll();
      break;
    case TimerKind::heartbeat:
      on_heartbeat_timer();
      break;
    case TimerKind::coordinator_retry:
      if (coordinator_ < 0) {
        lookup_coordinator();
      } else if (offsets_pending_) {
        send_offset_fetch();
      } else {
        poll();
      }
      break;
  }
}

}  // namespace kafkasim
