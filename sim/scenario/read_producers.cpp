// The `producers` section (SPEC.md "producers[]").
#include <limits>

#include "config_parse.h"
#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

constexpr std::int64_t kIntMax = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kLongMax = std::numeric_limits<std::int64_t>::max();

const std::vector<std::string_view> kProducerKeys{
    "name",      "topic",       "rate_per_s", "arrivals", "message_bytes", "keys",
    "partition", "partitioner", "start_ms",   "stop_ms",  "rate_changes",  "config"};

void read_rate_changes(const ObjectReader& reader, ProducerSpec& producer,
                       Diagnostics& diagnostics) {
  const Json* changes = as_array(reader.find("rate_changes"), reader.pointer_of("rate_changes"),
                                 diagnostics, "a list of {\"at_ms\", \"rate_per_s\"}");
  if (changes == nullptr) return;
  for (std::size_t i = 0; i < changes->size(); ++i) {
    const std::string at = pointer_child(reader.pointer_of("rate_changes"), i);
    const ObjectReader change((*changes)[i], at, diagnostics, {"at_ms", "rate_per_s"});
    const auto when = change.instant_ms("at_ms", Need::required);
    const auto rate = change.number("rate_per_s", Sign::positive, Need::required);
    if (!when || !rate) continue;
    if (!producer.rate_changes.empty() && *when <= producer.rate_changes.back().at) {
      diagnostics.error(change.pointer_of("at_ms"), describe((*changes)[i]["at_ms"]),
                        "a time after the previous rate change's at_ms (ascending order)");
    }
    producer.rate_changes.push_back({*when, *rate});
  }
}

// KafkaProducer.configureDeliveryTimeout (clients/.../producer/KafkaProducer.java, 2.4):
// delivery.timeout.ms must cover linger.ms + request.timeout.ms. Kafka refuses an explicit
// value that does not, and raises a defaulted one with a warning.
void check_delivery_timeout(ProducerConfig& config, const std::set<std::string>& set,
                            const std::string& pointer, Diagnostics& diagnostics) {
  const Duration floor = config.linger + config.request_timeout;
  if (config.delivery_timeout >= floor) return;
  const std::string at = pointer_child(pointer, "delivery.timeout.ms");
  const std::string floor_ms = std::to_string(floor.count() / 1'000'000);
  if (set.contains("delivery.timeout.ms")) {
    diagnostics.error(at, std::to_string(config.delivery_timeout.count() / 1'000'000),
                      "at least linger.ms + request.timeout.ms (" + floor_ms + ")");
  } else {
    diagnostics.note(Severity::warning, at,
                     "raised to linger.ms + request.timeout.ms (" + floor_ms + "), as Kafka does");
    config.delivery_timeout = floor;
  }
}

// KafkaProducer (2.4) refuses enable.idempotence with retries = 0 or more than 5 requests in
// flight, and with acks set to anything but all (KafkaProducer.configureAcks: "Must set acks to
// all in order to use the idempotent producer", a ConfigException). Without an explicit acks
// Kafka raises acks to all; here each run's mode sets acks (check_clients.cpp warns when a mode
// of the scenario is acks=1 or 0).
void check_producer_config(ProducerConfig& config, const std::set<std::string>& set,
                           const std::string& pointer, Diagnostics& diagnostics) {
  check_delivery_timeout(config, set, pointer, diagnostics);
  if (set.contains("acks")) {
    if (config.enable_idempotence && config.acks != AckMode::isr && config.acks != AckMode::sync) {
      diagnostics.error(pointer_child(pointer, "acks"), config.acks == AckMode::none ? "0" : "1",
                        "all with enable.idempotence=true, as Kafka requires (ConfigException: "
                        "\"Must set acks to all in order to use the idempotent producer\")");
    } else {
      diagnostics.note(Severity::warning, pointer_child(pointer, "acks"),
                       "acks is overridden by the mode of each run");
    }
  }
  if (!config.enable_idempotence) return;
  if (config.retries == 0) {
    diagnostics.error(pointer_child(pointer, "retries"), "0",
                      "retries > 0 with enable.idempotence=true, as Kafka requires");
  }
  if (config.max_in_flight_requests_per_connection > 5) {
    diagnostics.error(pointer_child(pointer, "max.in.flight.requests.per.connection"),
                      std::to_string(config.max_in_flight_requests_per_connection),
                      "at most 5 with enable.idempotence=true, as Kafka requires");
  }
}

void read_producer_fields(const ObjectReader& reader, ProducerSpec& p) {
  if (auto v = reader.string("name", Need::required)) p.name = *v;
  if (auto v = reader.string("topic", Need::required)) p.topic = *v;
  if (auto v = reader.number("rate_per_s", Sign::positive, Need::required)) p.rate_per_s = *v;
  if (auto v = reader.choice("arrivals", {"constant", "poisson"})) {
    p.arrivals = *v == "constant" ? Arrivals::constant : Arrivals::poisson;
  }
  if (auto v = reader.integer("message_bytes", 1, kIntMax)) p.message_bytes = *v;
  if (auto v = reader.integer("keys", 0, kLongMax)) p.keys = *v;
  if (auto v = reader.integer("partition", 0, kIntMax)) p.partition = static_cast<std::int32_t>(*v);
  if (auto v = reader.choice("partitioner", {"default", "round-robin"})) {
    p.partitioner = *v == "default" ? Partitioner::default_partitioner : Partitioner::round_robin;
  }
  if (auto v = reader.instant_ms("start_ms")) p.start = *v;
  p.stop = reader.instant_ms("stop_ms");
  if (p.stop && *p.stop <= p.start) {
    reader.diagnostics().error(reader.pointer_of("stop_ms"), ms_text(*p.stop),
                               "a time after start_ms (" + ms_text(p.start) + ")");
  }
}

Item<ProducerSpec> read_producer(const Json& value, const std::string& pointer,
                                 Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  const ObjectReader reader(value, pointer, diagnostics, kProducerKeys);
  Item<ProducerSpec> item{{}, pointer, false};
  if (!reader.is_object()) return item;
  read_producer_fields(reader, item.value);
  read_rate_changes(reader, item.value, diagnostics);
  auto parsed =
      parse_producer_config(reader.find("config"), reader.pointer_of("config"), diagnostics);
  check_producer_config(parsed.config, parsed.explicitly_set, reader.pointer_of("config"),
                        diagnostics);
  item.value.config = parsed.config;
  item.complete = no_new_errors(diagnostics, errors_before);
  return item;
}

}  // namespace

void read_producers(const Json* value, Draft& draft, Diagnostics& diagnostics) {
  const Json* producers = as_array(value, "/producers", diagnostics, "a list of producers");
  if (producers == nullptr) return;
  for (std::size_t i = 0; i < producers->size(); ++i) {
    draft.producers.push_back(
        read_producer((*producers)[i], pointer_child("/producers", i), diagnostics));
  }
}

}  // namespace kafkasim::scenario_detail
