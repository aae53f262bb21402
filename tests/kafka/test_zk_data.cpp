// ZooKeeper data codecs: the bytes Kafka 2.4 writes (kafka/zk/ZkData.scala), round trips,
// Kafka's own decode cases (BrokerEndPointTest), path builders and parsers, malformed input.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "kafkasim/kafka/zk_data.h"

using namespace kafkasim;
using namespace std::chrono_literals;

namespace {
std::vector<BrokerId> ids(std::initializer_list<std::int32_t> values) {
  std::vector<BrokerId> result;
  for (const std::int32_t v : values)
    result.emplace_back(v);
  return result;
}
const Instant t = Instant::start() + 1234567ms + 890us;  // 1234567.89 ms: written as 1234567
}  // namespace

TEST_CASE("/controller holds {version, brokerid, timestamp}, the timestamp a string") {
  CHECK(ControllerZNode::path() == "/controller");
  const std::string data = ControllerZNode::encode(BrokerId(2), t);
  CHECK(data == R"({"version":1,"brokerid":2,"timestamp":"1234567"})");
  CHECK(ControllerZNode::decode(data) == BrokerId(2));
  CHECK(ControllerZNode::decode(R"({"brokerid":5})") == BrokerId(5));
}

TEST_CASE("/controller_epoch holds the epoch as text") {
  CHECK(ControllerEpochZNode::path() == "/controller_epoch");
  CHECK(ControllerEpochZNode::encode(ControllerEpoch(17)) == "17");
  CHECK(ControllerEpochZNode::decode("17") == ControllerEpoch(17));
  CHECK_FALSE(ControllerEpochZNode::decode(""));
  CHECK_FALSE(ControllerEpochZNode::decode("17 "));
  CHECK_FALSE(ControllerEpochZNode::decode("x"));
  CHECK_FALSE(ControllerEpochZNode::decode("99999999999"));
}

TEST_CASE("/brokers/ids/<id> holds a version 4 registration at simulated time") {
  CHECK(BrokerIdZNode::path(BrokerId(3)) == "/brokers/ids/3");
  const BrokerInfo info = BrokerInfo::registration(BrokerId(3), std::nullopt, t);
  CHECK(info.host == "broker-3");
  CHECK(info.port == 9092);
  CHECK(info.timestamp_ms == 1234567);
  const std::string data = BrokerIdZNode::encode(info);
  CHECK(data == R"({"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},)"
                R"("endpoints":["PLAINTEXT://broker-3:9092"],"jmx_port":-1,"host":"broker-3",)"
                R"("timestamp":"1234567","port":9092,"version":4})");
  CHECK(BrokerIdZNode::decode(BrokerId(3), data) == info);

  const BrokerInfo racked = BrokerInfo::registration(BrokerId(1), "eu-west-1a", t);
  const std::string racked_data = BrokerIdZNode::encode(racked);
  CHECK(racked_data.find(R"("rack":"eu-west-1a")") != std::string::npos);
  CHECK(BrokerIdZNode::decode(BrokerId(1), racked_data) == racked);
}

