// What one run (one scenario, one acknowledgement mode, one seed) measured: the fields of a run
// in the SPEC's report (SPEC.md "Report").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafkasim/run/cluster_states.h"
#include "kafkasim/run/series.h"
#include "kafkasim/run/trace.h"
#include "kafkasim/scenario/ack_mode.h"
#include "kafkasim/stats/latency_histogram.h"

namespace kafkasim {

struct LatencySummary {
  double mean_ms = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double max_ms = 0;
};

struct ReplicaEnd {
  std::string broker;  // "broker-2"
  std::int64_t log_end_offset = 0;
};

struct PartitionReport {
  std::string name;    // "orders-0"
  std::string leader;  // "broker-1", or "none" when offline at the end
  std::vector<std::string> isr;
  std::int64_t high_watermark = 0;
  std::vector<ReplicaEnd> replicas;
  std::uint64_t lost_acknowledged = 0;
  /// When the earliest and the latest of the lost acknowledged records were acknowledged, in ms
  /// of scenario time (0 when none was lost): the window the timeline's verdict names.
  double lost_acknowledged_from_ms = 0;
  double lost_acknowledged_to_ms = 0;
  /// Offsets below the leader's high watermark where some live replica's log holds another
  /// record than the leader's, after settling (SPEC.md "Additions"; replica_divergence.h).
  std::uint64_t diverged_offsets = 0;
  /// The live replicas that differ ("broker-1"), for the timeline's verdict.
  std::vector<std::string> diverged_replicas;
};

struct LostExample {
  std::string id;         // "<producer>/<partition>/<sequence>"
  std::string partition;  // "orders-0"
  std::int64_t offset = -1;
  double acknowledged_at_ms = 0;
  std::vector<std::string> held_by;  // replicas whose log had it when it was acknowledged
  std::string removed_by;            // what removed it
};

/// One consumer group's figures (SPEC.md "consumer_groups").
struct ConsumerGroupReport {
  std::string group;
  std::int32_t members = 0;
  /// Distinct messages the group processed.
  std::uint64_t consumed = 0;
  /// Processings of a message the group had already processed.
  std::uint64_t redelivered = 0;
  /// The largest lag seen (messages below the high watermark not yet processed), sampled every
  /// millisecond; our additions: when (ms of scenario time) and the lag when the run ended.
  std::int64_t max_lag = 0;
  double max_lag_at_ms = 0;
  std::int64_t lag_at_end = 0;
  /// send() to the end of the first processing, of every message the group consumed.
  LatencySummary end_to_end_latency;
  /// "coordinator" or "zookeeper" (consumers[].coordination).
  std::string coordination;
  /// The group coordinator at the end (the leader of the group's __consumer_offsets partition,
  /// "none" without one), or "zookeeper".
  std::string coordinator;
  /// Pauses of the group: spans during which none of its members held partitions (every
  /// rebalance revokes all of them), the first join included; and their total time.
  std::uint64_t rebalances = 0;
  double rebalance_ms = 0;
};

struct RunResult {
  AckMode acks = AckMode::async;
  std::uint64_t seed = 1;
  std::uint64_t produced = 0;
  std::uint64_t acknowledged = 0;
  std::uint64_t failed = 0;
  /// Our extension: records still in the producers when the run ended (neither acknowledged nor
  /// failed yet: a backlog, or retries still within delivery.timeout.ms).
  std::uint64_t pending = 0;
  /// Our extension: records a producer held when its process crashed (a crash fault on a
  /// producer): the application never learned their fate.
  std::uint64_t abandoned = 0;
  std::uint64_t lost_acknowledged = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t reordered = 0;
  LatencySummary latency;
  /// Our extension: the latency histogram's non-empty buckets (for --latency-csv: a CDF).
  std::vector<LatencyHistogram::Bucket> latency_buckets;
  double offline_ms = 0;
  std::uint64_t leader_elections = 0;
  std::uint64_t unclean_leader_elections = 0;
  std::uint64_t controller_elections = 0;
  std::uint64_t isr_shrinks = 0;
  std::uint64_t isr_expands = 0;
  /// Replicas the controller took out of partitions' ISRs (dead, or shutting down).
  std::uint64_t controller_isr_removals = 0;
  /// The partitions' diverged_offsets, summed.
  std::uint64_t diverged_offsets = 0;
  std::vector<PartitionReport> partitions;
  std::vector<LostExample> lost_examples;
  std::vector<ConsumerGroupReport> consumer_groups;
  std::uint64_t events = 0;
  /// Per scenario fault, in order: the nodes it hit when it started, by name (a role such as
  /// leader-of:orders-0 or controller resolved at that instant, so it can differ by mode); empty
  /// for a fault that found no such node, a network partition, or a delay `between` two nodes.
  std::vector<std::vector<std::string>> fault_nodes;
  /// The narrative of notable events (for --timeline), one line each.
  std::vector<std::string> timeline;
  /// --series: the sampled metrics; empty unless asked for (RunRecording).
  Series series;
  /// --trace: requests and notable events within the window; empty unless asked for.
  Trace trace;
  /// The cluster's state at each series sample (the browser page's view); empty unless asked
  /// for (RunRecording::cluster_states).
  ClusterStates cluster_states;
};

}  // namespace kafkasim
