// Private to the loader: the rows of the table of simulated Kafka settings (config_table.cpp)
// and the typed field each one fills.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "kafkasim/scenario/broker_config.h"
#include "kafkasim/scenario/consumer_config.h"
#include "kafkasim/scenario/producer_config.h"
#include "kafkasim/scenario/topic_config.h"

namespace kafkasim::scenario_detail {

/// How an integer setting maps to a Duration field.
enum class Unit { none, ms, seconds };

/// A pointer to the typed field a setting fills.
template <class C>
using FieldRef = std::variant<std::int32_t C::*, std::int64_t C::*, bool C::*, Duration C::*,
                              std::optional<Duration> C::*, std::optional<std::int32_t> C::*,
                              std::optional<std::int64_t> C::*, std::optional<bool> C::*,
                              AckMode C::*, OffsetReset C::*, AssignmentStrategy C::*>;

template <class C>
struct Entry {
  std::string_view name;
  std::int64_t min;
  std::int64_t max;
  FieldRef<C> field;
  Unit unit;
  std::string_view doc;
};

/// Valid spellings of the string-valued settings.
inline const std::vector<std::string_view> kOffsetResets{"earliest", "latest", "none"};
/// Kafka takes class names; the short forms are ours.
inline const std::vector<std::string_view> kAssignors{
    "range",
    "roundrobin",
    "sticky",
    "org.apache.kafka.clients.consumer.RangeAssignor",
    "org.apache.kafka.clients.consumer.RoundRobinAssignor",
    "org.apache.kafka.clients.consumer.StickyAssignor"};
inline const std::vector<std::string_view> kKafkaAcks{"all", "-1", "0", "1"};

const std::vector<Entry<BrokerConfig>>& broker_entries();
const std::vector<Entry<TopicConfig>>& topic_entries();
const std::vector<Entry<ProducerConfig>>& producer_entries();
const std::vector<Entry<ConsumerConfig>>& consumer_entries();

}  // namespace kafkasim::scenario_detail
