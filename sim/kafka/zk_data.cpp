// The znodes of Kafka 2.4 (core/src/main/scala/kafka/zk/ZkData.scala), encoded with
// nlohmann::ordered_json so that fields come out in the order Kafka writes them. Kafka builds
// each JSON object from a Scala Map and lets Jackson write it: maps of up to four entries keep
// their insertion order, larger ones come out in hash order, which the encoders below copy
// from what Kafka 2.4 brokers leave in ZooKeeper. JSON readers, Kafka's included, ignore the order.
#include "kafkasim/kafka/zk_data.h"

#include <charconv>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

namespace kafkasim {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

/// The JSON object in `data`, or nullopt if it is not valid JSON or not an object (Kafka's
/// Json.parseBytes gives None for the first; `asJsonObject` throws for the second).
std::optional<json> parse_object(std::string_view data) {
  json parsed = json::parse(data.begin(), data.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

/// A JSON integer that fits an Int (Kafka's `.to[Int]`).
std::optional<std::int32_t> as_int32(const json& value) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max()))
      return std::nullopt;
    return static_cast<std::int32_t>(v);
  }
  if (!value.is_number_integer()) return std::nullopt;
  const auto v = value.get<std::int64_t>();
  if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max())
    return std::nullopt;
  return static_cast<std::int32_t>(v);
}

std::optional<std::int32_t> int32_field(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  return as_int32(*it);
}

/// A JSON array of Ints as broker ids (a replica list or an ISR).
std::optional<std::vector<BrokerId>> broker_list(const json& value) {
  if (!value.is_array()) return std::nullopt;
  std::vector<BrokerId> result;
  for (const json& element : value) {
    const std::optional<std::int32_t> id = as_int32(element);
    if (!id) return std::nullopt;
    result.emplace_back(*id);
  }
  return result;
}

json::array_t to_json_list(const std::vector<BrokerId>& brokers) {
  json::array_t list;
  for (const BrokerId b : brokers)
    list.emplace_back(b.value());
  return list;
}

/// Decimal text as written by Java's toString, all of it; nullopt for anything else.
template <class Int>
std::optional<Int> parse_decimal(std::string_view text) {
  Int value{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

/// A partition number as Kafka writes it in paths and map keys: digits, no sign, no leading
/// zero, so that parsing a built path gives back what built it.
std::optional<std::int32_t> parse_partition(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text.front() == '0') || text.front() == '-')
    return std::nullopt;
  return parse_decimal<std::int32_t>(text);
}

}  // namespace

bool is_legal_topic_name(std::string_view topic) {
  if (topic.empty() || topic.size() > 249 || topic == "." || topic == "..") return false;
  for (const char c : topic) {
    const bool legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
    if (!legal) return false;
  }
  return true;
}

std::int64_t zk_timestamp_ms(Instant now) {
  return now.ns() / 1'000'000;
}

// --- /controller and /controller_epoch -------------------------------------------------------

std::string ControllerZNode::encode(BrokerId broker_id, Instant now) {
  // Kafka writes the timestamp as a string (ControllerZNode.encode: timestamp.toString).
  const ordered_json j = {{"version", 1},
                          {"brokerid", broker_id.value()},
                          {"timestamp", std::to_string(zk_timestamp_ms(now))}};
  return j.dump();
}

std::optional<BrokerId> ControllerZNode::decode(std::string_view data) {
  // Kafka reads only "brokerid" (KafkaZkClient.getControllerId).
  const std::optional<json> j = parse_object(data);
  if (!j) return std::nullopt;
  const std::optional<std::int32_t> id = int32_field(*j, "brokerid");
  if (!id) return std::nullopt;
  return BrokerId(*id);
}

std::string ControllerEpochZNode::encode(ControllerEpoch epoch) {
  return std::to_string(epoch.value());
}

std::optional<ControllerEpoch> ControllerEpochZNode::decode(std::string_view data) {
  const std::optional<std::int32_t> epoch = parse_decimal<std::int32_t>(data);
  if (!epoch) return std::nullopt;
  return ControllerEpoch(*epoch);
}

// --- /brokers/ids/<id> ---------------------------------------------------------------------

BrokerInfo BrokerInfo::registration(BrokerId id, std::optional<std::string> rack, Instant now) {
  BrokerInfo info;
  info.id = id;
  info.host = broker_name(id);
  info.rack = std::move(rack);
  info.timestamp_ms = zk_timestamp_ms(now);
  return info;
}

