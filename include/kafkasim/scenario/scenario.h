// A scenario file as typed values (SPEC.md "Scenario file"). The loader (loader.h) builds it
// from JSON and validates it; nothing here knows about JSON.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kafkasim/core/time.h"
#include "kafkasim/network/network_spec.h"
#include "kafkasim/scenario/ack_mode.h"
#include "kafkasim/scenario/cluster.h"
#include "kafkasim/scenario/consumer.h"
#include "kafkasim/scenario/fault.h"
#include "kafkasim/scenario/lesson.h"
#include "kafkasim/scenario/producer.h"
#include "kafkasim/scenario/topic.h"

namespace kafkasim {

struct Scenario {
  std::string name;
  std::string description;
  /// The path it was loaded from, or the label given to load_scenario_text.
  std::string file;
  std::uint64_t seed = 1;
  /// Producers send during [0, duration).
  Duration duration{0};
  /// After duration every fault ends; the cluster settles this long before the final read.
  Duration settle = std::chrono::milliseconds(30000);
  /// Modes to compare when the command line does not say (default async, isr, sync).
  std::vector<AckMode> acks{AckMode::async, AckMode::isr, AckMode::sync};
  ClusterSpec cluster;
  /// With switches, every broker, zookeeper and client named in no link was given a link to
  /// the first switch with the default latency by the loader, so the graph is complete here.
  NetworkSpec network;
  std::vector<TopicSpec> topics;
  std::vector<ProducerSpec> producers;
  std::vector<ConsumerGroupSpec> consumers;
  std::vector<Fault> faults;
  /// For teaching: the question, the predictions to ask for, what to observe (optional).
  std::optional<Lesson> lesson;

  const TopicSpec* find_topic(std::string_view topic_name) const;
  /// Every node name in a fixed order: brokers by id, zookeeper, producers, consumer members
  /// (not switches).
  std::vector<std::string> endpoint_names() const;
};

}  // namespace kafkasim
