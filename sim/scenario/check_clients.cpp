// Producers and consumer groups against the topics and the run's duration.
#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

const Item<TopicSpec>* find_topic(const Draft& draft, const std::string& name) {
  for (const auto& t : draft.topics) {
    if (t.value.name == name) return &t;
  }
  return nullptr;
}

void check_producer_timing(const Draft& draft, const Item<ProducerSpec>& item,
                           Diagnostics& diagnostics) {
  if (!draft.duration_known) return;
  const Instant end = Instant::start() + draft.scenario.duration;
  const ProducerSpec& p = item.value;
  if (p.start >= end) {
    diagnostics.warning(pointer_child(item.pointer, "start_ms"), ms_text(p.start),
                        "a time before duration_ms (" + ms_text(end) + ")",
                        "the producer sends nothing");
  }
  for (std::size_t i = 0; i < p.rate_changes.size(); ++i) {
    if (p.rate_changes[i].at >= end) {
      diagnostics.error(
          pointer_child(pointer_child(pointer_child(item.pointer, "rate_changes"), i), "at_ms"),
          ms_text(p.rate_changes[i].at), "a time in [0, duration_ms = " + ms_text(end) + ")");
    }
  }
}

// KafkaProducer.configureAcks accepts enable.idempotence only with acks=all. A mode of the run
// is the producer's acks: in a mode of acks=1 or 0 the producer runs as a Kafka application must
// be configured for those acks, without idempotence; the comparison of modes stays what the
// scenario asks for, and this warning (and each such run's timeline) says what changed.
void check_idempotence_modes(const Draft& draft, const Item<ProducerSpec>& item,
                             Diagnostics& diagnostics) {
  if (!item.value.config.enable_idempotence) return;
  std::string modes;
  for (const AckMode mode : draft.scenario.acks) {
    if (mode != AckMode::async && mode != AckMode::none) continue;
    modes += (modes.empty() ? "" : " and ") + std::string(to_string(mode)) +
             (mode == AckMode::async ? " (acks=1)" : " (acks=0)");
  }
  if (modes.empty()) return;
  diagnostics.note(Severity::warning,
                   pointer_child(pointer_child(item.pointer, "config"), "enable.idempotence"),
                   "Kafka accepts idempotence only with acks=all: the runs in mode " + modes +
                       " send without it");
}

void check_producer(const Draft& draft, const Item<ProducerSpec>& item, Diagnostics& diagnostics) {
  const ProducerSpec& p = item.value;
  check_producer_timing(draft, item, diagnostics);
  check_idempotence_modes(draft, item, diagnostics);
  if (p.topic.empty()) return;
  const Item<TopicSpec>* topic = find_topic(draft, p.topic);
  if (topic == nullptr) {
    diagnostics.error(pointer_child(item.pointer, "topic"), "\"" + p.topic + "\"",
                      "the name of a topic in /topics");
    return;
  }
  if (p.partition && *p.partition >= topic->value.partitions) {
    diagnostics.error(
        pointer_child(item.pointer, "partition"), std::to_string(*p.partition),
        "a partition of \"" + p.topic + "\": 0 to " + std::to_string(topic->value.partitions - 1));
  }
  // Kafka fails each such send with RecordTooLargeException (KafkaProducer.ensureValidRecordSize;
  // the broker's check is Log.analyzeAndValidateRecords).
  const BrokerConfig& broker = draft.scenario.cluster.broker_config;
  const std::int64_t topic_max = topic->value.config.effective_max_message_bytes(broker);
  if (p.message_bytes > p.config.max_request_size || p.message_bytes > topic_max) {
    diagnostics.warning(pointer_child(item.pointer, "message_bytes"),
                        std::to_string(p.message_bytes),
                        "at most max.request.size and the topic's max.message.bytes",
                        "every send will fail with RecordTooLargeException");
  }
}

void check_group(const Draft& draft, const Item<ConsumerGroupSpec>& item,
                 Diagnostics& diagnostics) {
  const ConsumerGroupSpec& g = item.value;
  if (g.topic.empty()) return;
  const Item<TopicSpec>* topic = find_topic(draft, g.topic);
  if (topic == nullptr) {
    diagnostics.error(pointer_child(item.pointer, "topic"), "\"" + g.topic + "\"",
                      "the name of a topic in /topics");
    return;
  }
  // One member per partition at a time (KAFKA_REFERENCE.md, range assignment): the rest idle.
  if (g.members > topic->value.partitions) {
    diagnostics.warning(pointer_child(item.pointer, "members"), std::to_string(g.members),
                        "at most the partitions of \"" + g.topic + "\" (" +
                            std::to_string(topic->value.partitions) + ")",
                        "the extra members stay idle");
  }
}

}  // namespace

void check_clients(const Draft& draft, Diagnostics& diagnostics) {
  for (const auto& p : draft.producers)
    check_producer(draft, p, diagnostics);
  for (const auto& g : draft.consumers) {
    check_group(draft, g, diagnostics);
    // Heartbeat.java (2.4): "Heartbeat must be set lower than the session timeout".
    if (g.value.coordination == GroupCoordination::coordinator &&
        g.value.config.heartbeat_interval >= g.value.config.session_timeout) {
      diagnostics.error(pointer_child(pointer_child(g.pointer, "config"), "heartbeat.interval.ms"),
                        std::to_string(g.value.config.heartbeat_interval.count() / 1'000'000),
                        "less than session.timeout.ms (" +
                            std::to_string(g.value.config.session_timeout.count() / 1'000'000) +
                            ")");
    }
    // The ZooKeeper consumer's PartitionAssignor.createInstance knows "roundrobin" and takes any
    // other name for range; StickyAssignor is the new consumer's (ConsumerPartitionAssignor).
    if (g.value.coordination == GroupCoordination::zookeeper &&
        g.value.config.partition_assignment_strategy == AssignmentStrategy::sticky) {
      diagnostics.error(
          pointer_child(pointer_child(g.pointer, "config"), "partition.assignment.strategy"),
          "\"sticky\"",
          "\"range\" or \"roundrobin\" with \"coordination\": \"zookeeper\" (the sticky "
          "assignor needs the group coordinator)");
    }
    check_session_timeout(
        g.value.config.zookeeper_session_timeout, draft.scenario.cluster.zookeeper_tick_time,
        pointer_child(pointer_child(g.pointer, "config"), "zookeeper.session.timeout.ms"),
        diagnostics);
  }
}

}  // namespace kafkasim::scenario_detail
