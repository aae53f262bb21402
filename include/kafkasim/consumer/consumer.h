// One member of a consumer group: the ZooKeeper-era high-level consumer
// (core/.../consumer/ZookeeperConsumerConnector.scala with ZKRebalancerListener,
// PartitionAssignor.scala, ConsumerFetcherManager.scala; Kafka 0.8.2-2.x), whose group protocol
// KAFKA_REFERENCE.md describes, with the fetch loop of the Java consumer that replaced it
// (clients/.../consumer/KafkaConsumer.java poll, internals/Fetcher.java; Kafka 2.4), whose
// settings SPEC.md names. One actor and one network endpoint per member, node "<group>-<index>".
//
// The group (consumer_rebalance.cpp). A member registers the ephemeral
// /consumers/G/ids/<consumer id> and rebalances whenever the children of /consumers/G/ids or of
// /brokers/ids change, or the topic's znode does: it stops fetching, lets the record in
// processing finish, commits its offsets, deletes its /consumers/G/owners/T/P claims, reads the
// members and the topic's partitions, computes the assignment (range, or roundrobin with
// partition.assignment.strategy), reads each assigned partition's committed offset from
// /consumers/G/offsets/T/P and claims it with an ephemeral /consumers/G/owners/T/P. A claim that
// finds the node still there (its previous owner has not released it, or its session has not
// expired yet) fails the attempt: the member releases what it claimed and tries again after
// rebalance.backoff.ms, at most rebalance.max.retries times, then waits for the next change.
// A crashed member's ephemeral nodes go when its ZooKeeper session expires
// (zookeeper.session.timeout.ms); only then do the others see it leave and take its partitions,
// from the last committed offset: what it processed after that commit is delivered again.
//
// Fetching and processing (consumer_fetcher.cpp, consumer_processing.cpp). The member learns the
// leaders by Metadata requests, like a producer, and asks again after NOT_LEADER_FOR_PARTITION,
// a disconnection or metadata.max.age.ms. Each poll() hands the application up to
// max.poll.records buffered records and sends a Fetch (replica_id -1, fetch.max.wait.ms,
// fetch.min.bytes, max.partition.fetch.bytes) to each leader with none outstanding, for the owned
// partitions with nothing buffered; the broker answers only with records below the high
// watermark. The application processes records one at a time, processing_ms each, then polls
// again; with nothing to process it waits for the next answer. A partition without a committed
// offset, or whose offset is out of range, starts where auto.offset.reset says (ListOffsets).
// Offsets of processed records are committed to ZooKeeper every auto.commit.interval.ms, at
// every rebalance and on a clean shutdown.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kafkasim/client/producer_metadata.h"
#include "kafkasim/consumer/zk_group_dirs.h"
#include "kafkasim/engine/engine.h"
#include "kafkasim/network/process.h"
#include "kafkasim/network/transport.h"
#include "kafkasim/protocol/message.h"
#include "kafkasim/random/rng.h"
#include "kafkasim/scenario/consumer.h"
#include "kafkasim/zookeeper/client.h"

