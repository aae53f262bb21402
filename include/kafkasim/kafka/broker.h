// A Kafka broker: KafkaServer's lifecycle, KafkaApis' request handling and ReplicaManager's
// partitions, in one actor (core/src/main/scala/kafka/server/{KafkaServer,KafkaApis,
// ReplicaManager}.scala, Kafka 2.4). Its parts live in their own files:
//   broker.cpp                lifecycle (start, crash, restart, power loss), dispatch, timers
//   broker_zookeeper.cpp      registration, controller election, session events
//   broker_requests.cpp       reading requests (one per connection at a time, SocketServer)
//                             and the request-handler pool: queueing and service times
//   broker_produce.cpp        Produce: append, flush, DelayedProduce
//   broker_fetch.cpp          Fetch (leader side), DelayedFetch, OffsetsForLeaderEpoch,
//                             ListOffsets
//   broker_replica_state.cpp  LeaderAndIsr, UpdateMetadata, StopReplica, ISR changes
//   broker_isr_update.cpp     the ISR write to ZooKeeper and the partition lock it holds
//   replica_fetcher.cpp       the follower side: one fetcher per leader broker
//   controller*.cpp           the controller, active on the broker holding /controller
//   controller_channel_manager.cpp  its queues of requests to the brokers
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "kafkasim/engine/engine.h"
#include "kafkasim/kafka/cluster_layout.h"
#include "kafkasim/kafka/cluster_observer.h"
#include "kafkasim/kafka/delayed_operations.h"
#include "kafkasim/kafka/metadata_cache.h"
#include "kafkasim/kafka/partition.h"
#include "kafkasim/kafka/purgatory_timeouts.h"
#include "kafkasim/kafka/request_handler_pool.h"
#include "kafkasim/kafka/socket_server.h"
#include "kafkasim/network/process.h"
#include "kafkasim/network/transport.h"
#include "kafkasim/protocol/message.h"
#include "kafkasim/random/rng.h"
#include "kafkasim/scenario/cluster.h"
#include "kafkasim/zookeeper/client.h"

