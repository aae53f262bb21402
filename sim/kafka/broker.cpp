// A broker's lifecycle, message dispatch and timers (KafkaServer.scala).
#include "kafkasim/kafka/broker.h"

#include "kafkasim/kafka/controller.h"
#include "kafkasim/kafka/group_coordinator.h"
#include "kafkasim/kafka/replica_fetcher.h"

namespace kafkasim {

namespace {
ZkClientConfig zk_config(const BrokerEnvironment& env) {
  ZkClientConfig config;
  config.session_timeout = env.cluster.broker_config.zookeeper_session_timeout;
  config.seed = env.seed;
  return config;
}
}  // namespace

Broker::Broker(BrokerEnvironment env, const BrokerSpec& spec)
    // The process is not running until start().
    : Process(env.engine, env.network, env.layout.node_of(spec.id), Initially::stopped),
      env_(env),
      id_(spec.id),
      rng_(Rng::stream(env.seed, "broker/" + spec.node_name())),
      zk_(env.engine, env.network, actor(), node(), env.layout.zookeeper, zk_config(env), *this),
      socket_server_(env.network.topology().endpoint_count()),
      handlers_(env.cluster.broker_config.num_io_threads) {
  env_.network.attach(node(), *this);
  const std::vector<TopicPartition> all = env_.layout.all_partitions();
  hosted_by_index_.assign(all.size(), nullptr);
  topic_first_index_.assign(1, 0);
  for (const TopicLayout& topic : env_.layout.topics) {
    topic_first_index_.push_back(topic_first_index_.back() +
                                 static_cast<std::size_t>(topic.partitions));
  }
  assert(topic_first_index_.back() == all.size());
  for (std::size_t index = 0; index < all.size(); ++index) {
    const TopicPartition tp = all[index];
    const std::vector<BrokerId>& replicas = env_.layout.replicas(tp);
    if (std::find(replicas.begin(), replicas.end(), id_) != replicas.end()) {
      auto [it, inserted] =
          partitions_.emplace(tp, HostedPartition{Partition(tp, id_), 0, {}, {}, {}});
      hosted_by_index_[index] = &it->second;
    }
  }
  const std::int32_t offsets_topic = env_.layout.topic_index(kConsumerOffsetsTopic);
  if (offsets_topic >= 0 && env_.group_records != nullptr) {
    group_coordinator_ = std::make_unique<GroupCoordinator>(
        *this, TopicIndex(static_cast<std::uint32_t>(offsets_topic)), *env_.group_records,
        env_.seed);
  }
}

void Broker::tell_group_coordinator(TopicPartition tp, bool leader) {
  if (!group_coordinator_ || tp.topic != group_coordinator_->offsets_topic()) return;
  if (leader) {
    group_coordinator_->on_became_leader(tp.partition);
  } else {
    group_coordinator_->on_resigned(tp.partition);
  }
}

Broker::~Broker() = default;

bool Broker::is_controller() const {
  return controller_ != nullptr && controller_->is_active();
}

Offset Broker::checkpointed_high_watermark(TopicPartition tp) const {
  const HostedPartition* h = hosted(tp);
  return h == nullptr ? 0 : h->checkpointed_high_watermark;
}

void Broker::send(NodeId to, Message message) {
  const std::uint32_t bytes = wire_size(message);
  const std::optional<CorrelationId> answered = answered_request(message);
  env_.network.send(node(), to, std::move(message), bytes);
  if (answered) request_answered(to, *answered);
}

void Broker::send_to_broker(BrokerId to, Message message) {
  send(env_.layout.node_of(to), std::move(message));
}

TimerId Broker::set_timer(Duration delay, BrokerTimer kind, std::uint64_t payload,
                          std::uint32_t index) {
  return env_.engine.set_timer_after(delay, actor(), timer_cookie(kind, payload, index));
}

Duration Broker::disk_extra() {
  return slow_disk_ ? slow_disk_->sample_ms(rng_) : Duration{0};
}

// --- Process life ---------------------------------------------------------------------------

void Broker::on_start() {
  shutting_down_ = false;
  started_up_ = false;
  // Log recovery (LogManager.loadLogs): the logs are what survived; each replica starts with
  // no role and the high watermark of its last checkpoint (ReplicaManager: the HW is read from
  // replication-offset-checkpoint, never from the log).
  for (auto& [tp, h] : partitions_) {
    h.partition.reset_role();
    h.partition.restore_high_watermark(h.checkpointed_high_watermark);
  }
  zk_.start();
  schedule_periodic_tasks();
  env_.observer.on_broker_up(id_, true, now());
}

void Broker::on_crash(CrashKind kind) {
  if (kind == CrashKind::power_loss) {
    ++power_losses_;
    // What Kafka never fsynced and the kernel had not written back is gone. The
    // replication-offset-checkpoint file is fsynced when written, so it survives as it was.
    for (auto& [tp, h] : partitions_) {
      const std::vector<RecordBatch> lost = h.partition.log().lose_unflushed();
      if (!lost.empty()) {
        env_.observer.on_truncation(id_, tp, lost, TruncationReason::power_loss, now());
      }
    }
  }
  reset_process_state();
  env_.observer.on_broker_up(id_, false, now());
}

void Broker::reset_process_state() {
  for (auto& [tp, h] : partitions_) {
    h.partition.reset_role();
    h.waiting_produces.clear();
    h.waiting_fetches.clear();
    h.isr_write.reset();  // its requests and its lock die with the process
  }
  isr_writes_in_flight_ = 0;
  fetchers_.clear();
  controller_.reset();
  socket_server_.clear();
  if (group_coordinator_) group_coordinator_->reset();
  handlers_.clear();
  requests_.clear();
  delayed_produces_.clear();
  produce_timeouts_.clear();
  produce_expiry_ = TimerId{};  // the engine drops a crashed actor's timers
  in_flight_produces_.clear();
  delayed_fetches_.clear();
  metadata_.clear();
  isr_changes_.clear();
  known_controller_epoch_ = ControllerEpoch(0);
}

void Broker::schedule_periodic_tasks() {
  const BrokerConfig& config = env_.cluster.broker_config;
  // ReplicaManager.startup: "isr-expiration" every replica.lag.time.max.ms / 2 and
  // "isr-change-propagation" every 2500 ms.
  set_timer(config.replica_lag_time_max / 2, BrokerTimer::isr_expiration, 0);
  set_timer(kIsrChangePropagationInterval, BrokerTimer::isr_propagation, 0);
  set_timer(config.replica_high_watermark_checkpoint_interval, BrokerTimer::hw_checkpoint, 0);
  set_timer(env_.cluster.dirty_writeback, BrokerTimer::writeback, 0);
  if (config.log_flush_scheduler_interval < kNeverInterval) {
    set_timer(config.log_flush_scheduler_interval, BrokerTimer::log_flusher, 0);
  }
}

// --- Dispatch -------------------------------------------------------------------------------

void Broker::on_message(NodeId from, Message&& message) {
  std::visit(Overloaded{
                 [&](MemberOf<BrokerRequests> auto& m) {
                   if (!started_up_) {
                     refuse_before_startup(from);
                     return;
                   }
                   const std::uint32_t bytes = wire_size(message);
                   receive_request(from, BrokerRequest(std::move(m)), bytes);
                 },
                 [&](MemberOf<ZkClientBound> auto& m) { zk_.on_message(from, m); },
                 [&](FetchResponse& m) { on_fetcher_response(from, std::move(m)); },
                 [&](OffsetsForLeaderEpochResponse& m) { on_fetcher_response(from, std::move(m)); },
                 // An answer to the controller's channel (controller_channel_manager.cpp); one
                 // for a controller this broker no longer runs is dropped.
                 [&](MemberOf<ControllerResponses> auto& m) {
                   if (controller_) controller_->on_broker_response(from, m.correlation_id);
                 },
                 [&](ControlledShutdownResponse& m) { on_controlled_shutdown_response(m); },
                 [](MemberOf<ZkServerBound> auto&) { not_for_this_node("broker"); },
                 [](ProduceResponse&) { not_for_this_node("broker"); },
                 [](MetadataResponse&) { not_for_this_node("broker"); },
                 [](ListOffsetsResponse&) { not_for_this_node("broker"); },
                 [](MemberOf<GroupResponses> auto&) { not_for_this_node("broker"); },
             },
             message);
}

void Broker::refuse_before_startup(NodeId from) {
  // KafkaServer.startup (Kafka 2.4) binds its port early (SocketServer.startup with
  // startupProcessors = false) but reads requests only once it has registered
  // (startDataPlaneProcessors, its last step). A restart within zookeeper.session.timeout.ms
  // finds the previous session's /brokers/ids node: registerBroker fails with NODEEXISTS, startup
  // fails and the process exits, resetting every connection; the broker here retries the
  // registration instead (register_broker), and closes the connection of any request sent to it
  // meanwhile, as that exit would. Without this, a restarted broker that had lost its log to a
  // power cut took the LeaderAndIsr of a controller that still counted it alive and led with
  // an empty log, which its followers truncated to (swarm chaos seed 21809).
  env_.network.disconnect(node(), from);
}

template <class Response>
void Broker::on_fetcher_response(NodeId from, Response&& response) {
  // The answer goes to the fetcher of the broker that sent it; one for a fetcher that is gone
  // (the partitions moved) is dropped, as Kafka drops an unknown correlation id.
  const auto it = fetchers_.find(env_.layout.broker_of(from));
  if (it != fetchers_.end()) it->second->on_response(std::forward<Response>(response));
}

void Broker::on_disconnected(NodeId peer) {
  zk_.on_disconnected(peer);
  socket_server_.disconnected(peer, env_.network.connection_epoch(peer, node()));
  const BrokerId broker = env_.layout.broker_of(peer);
  if (broker == kNoBroker) return;
  if (const auto it = fetchers_.find(broker); it != fetchers_.end()) it->second->on_disconnected();
  if (controller_) controller_->on_disconnected(peer);
  if (shutting_down_) on_controlled_shutdown_disconnected(peer);
}

void Broker::on_timer(TimerCookie cookie) {
  if (ZkClient::owns_timer(cookie)) {
    zk_.on_timer(cookie);
    return;
  }
  const auto kind = timer_kind<BrokerTimer>(cookie);
  const std::uint64_t payload = cookie.payload;
  const BrokerConfig& config = env_.cluster.broker_config;
  switch (kind) {
    case BrokerTimer::request_done:
      finish_request(payload);
      break;
    case BrokerTimer::flush_done:
      complete_produce(payload);
      break;
    case BrokerTimer::produce_timeout:
      on_produce_timeout();
      break;
    case BrokerTimer::fetch_wait:
      on_fetch_wait(payload);
      break;
    case BrokerTimer::isr_expiration:
      check_isr_expiration();
      set_timer(config.replica_lag_time_max / 2, BrokerTimer::isr_expiration, 0);
      break;
    case BrokerTimer::isr_propagation:
      propagate_isr_changes();
      set_timer(kIsrChangePropagationInterval, BrokerTimer::isr_propagation, 0);
      break;
    case BrokerTimer::hw_checkpoint:
      for (auto& [tp, h] : partitions_) {
        h.checkpointed_high_watermark = h.partition.high_watermark();
      }
      set_timer(config.replica_high_watermark_checkpoint_interval, BrokerTimer::hw_checkpoint, 0);
      break;
    case BrokerTimer::writeback:
      for (auto& [tp, h] : partitions_) {
        h.partition.log().writeback(now(), env_.cluster.dirty_expire);
      }
      set_timer(env_.cluster.dirty_writeback, BrokerTimer::writeback, 0);
      break;
    case BrokerTimer::log_flusher:
      flush_dirty_logs();
      set_timer(config.log_flush_scheduler_interval, BrokerTimer::log_flusher, 0);
      break;
    case BrokerTimer::fetcher: {
      const BrokerId source(static_cast<std::int32_t>(cookie.index));
      if (const auto it = fetchers_.find(source); it != fetchers_.end()) {
        it->second->on_timer(static_cast<std::uint8_t>(payload));
      }
      break;
    }
    case BrokerTimer::controller:
      if (controller_) controller_->on_timer(payload);
      break;
    case BrokerTimer::controller_channel:
      if (controller_) controller_->on_channel_timer(cookie.index, payload);
      break;
    case BrokerTimer::controlled_shutdown:
      send_controlled_shutdown_request();
      break;
    case BrokerTimer::controlled_shutdown_timeout:
      on_controlled_shutdown_timeout(payload);
      break;
    case BrokerTimer::register_retry:
      register_broker();
      break;
    case BrokerTimer::isr_write_stall:
      on_isr_write_stall_timer(payload);
      break;
    case BrokerTimer::group_coordinator:
      if (group_coordinator_) group_coordinator_->on_timer(cookie.index, payload);
      break;
  }
}

}  // namespace kafkasim