namespace kafkasim {

/// A consumer group of the scenario, by its index in `consumers[]`.
using GroupIndex = StrongId<struct GroupIndexTag, std::uint32_t>;

/// Where a member sits in a run.
struct ConsumerPlacement {
  GroupIndex group;
  std::int32_t member = 0;
  TopicIndex topic;
  std::string topic_name;
  std::int32_t partitions = 1;
  /// The member's own network node, "<group>-<index>", and its name.
  NodeId node;
  std::string node_name;
  NodeId zookeeper;
  /// Every broker of the cluster, ascending by id: the bootstrap list.
  std::vector<BrokerAddress> brokers;
  std::uint64_t seed = 1;
};

/// What a member tells the run.
class ConsumerListener {
 public:
  virtual ~ConsumerListener() = default;
  /// The application finished processing the record at `offset` of `tp`, identified as the
  /// producers identify records: (producer, sequence).
  virtual void on_processed(GroupIndex group, TopicPartition tp, Offset offset,
                            ProducerIndex producer, std::uint32_t sequence, Instant now) = 0;
  /// A step of the group protocol worth a line in the timeline.
  virtual void on_group_event(Instant now, const std::string& line) = 0;
  /// The member starts (`holding`) or stops holding partitions it may process: the group
  /// processes nothing while none of its members holds any (a rebalance's pause).
  virtual void on_holding(GroupIndex /*group*/, std::int32_t /*member*/, bool /*holding*/,
                          Instant /*now*/) {}
};

struct ConsumerCounters {
  std::uint64_t processed = 0;  // records, redeliveries included
  std::uint64_t fetch_requests = 0;
  std::uint64_t metadata_requests = 0;
  std::uint64_t rebalances = 0;         // attempts that ended with a claimed assignment
  std::uint64_t failed_rebalances = 0;  // attempts that found a partition still owned
  std::uint64_t commits = 0;            // offset znodes written, or OffsetCommit requests sent
  std::uint64_t fenced_commits = 0;  // OffsetCommit answered ILLEGAL_GENERATION/UNKNOWN_MEMBER_ID
  std::uint64_t poll_timeouts = 0;   // max.poll.interval.ms exceeded: the member left the group
};

/// Consumer settings of the ZooKeeper-era consumer the model does not take from the scenario
/// (core/.../consumer/ConsumerConfig.scala, 0.8.2 defaults).
inline constexpr std::int32_t kRebalanceMaxRetries = 4;
inline constexpr Duration kRebalanceBackoff = std::chrono::milliseconds(2000);
/// The Java consumer's retry.backoff.ms and metadata.max.age.ms (ConsumerConfig.java, 2.4).
inline constexpr Duration kConsumerRetryBackoff = std::chrono::milliseconds(100);
inline constexpr Duration kConsumerMetadataMaxAge = std::chrono::milliseconds(300000);
/// reconnect.backoff.ms (ConsumerConfig.java, 2.4): no request to a broker this soon after its
/// connection was lost.
inline constexpr Duration kConsumerReconnectBackoff = std::chrono::milliseconds(50);

class Consumer final : public Process, public Endpoint<Message>, public ZkWatcher {
 public:
  /// Registers with the engine and attaches to its node. The process starts at schedule_start.
  Consumer(Engine& engine, Transport<Message>& transport, const ConsumerGroupSpec& spec,
           ConsumerPlacement placement, ConsumerListener& listener);
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  /// The process starts at `at` (the group's start_ms).
  void schedule_start(Instant at);

  // --- Process life: start, crash, pause and resume are Process's ------------------------------
  /// A clean shutdown (ZookeeperConsumerConnector.shutdown): stop fetching, commit, close the
  /// ZooKeeper session so that the ephemeral nodes go at once.
  void shutdown() override;

  // --- What the engine, the network and ZooKeeper deliver -------------------------------------
  void on_timer(TimerCookie cookie) override;
  void on_message(NodeId from, Message&& message) override;
  void on_disconnected(NodeId peer) override;
  void on_zk_session_event(ZkSessionEvent event) override;
  void on_zk_watch_event(ZkEventType type, const std::string& path) override;

  // --- State ----------------------------------------------------------------------------------
  GroupIndex group() const { return placement_.group; }
  /// "<group>_<node>-<start ms>" (consumerIdString: group, host name, start time).
  const std::string& consumer_id() const { return consumer_id_; }
  /// The partitions this member owns now, ascending.
  std::vector<std::int32_t> owned_partitions() const;
  const ConsumerCounters& counters() const { return counters_; }

