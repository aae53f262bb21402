// The cluster's state over a run, sampled with the series (RunRecording::cluster_states): what
// the browser page's step-through view draws (docs/browser.md). Each sample says, for every
// node, whether its process is up, paused or down and whether ZooKeeper holds a live session
// from it; which broker is the controller; and per partition its leader, leader epoch and ISR.
// The log end offsets and high watermarks are the series' (log_end_offset, high_watermark).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kafkasim {

struct RunResult;

/// A node's process as the network sees it (NodeState), in a byte.
enum class NodeStatus : std::uint8_t { up, paused, down };

struct PartitionStatus {
  std::int32_t leader = -1;  // index in ClusterStates::nodes of the current leader; -1: none
  std::int32_t leader_epoch = -1;
  std::vector<std::uint32_t> isr;  // indices in ClusterStates::nodes, as the leader knows it
};

struct ClusterState {
  std::int64_t time_ms = 0;        // scenario time
  std::int32_t controller = -1;    // index in ClusterStates::nodes; -1: none
  std::vector<NodeStatus> status;  // by node
  /// By node: ZooKeeper holds a live session created from it (brokers, and consumers when the
  /// model gives them one); false for ZooKeeper itself.
  std::vector<bool> zk_session;
  std::vector<PartitionStatus> partitions;  // by partition, in ClusterStates::partitions order
};

struct ClusterStates {
  std::vector<std::string> nodes;       // endpoints, in the network's order
  std::vector<std::string> kinds;       // "broker", "zookeeper", "producer", "consumer"
  std::vector<std::string> partitions;  // "orders-0", in the layout's order
  std::vector<std::vector<std::uint32_t>> replicas;  // by partition: the assignment (nodes)
  std::vector<ClusterState> samples;                 // by time
};

/// Every run's cluster states as JSON: [{"acks", "seed", "nodes", "kinds", "partitions",
/// "replicas", "samples": [{"t", "controller", "status": "uup d", "zk": "1101",
/// "partitions": [[leader, epoch, [isr...]], ...]}]}], in the runs' order. Status letters:
/// u up, p paused, d down.
std::string cluster_states_json(const std::vector<RunResult>& runs);

}  // namespace kafkasim