TEST_CASE("BrokerEndPointTest: registrations written by other Kafka versions") {
  // testFromJsonV4WithNullRack and testFromJsonV4WithNoRack: the PLAINTEXT listener is
  // REPLICATION here, on port 9093.
  const std::string v4_null_rack = R"({
      "version":4, "host":"localhost", "port":9092, "jmx_port":9999,
      "timestamp":"2233345666",
      "endpoints":["CLIENT://host1:9092", "REPLICATION://host1:9093"],
      "listener_security_protocol_map":{"CLIENT":"SSL", "REPLICATION":"PLAINTEXT"},
      "rack":null})";
  const std::optional<BrokerInfo> a = BrokerIdZNode::decode(BrokerId(1), v4_null_rack);
  REQUIRE(a);
  CHECK(a->id == BrokerId(1));
  CHECK(a->host == "host1");
  CHECK(a->port == 9093);
  CHECK(a->rack == std::nullopt);
  CHECK(a->jmx_port == 9999);
  CHECK(a->timestamp_ms == 2233345666);
  // testFromJsonV3: listeners named after their protocols, a rack.
  const std::string v3 = R"({"version":3,"host":"localhost","port":9092,"jmx_port":9999,
      "timestamp":"2233345666","endpoints":["PLAINTEXT://host1:9092","SSL://host1:9093"],
      "rack":"dc1"})";
  const std::optional<BrokerInfo> b = BrokerIdZNode::decode(BrokerId(1), v3);
  REQUIRE(b);
  CHECK(b->port == 9092);
  CHECK(b->rack == "dc1");
  // testFromJsonV1, Kafka's string: host and port only.
  const std::optional<BrokerInfo> c = BrokerIdZNode::decode(
      BrokerId(1),
      R"({"jmx_port":-1,"timestamp":"1420485325400","host":"172.16.8.243","version":1,"port":9091})");
  REQUIRE(c);
  CHECK(c->host == "172.16.8.243");
  CHECK(c->port == 9091);
  CHECK(c->timestamp_ms == 1420485325400);
  // testFromJsonV2.
  const std::optional<BrokerInfo> d = BrokerIdZNode::decode(
      BrokerId(1), R"({"version":2,"host":"localhost","port":9092,"jmx_port":9999,
      "timestamp":"1416974968782","endpoints":["PLAINTEXT://localhost:9092"]})");
  REQUIRE(d);
  CHECK(d->host == "localhost");
  CHECK(d->port == 9092);
  // testFromJsonFutureVersion: unknown fields and versions are read; no PLAINTEXT listener, so
  // the first endpoint.
  const std::optional<BrokerInfo> e = BrokerIdZNode::decode(
      BrokerId(1), R"({"foo":"bar","version":100,"host":"localhost","port":9092,"jmx_port":9999,
      "timestamp":"1416974968782","endpoints":["SSL://localhost:9093"]})");
  REQUIRE(e);
  CHECK(e->port == 9093);
  CHECK(e->version == 100);
  // testEndpointFromUri: IPv6 hosts in brackets.
  const std::optional<BrokerInfo> f = BrokerIdZNode::decode(
      BrokerId(1),
      R"({"version":4,"jmx_port":-1,"endpoints":["PLAINTEXT://[fe80::b1da:69ca:57f7:63d8%3]:9092"]})");
  REQUIRE(f);
  CHECK(f->host == "fe80::b1da:69ca:57f7:63d8%3");
  CHECK(f->port == 9092);
}

TEST_CASE("broker ids parse from child names and paths") {
  CHECK(BrokerIdZNode::parse_id("3") == BrokerId(3));
  CHECK(BrokerIdZNode::parse_id("/brokers/ids/12") == BrokerId(12));
  CHECK_FALSE(BrokerIdZNode::parse_id(""));
  CHECK_FALSE(BrokerIdZNode::parse_id("-1"));
  CHECK_FALSE(BrokerIdZNode::parse_id("3a"));
  CHECK_FALSE(BrokerIdZNode::parse_id("/brokers/topics/3"));
  CHECK_FALSE(BrokerIdZNode::parse_id("/brokers/ids/"));
}

TEST_CASE("/brokers/topics/<topic> holds the version 2 assignment of 2.4 (KIP-455)") {
  CHECK(TopicsZNode::path() == "/brokers/topics");
  CHECK(TopicZNode::path("orders") == "/brokers/topics/orders");
  const TopicZNode::Assignment assignment = {
      {0, ids({1, 2, 3})}, {1, ids({2, 3, 1})}, {2, ids({3, 1, 2})}};
  const std::string data = TopicZNode::encode(assignment);
  CHECK(data == R"({"version":2,"partitions":{"0":[1,2,3],"1":[2,3,1],"2":[3,1,2]},)"
                R"("adding_replicas":{},"removing_replicas":{}})");
  CHECK(TopicZNode::decode(data) == assignment);
  // Many partitions: each once, in numeric order (the map's), "10" after "9".
  TopicZNode::Assignment many;
  for (std::int32_t p = 0; p < 12; ++p)
    many.emplace(p, ids({p % 3 + 1}));
  const std::string many_data = TopicZNode::encode(many);
  CHECK(many_data.find(R"("8":[3],"9":[1],"10":[2],"11":[3]},)") != std::string::npos);
  CHECK(TopicZNode::decode(many_data) == many);
  // Before 2.4: version 1, no reassignment fields. Partitions above 9 sort numerically.
  CHECK(TopicZNode::decode(R"({"version":1,"partitions":{"10":[1],"2":[2]}})") ==
        TopicZNode::Assignment{{2, ids({2})}, {10, ids({1})}});
  CHECK(TopicZNode::decode(R"({"version":1})") == TopicZNode::Assignment{});
  CHECK_FALSE(TopicZNode::decode(R"({"partitions":{"x":[1]}})"));
  CHECK_FALSE(TopicZNode::decode(R"({"partitions":{"0":[1,"2"]}})"));
  CHECK_FALSE(TopicZNode::decode(R"({"partitions":[[1,2]]})"));
}

