// What Kafka 2.4 keeps in ZooKeeper: the znode paths and the JSON in them, after
// core/src/main/scala/kafka/zk/ZkData.scala. Each Kafka `object XxxZNode` is a struct here with
// the same name and static `path`, `encode` and `decode` functions, so a reader can hold the two
// side by side. Encoders write the bytes Kafka writes, fields in the order Kafka's Jackson
// output shows them; decoders accept what Kafka accepts and give std::nullopt for anything
// malformed (never an exception).
//
// Topics are named by string, as in ZooKeeper; mapping names to the scenario's TopicIndex is
// the caller's business. Timestamps are simulated time in milliseconds, never a wall clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafkasim/core/strong_id.h"
#include "kafkasim/core/time.h"
#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim {

/// A topic-partition named as ZooKeeper names it (Kafka's org.apache.kafka.common.TopicPartition).
struct ZkTopicPartition {
  std::string topic;
  std::int32_t partition = 0;
  // std::strong_ordering, not auto: synthesised from std::string's < and ==, which
  // Emscripten's libc++ (web/) has without string's operator<=>.
  std::strong_ordering operator<=>(const ZkTopicPartition&) const = default;
};

/// Kafka's kafka.api.LeaderAndIsr: a partition's leader, leader epoch and ISR, and the version
/// of the state znode they were read from, which the next conditional update must match.
struct LeaderAndIsr {
  BrokerId leader = kNoBroker;
  LeaderEpoch leader_epoch{0};
  std::vector<BrokerId> isr;
  ZkVersion zk_version{0};  // not in the JSON: the znode's Stat.version
  bool operator==(const LeaderAndIsr&) const = default;
};

/// Kafka's kafka.controller.LeaderIsrAndControllerEpoch: what a partition's state znode holds.
struct LeaderIsrAndControllerEpoch {
  LeaderAndIsr leader_and_isr;
  ControllerEpoch controller_epoch{0};
  bool operator==(const LeaderIsrAndControllerEpoch&) const = default;
};

/// Kafka's kafka.zk.BrokerInfo, reduced to what the model has: one PLAINTEXT listener.
struct BrokerInfo {
  BrokerId id;
  std::string host;
  std::int32_t port = 9092;
  std::optional<std::string> rack;
  std::int32_t jmx_port = -1;  // JMX off, Kafka's default
  std::int64_t timestamp_ms = 0;
  std::int32_t version = 4;  // Kafka 2.4 registers v4 (inter.broker.protocol >= 0.10.0)
  bool operator==(const BrokerInfo&) const = default;

  /// The registration of broker `id` at simulated time `now`: host "broker-<id>", port 9092.
  static BrokerInfo registration(BrokerId id, std::optional<std::string> rack, Instant now);
};

/// Kafka's Time.milliseconds() of the simulated clock: whole milliseconds since the run began.
std::int64_t zk_timestamp_ms(Instant now);

/// /controller, ephemeral: {"version":1,"brokerid":N,"timestamp":"<ms>"}.
struct ControllerZNode {
  static std::string path() { return "/controller"; }
  static std::string encode(BrokerId broker_id, Instant now);
  static std::optional<BrokerId> decode(std::string_view data);
};

/// /controller_epoch, persistent: the epoch as decimal text.
struct ControllerEpochZNode {
  static std::string path() { return "/controller_epoch"; }
  static std::string encode(ControllerEpoch epoch);
  static std::optional<ControllerEpoch> decode(std::string_view data);
};

struct BrokersZNode {
  static std::string path() { return "/brokers"; }
};

/// /brokers/ids, whose children are the live brokers.
struct BrokerIdsZNode {
  static std::string path() { return "/brokers/ids"; }
};

/// /brokers/ids/<id>, ephemeral: the broker's registration (JSON version 4).
struct BrokerIdZNode {
  static std::string path(BrokerId id);
  /// The id in a child name of /brokers/ids ("3") or a full path ("/brokers/ids/3").
  static std::optional<BrokerId> parse_id(std::string_view child_or_path);
  static std::string encode(const BrokerInfo& info);
  static std::optional<BrokerInfo> decode(BrokerId id, std::string_view data);
};

/// /brokers/topics, whose children are the topics.
struct TopicsZNode {
  static std::string path() { return "/brokers/topics"; }
};

/// /brokers/topics/<topic>, persistent: the replica assignment, partition -> replicas.
struct TopicZNode {
  using Assignment = std::map<std::int32_t, std::vector<BrokerId>>;
  static std::string path(std::string_view topic);
  static std::string encode(const Assignment& assignment);
  /// Accepts version 1 (before KIP-455) and version 2; the replicas being added or removed by
  /// a reassignment are not modelled and are ignored.
  static std::optional<Assignment> decode(std::string_view data);
};

struct TopicPartitionsZNode {
  static std::string path(std::string_view topic);
};

struct TopicPartitionZNode {
  static std::string path(const ZkTopicPartition& tp);
};

/// /brokers/topics/<topic>/partitions/<p>/state, persistent: leader, leader epoch, ISR and the
/// controller epoch of the last writer, guarded by the znode's version.
struct TopicPartitionStateZNode {
  static std::string path(const ZkTopicPartition& tp);
  /// ("orders", 3) from "/brokers/topics/orders/partitions/3/state"; nullopt for other paths.
  static std::optional<ZkTopicPartition> parse_path(std::string_view path);
  static std::string encode(const LeaderIsrAndControllerEpoch& state);
  /// `zk_version` is the Stat.version the read returned, kept in the LeaderAndIsr.
  static std::optional<LeaderIsrAndControllerEpoch> decode(std::string_view data,
                                                           ZkVersion zk_version);
};

/// /isr_change_notification, whose sequential children tell the controller of ISR changes.
struct IsrChangeNotificationZNode {
  static std::string path() { return "/isr_change_notification"; }
};

/// /isr_change_notification/isr_change_<seq>, persistent sequential:
/// {"version":1,"partitions":[{"topic":"t","partition":0},...]}.
struct IsrChangeNotificationSequenceZNode {
  static constexpr std::string_view kSequenceNumberPrefix = "isr_change_";
  /// With the default empty number: the path to create sequentially.
  static std::string path(std::string_view sequence_number = "");
  /// The digits after the last "isr_change_" of a child name or path.
  static std::string sequence_number(std::string_view path);
  static std::string encode(const std::vector<ZkTopicPartition>& partitions);
  static std::optional<std::vector<ZkTopicPartition>> decode(std::string_view data);
};

struct AdminZNode {
  static std::string path() { return "/admin"; }
};

struct DeleteTopicsZNode {
  static std::string path() { return "/admin/delete_topics"; }
};

/// Kafka's ZkData.PersistentZkPaths (what a 2.4 broker makes sure exists at startup,
/// KafkaZkClient.createTopLevelPaths), each preceded by any parent not listed before it, so
/// that creating them in order never fails for a missing parent.
std::vector<std::string> persistent_zk_paths();

/// Kafka's topic name rule (clients/.../common/internals/Topic.java): 1 to 249 characters of
/// a-z, A-Z, 0-9, '.', '_', '-', and neither "." nor "..".
bool is_legal_topic_name(std::string_view topic);

}  // namespace kafkasim
