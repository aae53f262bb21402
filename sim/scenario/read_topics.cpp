// The `topics` section (SPEC.md "topics[]").
#include <limits>

#include "config_parse.h"
#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

constexpr std::int64_t kIntMax = std::numeric_limits<std::int32_t>::max();
// More partitions than this is a typo; each one is simulated with its own replicas.
constexpr std::int64_t kMaxPartitions = 10000;

// Kafka's rule for topic names (clients/.../common/internals/Topic.java): 1 to 249 characters
// of [a-zA-Z0-9._-], and not "." or "..".
bool legal_topic_name(std::string_view name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::vector<std::vector<BrokerId>>> read_assignment(const Json* value,
                                                                  const std::string& pointer,
                                                                  Diagnostics& diagnostics) {
  if (value == nullptr) return std::nullopt;
  const std::string expected = "a list of broker-id lists, one per partition";
  if (!value->is_array() || value->empty()) {
    diagnostics.error(pointer, describe(*value), expected);
    return std::nullopt;
  }
  std::vector<std::vector<BrokerId>> assignment;
  for (std::size_t p = 0; p < value->size(); ++p) {
    const Json& replicas = (*value)[p];
    const std::string at = pointer_child(pointer, p);
    if (!replicas.is_array() || replicas.empty()) {
      diagnostics.error(at, describe(replicas), "a non-empty list of broker ids");
      return std::nullopt;
    }
    std::vector<BrokerId> ids;
    for (std::size_t r = 0; r < replicas.size(); ++r) {
      const auto id = read_integer(replicas[r], pointer_child(at, r), diagnostics, 1, kIntMax);
      if (!id) return std::nullopt;
      ids.emplace_back(static_cast<std::int32_t>(*id));
    }
    assignment.push_back(std::move(ids));
  }
  return assignment;
}

// KIP-464 (Kafka 2.4): a topic created without partitions or a replication factor takes the
// broker's num.partitions and default.replication.factor; with an assignment, its shape says.
void fill_shape(TopicSpec& topic, const ObjectReader& reader, const BrokerConfig& broker) {
  const auto partitions = reader.integer("partitions", 1, kMaxPartitions);
  const auto rf = reader.integer("replication_factor", 1, kIntMax);
  topic.partitions = broker.num_partitions;
  topic.replication_factor = broker.default_replication_factor;
  if (topic.assignment) {
    topic.partitions = static_cast<std::int32_t>(topic.assignment->size());
    topic.replication_factor = static_cast<std::int32_t>(topic.assignment->front().size());
  }
  if (partitions) topic.partitions = static_cast<std::int32_t>(*partitions);
  if (rf) topic.replication_factor = static_cast<std::int32_t>(*rf);
}

Item<TopicSpec> read_topic(const Json& value, const std::string& pointer, const Draft& draft,
                           Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  const ObjectReader reader(value, pointer, diagnostics,
                            {"name", "partitions", "replication_factor", "config", "assignment"});
  Item<TopicSpec> item{{}, pointer, false};
  if (!reader.is_object()) return item;
  TopicSpec& topic = item.value;
  if (auto name = reader.string("name", Need::required)) {
    topic.name = *name;
    if (!legal_topic_name(*name)) {
      diagnostics.error(reader.pointer_of("name"), describe(value["name"]),
                        "1 to 249 characters of a-z, A-Z, 0-9, '.', '_', '-' (Kafka's rule)");
    }
  }
  topic.assignment =
      read_assignment(reader.find("assignment"), reader.pointer_of("assignment"), diagnostics);
  fill_shape(topic, reader, draft.scenario.cluster.broker_config);
  topic.config =
      parse_topic_config(reader.find("config"), reader.pointer_of("config"), diagnostics).config;
  item.complete = no_new_errors(diagnostics, errors_before);
  return item;
}

}  // namespace

void read_topics(const Json* value, Draft& draft, Diagnostics& diagnostics) {
  const Json* topics = as_array(value, "/topics", diagnostics, "a list of topics");
  if (topics == nullptr) return;
  if (topics->empty()) diagnostics.error("/topics", "[]", "at least one topic");
  for (std::size_t i = 0; i < topics->size(); ++i) {
    draft.topics.push_back(
        read_topic((*topics)[i], pointer_child("/topics", i), draft, diagnostics));
  }
}

}  // namespace kafkasim::scenario_detail
