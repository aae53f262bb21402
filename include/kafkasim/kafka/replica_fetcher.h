// The follower side of replication: one fetcher per leader broker (num.replica.fetchers = 1)
// carrying every partition this broker follows from that leader
// (core/src/main/scala/kafka/server/{AbstractFetcherThread,ReplicaFetcherThread}.scala, 2.4).
//
// Its loop: if some partitions must truncate first (a new leader, KIP-101), ask the leader for
// the end offset of their latest epochs (OffsetsForLeaderEpoch) and truncate; then fetch from
// each partition's log end offset. The leader parks the fetch up to replica.fetch.wait.max.ms
// when it has nothing new. Each response is appended and the follower's high watermark set to
// min(its log end, the leader's HW) — one round late — then the next fetch goes out at once.
// Errors (a partition's leader moved, a broken connection, a request timeout after
// replica.socket.timeout.ms) back off replica.fetch.backoff.ms.
#pragma once

#include <cstdint>
#include <vector>

#include "kafkasim/core/index_set.h"
#include "kafkasim/engine/engine.h"
#include "kafkasim/protocol/kafka_protocol.h"

namespace kafkasim {

class Broker;

class ReplicaFetcher {
 public:
  ReplicaFetcher(Broker& broker, BrokerId leader);
  ~ReplicaFetcher();
  ReplicaFetcher(const ReplicaFetcher&) = delete;
  ReplicaFetcher& operator=(const ReplicaFetcher&) = delete;

  BrokerId leader() const { return leader_; }
  /// Starts following `tp` from this leader; with `truncate_first`, ask for the epoch end
  /// offset before fetching (leader-epoch truncation).
  void add_partition(TopicPartition tp, bool truncate_first);
  void remove_partition(TopicPartition tp);
  bool empty() const { return members_.empty(); }

  void on_response(FetchResponse&& response);
  void on_response(OffsetsForLeaderEpochResponse&& response);
  void on_disconnected();
  /// The fetcher's timers: kBackoff, kRequestTimeout, kAppendDone.
  void on_timer(std::uint8_t kind);

  static constexpr std::uint8_t kBackoff = 0;
  static constexpr std::uint8_t kRequestTimeout = 1;
  static constexpr std::uint8_t kAppendDone = 2;

 private:
  struct PartitionState {
    TopicPartition tp;
    bool truncating = false;
    Instant delayed_until;  // backing off after an error on this partition
    // The partition's leader epoch when it was added (PartitionFetchState.currentLeaderEpoch).
    LeaderEpoch leader_epoch = kNoLeaderEpoch;
  };
  // What the request in flight asked for one partition, to recognise an answer that no longer
  // fits the partition's state (AbstractFetcherThread keeps the fetchStates it built the
  // request from; truncateToEpochEndOffsets keeps latestEpochsForPartitions).
  struct Asked {
    std::uint64_t request = 0;  // asked_request_ of the request that asked (0: none)
    LeaderEpoch leader_epoch;
    Offset fetch_offset = -1;  // Fetch only
  };

  void maybe_send();
  bool send_epoch_request();
  bool send_fetch();
  void request_sent(CorrelationId id);
  bool request_answered(CorrelationId id);
  bool still_fetching(const FetchPartitionData& data) const;
  bool still_truncating(const EpochEndOffset& answer) const;
  void back_off();
  void delay_partition(TopicPartition tp);
  void truncate(TopicPartition tp, const EpochEndOffset& answer);
  std::uint64_t append(const FetchPartitionData& data);
  void set_timer(Duration delay, std::uint8_t kind);
  /// The partition's slot in states_ and asked_ (ClusterLayout::partition_index).
  std::size_t slot(TopicPartition tp) const;
  /// The partition's state if this fetcher carries it, else nullptr.
  PartitionState* state_of(TopicPartition tp);
  const PartitionState* state_of(TopicPartition tp) const;
  /// What the request in flight asked for `tp`, or nullptr if it did not name it.
  const Asked* asked_for(TopicPartition tp) const;
  /// Forgets what the last request asked (a new request is being built).
  void clear_asked() { ++asked_request_; }

  Broker& broker_;
  BrokerId leader_;
  // The partitions this fetcher carries. A fetch names every one of them, so the per-fetch work
  // is a walk of members_ plus O(1) look-ups, never a tree search per partition: states_ and
  // asked_ are dense, one slot per partition of the cluster (ClusterLayout::partition_index;
  // states_[i] means something only while members_ holds i), and members_ walks the carried
  // slots in ascending order, which is TopicPartition order (all_partitions: topic then
  // partition), the order the requests list them in.
  std::vector<PartitionState> states_;
  IndexSet members_;
  bool in_flight_ = false;
  bool waiting_ = false;  // backing off, or a slow disk still appending
  CorrelationId in_flight_id_;
  Instant in_flight_deadline_;  // when the request in flight times out
  // The partitions of the request in flight: those whose Asked::request is asked_request_.
  std::vector<Asked> asked_;
  std::uint64_t asked_request_ = 1;
  /// Pending at or before in_flight_deadline_ while a request is in flight; it may outlive the
  /// request it was set for (see request_sent).
  TimerId request_timeout_;
  TimerId wake_;
};

}  // namespace kafkasim