namespace kafkasim {

class Controller;
class GroupCoordinator;
class GroupRecordStore;
class ReplicaFetcher;

/// What every broker of a run shares.
struct BrokerEnvironment {
  Engine& engine;
  Transport<Message>& network;
  const ClusterLayout& layout;
  const ClusterSpec& cluster;
  ClusterObserver& observer;
  std::uint64_t seed = 1;
  /// The values of __consumer_offsets records (group_coordinator.h); null when the layout has
  /// no __consumer_offsets (no group uses the coordinator).
  GroupRecordStore* group_records = nullptr;
};

/// The kinds of a broker's own timers (the cookie's kind; its payload and index as noted).
enum class BrokerTimer : std::uint8_t {
  request_done = 1,     // a handler thread finished a request (payload: ticket)
  flush_done,           // a handler thread finished an fsync inside a produce (ticket)
  produce_timeout,      // the purgatory's timer: parked produces due expire
  fetch_wait,           // a DelayedFetch's max wait passed (its id)
  isr_expiration,       // ReplicaManager's "isr-expiration" task
  isr_propagation,      // ReplicaManager's "isr-change-propagation" task
  hw_checkpoint,        // "highwatermark-checkpoint" task
  writeback,            // the operating system's flusher thread
  log_flusher,          // LogManager's "kafka-log-flusher" task
  fetcher,              // a replica fetcher's own timer (index: source broker; payload: kind)
  controller,           // the controller's timers (payload: its own)
  controller_channel,   // a controller channel's request timeout or back-off (index: broker)
  controlled_shutdown,  // retry of a controlled shutdown request
  controlled_shutdown_timeout,  // a controlled shutdown request unanswered (its correlation id)
  register_retry,               // registration again, once an old session's node is gone
  isr_write_stall,    // an ISR write has held waiting requests for a while (index: partition)
  group_coordinator,  // the group coordinator's timers (index: its kind; payload: its id)
};

/// ReplicaManager.IsrChangePropagationInterval / BlackOut / the 60 s upper bound.
inline constexpr Duration kIsrChangePropagationInterval = std::chrono::milliseconds(2500);
inline constexpr Duration kIsrChangePropagationBlackOut = std::chrono::milliseconds(5000);
inline constexpr Duration kIsrChangePropagationMaxInterval = std::chrono::milliseconds(60000);
/// An ISR write unanswered this long while requests wait for its lock is a stall worth a timeline
/// line (a ZooKeeper round trip takes milliseconds).
inline constexpr Duration kIsrWriteStallReportAfter = std::chrono::milliseconds(1000);
/// Settings at Long.MaxValue ms (Kafka's "never") saturate to this.
inline constexpr Duration kNeverInterval = Duration::max();

/// An ISR write to ZooKeeper in flight on a leader (broker_isr_update.cpp). At namespace scope,
/// not nested in Broker: clang evaluates std::optional's constructibility checks for a nested
/// struct before its default member initializers are parsed, and rejects emplace().
struct IsrWriteInFlight {
  std::vector<BrokerId> old_isr;
  std::vector<BrokerId> new_isr;
  Instant started;
  /// Requests (tickets) that need the lock: each keeps its handler thread until it is free.
  std::vector<std::uint64_t> blocked;
  /// DelayedFetch ids whose max wait passed meanwhile: their read waits for the lock too.
  std::vector<std::uint64_t> expired_fetches;
  Instant first_blocked;
  bool stall_reported = false;
};

class Broker final : public Process, public Endpoint<Message>, public ZkWatcher {
 public:
  Broker(BrokerEnvironment env, const BrokerSpec& spec);
  ~Broker() override;
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  BrokerId id() const { return id_; }
  /// How many times this broker has lost power (a crash that loses the unflushed log tail).
  std::uint32_t power_losses() const { return power_losses_; }
  bool is_controller() const;
  /// Whether its startup has registered it since the process started (it reads requests).
  bool started_up() const { return started_up_; }
  const Controller* controller() const { return controller_.get(); }
  /// The group coordinator, on a broker whose cluster has __consumer_offsets (else null).
  const GroupCoordinator* group_coordinator() const { return group_coordinator_.get(); }
  /// This broker's replica of `tp`, or nullptr if it hosts none.
  const Partition* partition(TopicPartition tp) const {
    const HostedPartition* h = hosted(tp);
    return h == nullptr ? nullptr : &h->partition;
  }
  const MetadataCache& metadata() const { return metadata_; }
  /// The network threads' channels (which connections are muted, what they hold unread).
  const SocketServer& socket_server() const { return socket_server_; }
  /// How many of its partitions have an ISR write to ZooKeeper in flight (hold their
  /// leaderIsrUpdateLock): while none do, no request needs to look for a locked partition.
  std::size_t isr_writes_in_flight() const { return isr_writes_in_flight_; }
  ZkClient& zk() { return zk_; }

  // --- Process life: start, crash, pause and resume are Process's ------------------------------
  /// A controlled shutdown (controlled.shutdown.enable): ask the controller to move leaders
  /// away, then stop (the observer's on_shutdown_complete tells when).
  void shutdown() override;
  /// slow_disk: every append and flush takes `extra_ms` more (none: back to normal).
  void set_slow_disk(std::optional<Dist> extra_ms) { slow_disk_ = std::move(extra_ms); }

  // --- What the engine, the network and ZooKeeper deliver -------------------------------------
  void on_timer(TimerCookie cookie) override;
  void on_message(NodeId from, Message&& message) override;
  void on_disconnected(NodeId peer) override;
  void on_zk_session_event(ZkSessionEvent event) override;
  void on_zk_watch_event(ZkEventType type, const std::string& path) override;