std::string BrokerIdZNode::path(BrokerId id) {
  return BrokerIdsZNode::path() + "/" + std::to_string(id.value());
}

std::optional<BrokerId> BrokerIdZNode::parse_id(std::string_view child_or_path) {
  std::string_view name = child_or_path;
  if (!name.empty() && name.front() == '/') {
    const std::string parent = BrokerIdsZNode::path() + "/";
    if (!name.starts_with(parent)) return std::nullopt;
    name.remove_prefix(parent.size());
  }
  const std::optional<std::int32_t> id = parse_decimal<std::int32_t>(name);
  if (!id || *id < 0) return std::nullopt;
  return BrokerId(*id);
}

std::string BrokerIdZNode::encode(const BrokerInfo& info) {
  // BrokerIdZNode.encode, version 4, one PLAINTEXT listener. The field order is that of the
  // registrations Kafka 2.x brokers write (a Scala HashMap's order, which Jackson keeps).
  const std::string endpoint = "PLAINTEXT://" + info.host + ":" + std::to_string(info.port);
  ordered_json j;
  j["listener_security_protocol_map"] = {{"PLAINTEXT", "PLAINTEXT"}};
  j["endpoints"] = json::array_t{endpoint};
  if (info.rack) j["rack"] = *info.rack;
  j["jmx_port"] = info.jmx_port;
  j["host"] = info.host;
  j["timestamp"] = std::to_string(info.timestamp_ms);
  j["port"] = info.port;
  j["version"] = info.version;
  return j.dump();
}

namespace {

struct HostPort {
  std::string host;
  std::int32_t port = -1;
};

/// EndPoint.createEndPoint's split of "<listener>://<host>:<port>" (IPv6 hosts in brackets).
std::optional<std::pair<std::string, HostPort>> parse_endpoint(std::string_view text) {
  const std::size_t scheme_end = text.find("://");
  const std::size_t colon = text.rfind(':');
  if (scheme_end == std::string_view::npos || colon <= scheme_end + 2) return std::nullopt;
  std::string_view host = text.substr(scheme_end + 3, colon - scheme_end - 3);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::optional<std::int32_t> port = parse_decimal<std::int32_t>(text.substr(colon + 1));
  if (!port) return std::nullopt;
  return std::pair{std::string(text.substr(0, scheme_end)), HostPort{std::string(host), *port}};
}

/// The PLAINTEXT endpoint of a v2+ registration (the one Kafka also writes as the top-level
/// host and port), else the first; nullopt if the endpoints are malformed or there are none.
std::optional<HostPort> plaintext_endpoint(const json& j) {
  const auto endpoints = j.find("endpoints");
  if (endpoints == j.end() || !endpoints->is_array()) return std::nullopt;
  const auto protocols = j.find("listener_security_protocol_map");
  if (protocols != j.end() && !protocols->is_object()) return std::nullopt;
  std::optional<HostPort> first;
  for (const json& e : *endpoints) {
    if (!e.is_string()) return std::nullopt;
    auto parsed = parse_endpoint(e.get<std::string>());
    if (!parsed) return std::nullopt;
    auto& [listener, host_port] = *parsed;
    std::string protocol = listener;  // without a map, the listener is named after its protocol
    if (protocols != j.end() && protocols->contains(listener) && (*protocols)[listener].is_string())
      protocol = (*protocols)[listener].get<std::string>();
    if (protocol == "PLAINTEXT") return host_port;
    if (!first) first = host_port;
  }
  return first;
}

}  // namespace

std::optional<BrokerInfo> BrokerIdZNode::decode(BrokerId id, std::string_view data) {
  // BrokerIdZNode.decode: version and jmx_port are required; version 1 has only host and port,
  // later versions list endpoints; rack may be absent or null. Kafka ignores the timestamp, and
  // so a missing or unreadable one reads as 0 here.
  const std::optional<json> j = parse_object(data);
  if (!j) return std::nullopt;
  BrokerInfo info;
  info.id = id;
  const std::optional<std::int32_t> version = int32_field(*j, "version");
  const std::optional<std::int32_t> jmx_port = int32_field(*j, "jmx_port");
  if (!version || *version < 1 || !jmx_port) return std::nullopt;
  info.version = *version;
  info.jmx_port = *jmx_port;
  std::optional<HostPort> host_port;
  if (*version == 1) {
    const auto host = j->find("host");
    const std::optional<std::int32_t> port = int32_field(*j, "port");
    if (host != j->end() && host->is_string() && port)
      host_port = HostPort{host->get<std::string>(), *port};
  } else {
    host_port = plaintext_endpoint(*j);
  }
  if (!host_port) return std::nullopt;
  info.host = host_port->host;
  info.port = host_port->port;
  if (const auto rack = j->find("rack"); rack != j->end() && !rack->is_null()) {
    if (!rack->is_string()) return std::nullopt;
    info.rack = rack->get<std::string>();
  }
  if (const auto ts = j->find("timestamp"); ts != j->end() && ts->is_string())
    info.timestamp_ms = parse_decimal<std::int64_t>(ts->get<std::string>()).value_or(0);
  return info;
}