 private:
  enum class TimerKind : std::uint8_t {
    heartbeat = 20,          // the heartbeat thread's next look (consumer_coordinator.cpp)
    coordinator_retry = 21,  // retry.backoff.ms after a failed FindCoordinator or JoinGroup
    start = 1,
    processing_done,
    auto_commit,
    rebalance_backoff,
    request_timeout,
    metadata,
    reconnect,  // a broker's reconnect backoff is over: fetch again
  };
  enum class RequestKind : std::uint8_t {
    fetch,
    list_offsets,
    metadata,
    find_coordinator,
    join_group,
    sync_group,
    heartbeat,
    leave_group,
    offset_commit,
    offset_fetch,
  };
  /// Where a member of a coordinator group stands (AbstractCoordinator.MemberState).
  enum class MemberState : std::uint8_t { unjoined, rebalancing, stable };
  struct InFlight {
    std::size_t broker = 0;
    RequestKind kind = RequestKind::fetch;
    TimerId timeout;
    bool before_join = false;  // an OffsetCommit of onJoinPrepare: its answer goes on joining
  };
  /// A partition the member owns (Kafka's PartitionTopicInfo).
  struct OwnedPartition {
    std::int32_t partition = 0;
    /// The next offset to fetch; -1 until known (auto.offset.reset asks the leader).
    Offset position = -1;
    /// The next offset to process: what a commit writes (PartitionTopicInfo.consumedOffset).
    Offset consumed = -1;
    /// What was last written to ZooKeeper (checkpointedZkOffsets).
    Offset checkpointed = -1;
    /// Fetched and not yet handed to the application.
    std::deque<RecordBatch> buffered;
    bool reset_in_flight = false;
  };
  /// One record handed to the application.
  struct PolledRecord {
    std::int32_t partition;
    Offset offset;
    ProducerIndex producer;
    std::uint32_t sequence;
  };
  /// One rebalance attempt's reads, as their answers come (ZooKeeper answers in order).
  struct Attempt {
    std::uint64_t generation = 0;
    std::int32_t answers_pending = 0;
    bool failed = false;
    std::vector<std::string> members;
    std::int32_t brokers = 0;
    std::int32_t partitions = 0;
    std::vector<std::int32_t> assigned;
    std::vector<Offset> offsets;
    std::vector<bool> claimed;
  };

  /// The process starts (again): a new consumer id, a new ZooKeeper session, nothing owned.
  void on_start() override;
  /// The process died: everything in memory is gone; its ZooKeeper session lives on until it
  /// expires on the server.
  void on_crash(CrashKind kind) override;
  TimerId set_timer(Duration delay, TimerKind kind, std::uint32_t data = 0);
  /// The process is gone (crash or shutdown): its memory with it.
  void forget_memory();
  std::string thread_id() const { return consumer_id_ + "-0"; }
  OwnedPartition* owned(std::int32_t partition);
  void note(const std::string& line);

  // The group (consumer_rebalance.cpp).
  void register_in_zk();
  /// `cause`: why, in words, for the timeline ("the group's members changed (...)").
  void begin_rebalance(std::string cause);
  void start_attempt();
  void continue_attempt();
  void on_group_read(std::uint64_t generation);
  void on_offsets_read(std::uint64_t generation);
  void on_claims_answered(std::uint64_t generation);
  void finish_attempt(bool success);
  void forget_ownership();
  void commit_offsets();

  // The group coordinator's protocol (consumer_coordinator.cpp).
  bool coordinated() const { return spec_.coordination == GroupCoordination::coordinator; }
  void start_coordinated();
  /// ConsumerCoordinator.poll: find the coordinator, join the group if needed; true when the
  /// member may process (stable, its committed offsets fetched).
  bool ensure_group();
  void lookup_coordinator();
  void coordinator_dead(const std::string& why);
  void join_prepare();
  void send_join_group();
  void send_sync_group(const JoinGroupResponse& response);
  void send_offset_fetch();
  void send_heartbeat();
  void send_offset_commit(bool before_join);
  void send_leave_group(const std::string& why);
  void reset_generation();
  void request_rejoin(const std::string& why);
  void on_heartbeat_timer();
  void schedule_heartbeat(Duration delay);
  void on_find_coordinator_response(const FindCoordinatorResponse& response);
  void on_join_group_response(const JoinGroupResponse& response);
  void on_sync_group_response(const SyncGroupResponse& response);
  void on_heartbeat_response(const HeartbeatResponse& response);
  void on_offset_commit_response(const OffsetCommitResponse& response);
  void on_offset_fetch_response(const OffsetFetchResponse& response);
  /// The in-flight entry of a group request answered now, or nullopt if it was given up.
  std::optional<InFlight> take_in_flight(CorrelationId id);
  void send_to_broker(std::size_t broker, Message message);
  /// Sends a group request to the coordinator, in flight under `kind` (with `timeout`, or
  /// request.timeout.ms); returns its correlation id.
  template <class Request>
  CorrelationId send_to_coordinator(Request request, RequestKind kind,
                                    std::optional<Duration> timeout = std::nullopt);
  void set_holding(bool holding);