  // --- For the broker's own parts (fetchers, controller) -------------------------------------
  Engine& engine() { return env_.engine; }
  Instant now() const { return Process::now(); }
  const ClusterLayout& layout() const { return env_.layout; }
  const ClusterSpec& cluster() const { return env_.cluster; }
  ClusterObserver& observer() { return env_.observer; }
  Rng& rng() { return rng_; }
  void send(NodeId to, Message message);
  void send_to_broker(BrokerId to, Message message);
  TimerId set_timer(Duration delay, BrokerTimer kind, std::uint64_t payload,
                    std::uint32_t index = 0);
  CorrelationId next_correlation_id() { return CorrelationId(++last_correlation_id_); }
  Partition* mutable_partition(TopicPartition tp) {
    HostedPartition* h = hosted(tp);
    return h == nullptr ? nullptr : &h->partition;
  }
  /// The slow_disk fault's extra time for one append or flush (zero without the fault).
  Duration disk_extra();
  /// Where the HW was last checkpointed (replication-offset-checkpoint).
  Offset checkpointed_high_watermark(TopicPartition tp) const;

 private:
  struct HostedPartition {
    Partition partition;
    Offset checkpointed_high_watermark = 0;
    /// Ids of DelayedProduce waiting on this partition, in arrival order.
    std::vector<std::uint64_t> waiting_produces;
    /// Ids of DelayedFetch waiting for data on this partition.
    std::vector<std::uint64_t> waiting_fetches;
    /// The ISR write to ZooKeeper in flight, which holds the partition's leaderIsrUpdateLock
    /// for write (Partition.maybeShrinkIsr / maybeExpandIsr): none when the lock is free.
    std::optional<IsrWriteInFlight> isr_write;
  };
  struct PendingRequest {
    NodeId from;
    BrokerRequest request;
    Instant arrived;
  };

  // broker.cpp
  /// A FetchResponse or OffsetsForLeaderEpochResponse, for the fetcher of the sending broker.
  template <class Response>
  void on_fetcher_response(NodeId from, Response&& response);
  /// A request reached the broker before its startup registered it: the connection closes.
  void refuse_before_startup(NodeId from);
  /// The process starts: recover the logs, connect to ZooKeeper, register.
  void on_start() override;
  /// The process (or, with power loss, the host) died: what was in memory goes, and with
  /// power loss what the disk had not been given.
  void on_crash(CrashKind kind) override;
  void reset_process_state();
  void schedule_periodic_tasks();
  static constexpr std::size_t kNoPartitionIndex = static_cast<std::size_t>(-1);
  /// ClusterLayout::partition_index(tp), or kNoPartitionIndex when the cluster has no such
  /// partition (a request may name one). Inline, from topic_first_index_: every partition of
  /// every fetch is looked up several times.
  std::size_t partition_index(TopicPartition tp) const {
    const std::size_t topic = tp.topic.value();
    if (topic + 1 >= topic_first_index_.size() || tp.partition < 0) return kNoPartitionIndex;
    const std::size_t index = topic_first_index_[topic] + static_cast<std::size_t>(tp.partition);
    return index < topic_first_index_[topic + 1] ? index : kNoPartitionIndex;
  }
  /// partitions_[tp] through hosted_by_index_, or nullptr if this broker hosts no replica of
  /// `tp` (or the cluster has no such partition).
  HostedPartition* hosted(TopicPartition tp) {
    const std::size_t index = partition_index(tp);
    return index == kNoPartitionIndex ? nullptr : hosted_by_index_[index];
  }
  const HostedPartition* hosted(TopicPartition tp) const {
    const std::size_t index = partition_index(tp);
    return index == kNoPartitionIndex ? nullptr : hosted_by_index_[index];
  }

  // broker_zookeeper.cpp
  void register_broker();
  void elect_controller();
  void on_controller_znode(std::optional<BrokerId> controller);
  void become_controller(ControllerEpoch epoch, ZkVersion epoch_zk_version);
  /// This broker is controller no more (its session expired, /controller moved or went).
  void drop_controller();
  std::optional<std::string> broker_rack() const;

  // broker_shutdown.cpp
  void send_controlled_shutdown_request();
  void on_controlled_shutdown_response(const ControlledShutdownResponse& response);
  void on_controlled_shutdown_disconnected(NodeId peer);
  void on_controlled_shutdown_timeout(std::uint64_t correlation_id);
  /// The attempt in flight failed (no answer, or the connection went): back off, then retry.
  void controlled_shutdown_attempt_failed();
  void finish_controlled_shutdown();
  void flush_dirty_logs();

