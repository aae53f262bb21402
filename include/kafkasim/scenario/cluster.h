// The `cluster` section of a scenario (SPEC.md "cluster").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kafkasim/core/strong_id.h"
#include "kafkasim/core/time.h"
#include "kafkasim/random/distribution.h"
#include "kafkasim/scenario/broker_config.h"

namespace kafkasim {

struct BrokerSpec {
  BrokerId id;
  /// broker.rack; Kafka requires racks on all brokers or none (AdminUtils rack-aware assignment).
  std::optional<std::string> rack;

  /// "broker-<id>".
  std::string node_name() const;
};

/// How a broker that becomes follower truncates its log (SPEC.md "truncation").
enum class Truncation {
  leader_epoch,    // Kafka 0.11+ (KIP-101, KIP-279): OffsetsForLeaderEpoch, then truncate
  high_watermark,  // before 0.11: truncate to the broker's own high watermark
};

std::string_view to_string(Truncation truncation);

struct ClusterSpec {
  using ms = std::chrono::milliseconds;

  /// From `brokers`: a count N gives ids 1..N without racks. Sorted by id.
  std::vector<BrokerSpec> brokers;
  BrokerConfig broker_config;
  /// Time one request-handler thread spends on a produce request (default 0.05 ms: an append
  /// to the page cache of a small batch).
  Dist produce_time_ms = Dist::constant(0.05);
  /// Time one request-handler thread spends on a fetch request (default 0.02 ms).
  Dist fetch_time_ms = Dist::constant(0.02);
  /// One fsync (default constant 5 ms, a SATA SSD or a battery-backed RAID cache).
  Dist flush_time_ms = Dist::constant(5);
  Truncation truncation = Truncation::leader_epoch;
  /// `zookeeper_config.tickTime`: ZooKeeper's tick (ZooKeeperServer.DEFAULT_TICK_TIME, 3000 ms:
  /// Kafka 2.4.0's config/zookeeper.properties sets none). Session expiry runs in ticks, and a
  /// client's session timeout is clamped to [2, 20] ticks.
  Duration zookeeper_tick_time = ms(3000);
  /// Our extension, `dirty_expire_ms`: the OS writes back dirty pages older than this
  /// (Linux vm.dirty_expire_centisecs, default 3000 cs). Used by power-loss crashes: what the
  /// kernel wrote back survives even if Kafka never called fsync.
  Duration dirty_expire = ms(30000);
  /// Our extension, `dirty_writeback_ms`: how often the kernel's flusher thread wakes
  /// (Linux vm.dirty_writeback_centisecs, default 500 cs).
  Duration dirty_writeback = ms(5000);
};

}  // namespace kafkasim