  // Fetching (consumer_fetcher.cpp).
  void send_fetches();
  void send_list_offsets(std::size_t broker);
  void on_fetch_response(const FetchResponse& response);
  void on_list_offsets_response(const ListOffsetsResponse& response);
  void on_metadata_response(const MetadataResponse& response);
  void maybe_update_metadata();
  CorrelationId add_in_flight(std::size_t broker, RequestKind kind,
                              std::optional<Duration> timeout = std::nullopt);
  void on_request_timeout(std::uint32_t correlation_id);
  void fail_requests_to(std::size_t broker);
  void stop_fetching();
  std::int32_t broker_of(NodeId node) const;

  // The application (consumer_processing.cpp).
  /// The group's part of KafkaConsumer.poll (coordinator groups): false when poll() returns
  /// nothing because the member is not ready.
  bool poll_group();
  bool take_records();
  void poll();
  void run_application();
  void complete_record();
  void on_processing_done();

  Engine& engine_;
  Transport<Message>& transport_;
  ConsumerGroupSpec spec_;
  ConsumerPlacement placement_;
  ConsumerListener& listener_;
  Rng rng_;
  ZkClient zk_;
  ZkGroupTopicDirs dirs_;
  ProducerMetadata metadata_;

  std::string consumer_id_;
  bool registered_ = false;

  // The group.
  std::vector<OwnedPartition> owned_;
  bool rebalancing_ = false;
  bool rebalance_again_ = false;
  std::string rebalance_cause_;       // of the rebalance under way
  std::string next_rebalance_cause_;  // of the one rebalance_again_ asks for (the latest event)
  bool session_expired_before_ = false;
  bool waiting_for_processing_ = false;
  std::int32_t attempts_ = 0;
  std::uint64_t generation_ = 0;
  Attempt attempt_;

  // Requests.
  std::map<std::uint32_t, InFlight> in_flight_;  // by correlation id
  std::vector<bool> fetch_in_flight_;            // by broker
  std::vector<bool> list_offsets_in_flight_;     // by broker
  std::vector<Instant> reconnect_after_;         // by broker
  bool metadata_in_flight_ = false;
  std::size_t bootstrap_next_ = 0;
  TimerId metadata_timer_;
  std::uint32_t next_correlation_id_ = 1;

  // The group coordinator's protocol (AbstractCoordinator, ConsumerCoordinator).
  std::int32_t coordinator_ = -1;  // position in placement_.brokers; -1: unknown
  bool find_in_flight_ = false;
  bool join_in_flight_ = false;  // a join under way: commit, JoinGroup, SyncGroup, OffsetFetch
  bool heartbeat_in_flight_ = false;
  bool commit_in_flight_ = false;
  bool rejoin_needed_ = true;
  std::string member_id_;
  std::int32_t group_generation_ = -1;
  MemberState member_state_ = MemberState::unjoined;
  std::vector<std::int32_t> pending_assignment_;  // assigned, committed offsets being fetched
  SubscriptionUserData sticky_user_data_;  // the sticky assignor's memory of its last assignment
  bool offsets_pending_ = false;
  Instant last_poll_;
  Instant last_heartbeat_ok_;
  Instant next_heartbeat_at_;
  Instant next_auto_commit_;
  TimerId heartbeat_timer_;
  bool holding_ = false;
  std::int32_t noted_coordinator_ = -1;  // the coordinator the timeline last heard of
  bool noted_dead_ = false;

  // The application.
  std::deque<PolledRecord> polled_;  // handed to the application, not yet started
  PolledRecord current_{};           // the record being processed, while processing_
  bool processing_ = false;
  bool idle_ = false;
  std::size_t poll_cursor_ = 0;

  ConsumerCounters counters_;
};

}  // namespace kafkasim