TEST_CASE("partition state: Kafka's bytes and field order, and a round trip") {
  const ZkTopicPartition tp{"orders", 3};
  CHECK(TopicPartitionsZNode::path("orders") == "/brokers/topics/orders/partitions");
  CHECK(TopicPartitionZNode::path(tp) == "/brokers/topics/orders/partitions/3");
  CHECK(TopicPartitionStateZNode::path(tp) == "/brokers/topics/orders/partitions/3/state");
  const LeaderIsrAndControllerEpoch state{
      LeaderAndIsr{BrokerId(1), LeaderEpoch(4), ids({1, 2, 3}), ZkVersion(7)}, ControllerEpoch(2)};
  const std::string data = TopicPartitionStateZNode::encode(state);
  CHECK(data == R"({"controller_epoch":2,"leader":1,"version":1,"leader_epoch":4,"isr":[1,2,3]})");
  // The zkVersion is not in the data: it comes from the read's Stat.
  CHECK(TopicPartitionStateZNode::decode(data, ZkVersion(7)) == state);
  const auto other_version = TopicPartitionStateZNode::decode(data, ZkVersion(8));
  REQUIRE(other_version);
  CHECK(other_version->leader_and_isr.zk_version == ZkVersion(8));
  // No leader: -1, as Kafka writes LeaderAndIsr.NoLeader.
  const LeaderIsrAndControllerEpoch offline{
      LeaderAndIsr{kNoBroker, LeaderEpoch(5), ids({2}), ZkVersion(0)}, ControllerEpoch(3)};
  CHECK(TopicPartitionStateZNode::encode(offline) ==
        R"({"controller_epoch":3,"leader":-1,"version":1,"leader_epoch":5,"isr":[2]})");
  CHECK(TopicPartitionStateZNode::decode(TopicPartitionStateZNode::encode(offline), ZkVersion(0)) ==
        offline);
}

TEST_CASE("partition state paths parse back to (topic, partition)") {
  using P = TopicPartitionStateZNode;
  CHECK(P::parse_path("/brokers/topics/orders/partitions/3/state") ==
        ZkTopicPartition{"orders", 3});
  CHECK(P::parse_path("/brokers/topics/my-topic.v2_x/partitions/0/state") ==
        ZkTopicPartition{"my-topic.v2_x", 0});
  // Topics named like path words are still topics.
  CHECK(P::parse_path("/brokers/topics/partitions/partitions/12/state") ==
        ZkTopicPartition{"partitions", 12});
  for (const ZkTopicPartition& tp :
       {ZkTopicPartition{"a", 0}, ZkTopicPartition{"state", 2147483647},
        ZkTopicPartition{"__consumer_offsets", 49}})
    CHECK(P::parse_path(P::path(tp)) == tp);
  for (const char* bad :
       {"/brokers/topics/orders/partitions/3", "/brokers/topics/orders/state",
        "/brokers/topics//partitions/3/state", "/brokers/topics/orders/partitions//state",
        "/brokers/topics/orders/partitions/-1/state", "/brokers/topics/orders/partitions/03/state",
        "/brokers/topics/orders/partitions/3x/state",
        "/brokers/topics/orders/partitions/99999999999/state",
        "/brokers/topics/or/ders/partitions/3/state", "/brokers/topics/or ders/partitions/3/state",
        "/brokers/topics/../partitions/3/state", "brokers/topics/o/partitions/3/state",
        "/brokers/ids/1", ""}) {
    CAPTURE(bad);
    CHECK_FALSE(P::parse_path(bad));
  }
}