  // broker_requests.cpp
  /// A request arrives from `from`: read now, or left unread behind the one its channel serves.
  void receive_request(NodeId from, BrokerRequest&& request, std::uint32_t bytes);
  /// The request `correlation_id` of `client` is answered (or, acks=0, handled): its channel
  /// reads the next request it holds.
  void request_answered(NodeId client, CorrelationId correlation_id);
  void enqueue_request(NodeId from, BrokerRequest&& request);
  void start_request(std::uint64_t ticket);
  void finish_request(std::uint64_t ticket);
  void release_handler_thread();
  Duration service_time(const BrokerRequest& request);

  // broker_produce.cpp
  /// ReplicaManager.appendRecords for the group coordinator (acks=all, offsets.commit.timeout.ms):
  /// `batch` goes to this broker's replica of `tp` as a leader append; the coordinator's
  /// on_append_done gets the outcome, with id `append`.
  void append_for_coordinator(TopicPartition tp, const RecordBatch& batch, std::uint64_t append);
  /// KafkaApis.handleLeaderAndIsrRequest's onLeadershipChange and handleStopReplicaRequest: the
  /// group coordinator loads or drops the groups of an offsets partition.
  void tell_group_coordinator(TopicPartition tp, bool leader);
  void handle_produce(std::uint64_t ticket, PendingRequest& request);
  void append_to_leader(const ProducePartitionData& data, const ProduceRequest& produce,
                        DelayedProduce::Status& status);
  void complete_produce(std::uint64_t ticket);
  void park_produce(std::unique_ptr<DelayedProduce> delayed);
  bool needs_flush(TopicPartition tp);
  void try_complete_produces(TopicPartition tp);
  /// The purgatory's timer: expires the parked produces now due, and sets itself again.
  void on_produce_timeout();
  void arm_produce_expiry();
  void finish_delayed_produce(std::uint64_t id);

  // broker_fetch.cpp
  void handle_fetch(NodeId from, const FetchRequest& request);
  FetchResponse read_for_fetch(const FetchRequest& request, std::uint64_t& bytes);
  void try_complete_fetches(TopicPartition tp);
  void on_fetch_wait(std::uint64_t id);
  void handle_offsets_for_leader_epoch(NodeId from, const OffsetsForLeaderEpochRequest& request);
  void handle_list_offsets(NodeId from, const ListOffsetsRequest& request);
  void handle_metadata(NodeId from, const MetadataRequest& request);

  // broker_replica_state.cpp
  void handle_leader_and_isr(NodeId from, const LeaderAndIsrRequest& request);
  void handle_update_metadata(NodeId from, const UpdateMetadataRequest& request);
  void handle_stop_replica(NodeId from, const StopReplicaRequest& request);
  void become_leader(HostedPartition& hosted, const LeaderAndIsrPartitionState& state);
  void become_follower(HostedPartition& hosted, const LeaderAndIsrPartitionState& state);
  /// ReplicaManager.updateFollowerFetchState, after the fetch's read: the leader's log end and
  /// high watermark as that read saw them.
  void on_follower_fetch(HostedPartition& hosted, BrokerId follower, Offset fetch_offset,
                         Offset read_log_end_offset, Offset read_high_watermark);
  /// DelayedFetch.tryComplete: can parked `delayed` be answered now?
  bool delayed_fetch_can_complete(const DelayedFetch& delayed, std::uint64_t bytes);
  void check_isr_expiration();

