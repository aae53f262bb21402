// Private to the loader: filling the typed Kafka configs from a JSON object of Kafka names,
// through the table of config_table.cpp.
#pragma once

#include <set>
#include <string>

#include "json_reader.h"
#include "kafkasim/scenario/broker_config.h"
#include "kafkasim/scenario/consumer_config.h"
#include "kafkasim/scenario/producer_config.h"
#include "kafkasim/scenario/topic_config.h"

namespace kafkasim::scenario_detail {

template <class Config>
struct ParsedConfig {
  Config config;
  /// The modeled names the scenario set (for checks that depend on what the user wrote).
  std::set<std::string> explicitly_set;
};

/// `value` may be null (the key is absent): then every setting keeps its default.
ParsedConfig<BrokerConfig> parse_broker_config(const Json* value, const std::string& pointer,
                                               Diagnostics& diagnostics);
ParsedConfig<TopicConfig> parse_topic_config(const Json* value, const std::string& pointer,
                                             Diagnostics& diagnostics);
ParsedConfig<ProducerConfig> parse_producer_config(const Json* value, const std::string& pointer,
                                                   Diagnostics& diagnostics);
ParsedConfig<ConsumerConfig> parse_consumer_config(const Json* value, const std::string& pointer,
                                                   Diagnostics& diagnostics);

}  // namespace kafkasim::scenario_detail