TEST_CASE("ISR change notifications") {
  using N = IsrChangeNotificationSequenceZNode;
  CHECK(IsrChangeNotificationZNode::path() == "/isr_change_notification");
  CHECK(N::path() == "/isr_change_notification/isr_change_");
  CHECK(N::path("0000000012") == "/isr_change_notification/isr_change_0000000012");
  CHECK(N::sequence_number("/isr_change_notification/isr_change_0000000012") == "0000000012");
  CHECK(N::sequence_number("isr_change_0000000003") == "0000000003");
  CHECK(N::sequence_number("/admin") == "");
  const std::vector<ZkTopicPartition> changed = {{"orders", 0}, {"audit-log", 5}};
  const std::string data = N::encode(changed);
  CHECK(data == R"({"version":1,"partitions":[{"topic":"orders","partition":0},)"
                R"({"topic":"audit-log","partition":5}]})");
  CHECK(N::decode(data) == changed);
  CHECK_FALSE(N::decode(R"({"version":1})"));
  CHECK_FALSE(N::decode(R"({"version":1,"partitions":[{"topic":"t"}]})"));
  CHECK_FALSE(N::decode(R"({"version":1,"partitions":[{"topic":1,"partition":0}]})"));
}

TEST_CASE("malformed data is refused, never thrown") {
  const std::vector<std::string> junk = {
      "",
      "{",
      "null",
      "[]",
      "42",
      "\"x\"",
      "{\"a\":}",
      "{}",
      "\xff\xfe",
      R"({"leader":1.5,"leader_epoch":0,"isr":[],"controller_epoch":0})",
      R"({"leader":1,"leader_epoch":0,"isr":[1,2.5],"controller_epoch":0})",
      R"({"leader":1,"leader_epoch":0,"isr":{},"controller_epoch":0})",
      R"({"leader":4294967297,"leader_epoch":0,"isr":[],"controller_epoch":0})",
      R"({"leader":1,"leader_epoch":0,"isr":[1]})"};
  for (const std::string& data : junk) {
    CAPTURE(data);
    CHECK_FALSE(TopicPartitionStateZNode::decode(data, ZkVersion(0)));
    CHECK_FALSE(ControllerZNode::decode(data));
    CHECK_FALSE(BrokerIdZNode::decode(BrokerId(1), data));
    CHECK_FALSE(IsrChangeNotificationSequenceZNode::decode(data));
  }
  CHECK_FALSE(ControllerZNode::decode(R"({"brokerid":"1"})"));
  CHECK_FALSE(BrokerIdZNode::decode(BrokerId(1),
                                    R"({"version":4,"jmx_port":-1,"endpoints":["nonsense"]})"));
  CHECK_FALSE(BrokerIdZNode::decode(BrokerId(1), R"({"version":4,"jmx_port":-1,"endpoints":[]})"));
  CHECK_FALSE(BrokerIdZNode::decode(
      BrokerId(1), R"({"version":4,"jmx_port":-1,"endpoints":["PLAINTEXT://h:1"],"rack":7})"));
  CHECK_FALSE(TopicZNode::decode("[1]"));
}

TEST_CASE("the persistent paths a broker makes at startup, parents first") {
  const std::vector<std::string> paths = persistent_zk_paths();
  CHECK(paths == std::vector<std::string>{"/consumers", "/brokers", "/brokers/ids",
                                          "/brokers/topics", "/config", "/config/changes", "/admin",
                                          "/admin/delete_topics", "/brokers/seqid",
                                          "/isr_change_notification", "/latest_producer_id_block",
                                          "/log_dir_event_notification", "/config/topics",
                                          "/config/clients", "/config/users", "/config/brokers"});
  CHECK(BrokersZNode::path() == "/brokers");
  CHECK(BrokerIdsZNode::path() == "/brokers/ids");
  CHECK(AdminZNode::path() == "/admin");
}

TEST_CASE("Kafka's topic name rule") {
  CHECK(is_legal_topic_name("orders"));
  CHECK(is_legal_topic_name("a.b_c-D9"));
  CHECK(is_legal_topic_name(std::string(249, 'x')));
  CHECK_FALSE(is_legal_topic_name(std::string(250, 'x')));
  CHECK_FALSE(is_legal_topic_name(""));
  CHECK_FALSE(is_legal_topic_name("."));
  CHECK_FALSE(is_legal_topic_name(".."));
  CHECK_FALSE(is_legal_topic_name("a/b"));
  CHECK_FALSE(is_legal_topic_name("a b"));
}