  // broker_isr_update.cpp
  void propose_isr(HostedPartition& hosted, std::vector<BrokerId> isr);
  void on_isr_write_result(TopicPartition tp, LeaderEpoch epoch, const ZkResult& result);
  /// If `request` needs the lock of a partition an ISR write holds, it waits (keeping its
  /// handler thread) and this returns true.
  bool wait_for_isr_write(std::uint64_t ticket, const BrokerRequest& request);
  void on_isr_write_stall_timer(std::uint64_t partition_index);
  /// Whether a partition of `request` is locked by an ISR write (DelayedFetch's read waits).
  bool locked_by_isr_write(const FetchRequest& request);
  void propagate_isr_changes();
  void on_high_watermark_moved(HostedPartition& hosted);
  ReplicaFetcher& fetcher_for(BrokerId leader);
  void remove_from_fetchers(TopicPartition tp);

  friend class ReplicaFetcher;
  friend class Controller;
  friend class GroupCoordinator;
  friend class ControllerChannelManager;

  BrokerEnvironment env_;
  BrokerId id_;
  Rng rng_;
  std::uint32_t power_losses_ = 0;
  bool shutting_down_ = false;
  /// KafkaServer.startup has got past its registration (KafkaZkClient.registerBroker) since the
  /// process last started. Until then the broker reads no request: Kafka starts the
  /// SocketServer's processors at the end of startup (startDataPlaneProcessors), and a startup
  /// whose registration fails ends the process (see on_message). A session expiry later does not
  /// clear it: the socket server keeps running while the broker registers again.
  bool started_up_ = false;
  std::optional<Dist> slow_disk_;
  std::uint32_t last_correlation_id_ = 0;
  ControllerEpoch known_controller_epoch_{0};

  std::map<TopicPartition, HostedPartition> partitions_;
  /// The partitions_ whose isr_write is engaged (set in propose_isr, cleared in
  /// on_isr_write_result and reset_process_state, the only places that change isr_write).
  std::size_t isr_writes_in_flight_ = 0;
  /// partitions_ by ClusterLayout::partition_index (null where this broker holds no replica):
  /// every request looks a partition up, so this is the hot path; the map keeps the order.
  std::vector<HostedPartition*> hosted_by_index_;
  /// The partition index of each topic's partition 0, and the partition count last: topic t's
  /// partitions are [topic_first_index_[t], topic_first_index_[t + 1]).
  std::vector<std::size_t> topic_first_index_;
  MetadataCache metadata_;
  ZkClient zk_;
  std::unique_ptr<Controller> controller_;
  std::unique_ptr<GroupCoordinator> group_coordinator_;
  std::map<BrokerId, std::unique_ptr<ReplicaFetcher>> fetchers_;

  /// The network threads' channels: one request per client connection at a time.
  SocketServer socket_server_;
  RequestHandlerPool handlers_;
  // Requests and delayed operations by ticket. Only looked up, added and removed, never iterated
  // (the order of an unordered map must not reach any output): hashing beats a tree search on
  // the hottest path of a run.
  std::uint64_t next_ticket_ = 0;
  std::unordered_map<std::uint64_t, PendingRequest> requests_;
  std::uint64_t next_delayed_id_ = 0;
  std::unordered_map<std::uint64_t, std::unique_ptr<DelayedProduce>> delayed_produces_;
  /// The parked produces' deadlines, and the one timer that expires them (park_produce).
  PurgatoryTimeouts produce_timeouts_;
  TimerId produce_expiry_;
  Instant produce_expiry_at_;
  /// Produce requests between their append and their answer (an fsync may be running).
  std::unordered_map<std::uint64_t, std::unique_ptr<DelayedProduce>> in_flight_produces_;
  std::uint32_t controlled_shutdown_attempts_ = 0;
  // Partitions still led after the last answered attempt (its response's remaining partitions).
  std::optional<std::size_t> controlled_shutdown_remaining_;  // none: no attempt answered
  bool controlled_shutdown_clean_ = false;  // the controller moved every leader away
  CorrelationId controlled_shutdown_request_;
  NodeId controlled_shutdown_target_;
  std::unordered_map<std::uint64_t, std::unique_ptr<DelayedFetch>> delayed_fetches_;

  // ISR change propagation (ReplicaManager.maybePropagateIsrChanges).
  std::set<TopicPartition> isr_changes_;
  Instant last_isr_change_;
  Instant last_isr_propagation_;
};

}  // namespace kafkasim