// --- /brokers/topics/<topic> -----------------------------------------------------------------

std::string TopicZNode::path(std::string_view topic) {
  return TopicsZNode::path() + "/" + std::string(topic);
}

std::string TopicZNode::encode(const Assignment& assignment) {
  // Kafka 2.4 writes version 2 (KIP-455), with the replicas a reassignment is adding and
  // removing; the model never reassigns, so those maps are empty. Partitions in numeric order.
  ordered_json partitions = ordered_json::object();
  // The keys are unique (the map's): append them to the object's vector directly. Its
  // operator[] would first search the keys so far, one by one, for each partition: n² string
  // compares for a topic of n partitions (50 million at 10,000).
  auto& entries = static_cast<ordered_json::object_t::Container&>(
      partitions.get_ref<ordered_json::object_t&>());
  entries.reserve(assignment.size());
  for (const auto& [partition, replicas] : assignment)
    entries.emplace_back(std::to_string(partition), to_json_list(replicas));
  ordered_json j;
  j["version"] = 2;
  j["partitions"] = std::move(partitions);
  j["adding_replicas"] = ordered_json::object();
  j["removing_replicas"] = ordered_json::object();
  return j.dump();
}

std::optional<TopicZNode::Assignment> TopicZNode::decode(std::string_view data) {
  // TopicZNode.decode: without "partitions" the assignment is empty.
  const std::optional<json> j = parse_object(data);
  if (!j) return std::nullopt;
  Assignment assignment;
  const auto partitions = j->find("partitions");
  if (partitions == j->end()) return assignment;
  if (!partitions->is_object()) return std::nullopt;
  for (const auto& [key, value] : partitions->items()) {
    const std::optional<std::int32_t> partition = parse_partition(key);
    std::optional<std::vector<BrokerId>> replicas = broker_list(value);
    if (!partition || !replicas) return std::nullopt;
    assignment.emplace(*partition, std::move(*replicas));
  }
  return assignment;
}

std::string TopicPartitionsZNode::path(std::string_view topic) {
  return TopicZNode::path(topic) + "/partitions";
}

std::string TopicPartitionZNode::path(const ZkTopicPartition& tp) {
  return TopicPartitionsZNode::path(tp.topic) + "/" + std::to_string(tp.partition);
}

// --- /brokers/topics/<topic>/partitions/<p>/state --------------------------------------------

std::string TopicPartitionStateZNode::path(const ZkTopicPartition& tp) {
  return TopicPartitionZNode::path(tp) + "/state";
}

std::optional<ZkTopicPartition> TopicPartitionStateZNode::parse_path(std::string_view path) {
  const std::string prefix = TopicsZNode::path() + "/";
  constexpr std::string_view kMiddle = "/partitions/";
  constexpr std::string_view kSuffix = "/state";
  if (!path.starts_with(prefix) || !path.ends_with(kSuffix)) return std::nullopt;
  std::string_view rest = path.substr(prefix.size(), path.size() - prefix.size() - kSuffix.size());
  // A topic name has no '/', so the first one ends it.
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view topic = rest.substr(0, slash);
  rest.remove_prefix(slash);
  if (!is_legal_topic_name(topic) || !rest.starts_with(kMiddle)) return std::nullopt;
  const std::optional<std::int32_t> partition = parse_partition(rest.substr(kMiddle.size()));
  if (!partition) return std::nullopt;
  return ZkTopicPartition{std::string(topic), *partition};
}

std::string TopicPartitionStateZNode::encode(const LeaderIsrAndControllerEpoch& state) {
  // TopicPartitionStateZNode.encode: a five-entry Scala Map, which Jackson writes in this order.
  const LeaderAndIsr& l = state.leader_and_isr;
  ordered_json j;
  j["controller_epoch"] = state.controller_epoch.value();
  j["leader"] = l.leader.value();
  j["version"] = 1;
  j["leader_epoch"] = l.leader_epoch.value();
  j["isr"] = to_json_list(l.isr);
  return j.dump();
}

std::optional<LeaderIsrAndControllerEpoch> TopicPartitionStateZNode::decode(std::string_view data,
                                                                            ZkVersion zk_version) {
  const std::optional<json> j = parse_object(data);
  if (!j) return std::nullopt;
  const std::optional<std::int32_t> leader = int32_field(*j, "leader");
  const std::optional<std::int32_t> leader_epoch = int32_field(*j, "leader_epoch");
  const std::optional<std::int32_t> controller_epoch = int32_field(*j, "controller_epoch");
  const auto isr_field = j->find("isr");
  if (!leader || !leader_epoch || !controller_epoch || isr_field == j->end()) return std::nullopt;
  std::optional<std::vector<BrokerId>> isr = broker_list(*isr_field);
  if (!isr) return std::nullopt;
  return LeaderIsrAndControllerEpoch{
      LeaderAndIsr{BrokerId(*leader), LeaderEpoch(*leader_epoch), std::move(*isr), zk_version},
      ControllerEpoch(*controller_epoch)};
}

// --- /isr_change_notification/isr_change_<seq> -----------------------------------------------

std::string IsrChangeNotificationSequenceZNode::path(std::string_view sequence_number) {
  return IsrChangeNotificationZNode::path() + "/" + std::string(kSequenceNumberPrefix) +
         std::string(sequence_number);
}

std::string IsrChangeNotificationSequenceZNode::sequence_number(std::string_view path) {
  const std::size_t at = path.rfind(kSequenceNumberPrefix);
  if (at == std::string_view::npos) return {};
  return std::string(path.substr(at + kSequenceNumberPrefix.size()));
}

std::string IsrChangeNotificationSequenceZNode::encode(
    const std::vector<ZkTopicPartition>& partitions) {
  // IsrChangeNotificationHandler.Version = 1; each partition a two-entry map, topic first.
  ordered_json::array_t list;
  for (const ZkTopicPartition& tp : partitions)
    list.push_back(ordered_json{{"topic", tp.topic}, {"partition", tp.partition}});
  const ordered_json j = {{"version", 1}, {"partitions", std::move(list)}};
  return j.dump();
}

std::optional<std::vector<ZkTopicPartition>> IsrChangeNotificationSequenceZNode::decode(
    std::string_view data) {
  const std::optional<json> j = parse_object(data);
  if (!j) return std::nullopt;
  const auto partitions = j->find("partitions");
  if (partitions == j->end() || !partitions->is_array()) return std::nullopt;
  std::vector<ZkTopicPartition> result;
  for (const json& p : *partitions) {
    if (!p.is_object()) return std::nullopt;
    const auto topic = p.find("topic");
    const std::optional<std::int32_t> partition = int32_field(p, "partition");
    if (topic == p.end() || !topic->is_string() || !partition) return std::nullopt;
    result.push_back(ZkTopicPartition{topic->get<std::string>(), *partition});
  }
  return result;
}

// --- Paths made at startup -------------------------------------------------------------------

std::vector<std::string> persistent_zk_paths() {
  // ZkData.PersistentZkPaths in Kafka 2.4, then ConfigType.all mapped to ConfigEntityTypeZNode.
  const std::vector<std::string> kafka_paths = {"/consumers",
                                                "/brokers/ids",
                                                "/brokers/topics",
                                                "/config/changes",
                                                DeleteTopicsZNode::path(),
                                                "/brokers/seqid",
                                                IsrChangeNotificationZNode::path(),
                                                "/latest_producer_id_block",
                                                "/log_dir_event_notification",
                                                "/config/topics",
                                                "/config/clients",
                                                "/config/users",
                                                "/config/brokers"};
  std::vector<std::string> result;
  std::set<std::string> listed;
  for (const std::string& path : kafka_paths) {
    // Parents first, as KafkaZkClient.createRecursive creates them.
    for (std::size_t slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      const std::string parent = path.substr(0, slash);
      if (listed.insert(parent).second) result.push_back(parent);
    }
    if (listed.insert(path).second) result.push_back(path);
  }
  return result;
}

}  // namespace kafkasim
