// The `cluster` section (SPEC.md "cluster").
#include <algorithm>
#include <limits>
#include <set>

#include "config_parse.h"
#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

const std::vector<std::string_view> kClusterKeys{
    "brokers",    "broker_config",   "produce_time_ms",    "fetch_time_ms",   "flush_time_ms",
    "truncation", "dirty_expire_ms", "dirty_writeback_ms", "zookeeper_config"};

// A cluster larger than this is a typo, not a scenario (and would make the run crawl).
constexpr std::int64_t kMaxBrokers = 1000;

std::optional<BrokerSpec> read_broker(const Json& value, const std::string& pointer,
                                      Diagnostics& diagnostics) {
  const ObjectReader reader(value, pointer, diagnostics, {"id", "rack"});
  if (!reader.is_object()) return std::nullopt;
  const auto id = reader.integer("id", 1, std::numeric_limits<std::int32_t>::max(), Need::required);
  const auto rack = reader.string("rack");
  if (!id) return std::nullopt;
  return BrokerSpec{BrokerId(static_cast<std::int32_t>(*id)), rack};
}

// Unique ids; racks on all brokers or none, as Kafka's rack-aware assignment requires
// (core/.../admin/AdminUtils.scala: "Not all brokers have rack information").
void check_broker_list(const std::vector<Item<BrokerSpec>>& brokers, Diagnostics& diagnostics) {
  std::set<std::int32_t> ids;
  std::size_t with_rack = 0;
  for (const auto& b : brokers) {
    if (!ids.insert(b.value.id.value()).second) {
      diagnostics.error(pointer_child(b.pointer, "id"), std::to_string(b.value.id.value()),
                        "a broker id not used by another broker");
    }
    if (b.value.rack) ++with_rack;
  }
  if (with_rack != 0 && with_rack != brokers.size()) {
    for (const auto& b : brokers) {
      if (!b.value.rack) {
        diagnostics.error(pointer_child(b.pointer, "rack"), "nothing",
                          "a rack, since other brokers have one (Kafka needs racks on all "
                          "brokers or none)");
      }
    }
  }
}

void read_brokers(const Json& value, Draft& draft, Diagnostics& diagnostics) {
  std::vector<BrokerSpec>& out = draft.scenario.cluster.brokers;
  if (value.is_number_integer() || value.is_number_unsigned()) {
    const auto count = read_integer(value, draft.brokers_pointer, diagnostics, 1, kMaxBrokers);
    if (!count) return;
    for (std::int32_t id = 1; id <= *count; ++id)
      out.push_back(BrokerSpec{BrokerId(id), {}});
    draft.brokers_known = true;
    return;
  }
  if (!value.is_array() || value.empty()) {
    diagnostics.error(draft.brokers_pointer, describe(value),
                      "a broker count >= 1 or a non-empty list of {\"id\": n, \"rack\": \"r\"}");
    return;
  }
  if (value.size() > static_cast<std::size_t>(kMaxBrokers)) {
    diagnostics.error(draft.brokers_pointer, "a list of " + std::to_string(value.size()),
                      "at most " + std::to_string(kMaxBrokers) + " brokers");
    return;
  }
  const std::size_t errors_before = diagnostics.error_count();
  std::vector<Item<BrokerSpec>> brokers;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = pointer_child(draft.brokers_pointer, i);
    if (auto b = read_broker(value[i], at, diagnostics)) brokers.push_back({*b, at, true});
  }
  check_broker_list(brokers, diagnostics);
  if (!no_new_errors(diagnostics, errors_before)) return;
  for (const auto& b : brokers)
    out.push_back(b.value);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  draft.brokers_known = true;
}

// KafkaConfig.validateValues (core/.../server/KafkaConfig.scala, 2.4) refuses to start a
// broker whose followers would time out, or fall out of the ISR, while merely waiting.
void check_fetch_wait(const BrokerConfig& config, Diagnostics& diagnostics) {
  const std::string at = "/cluster/broker_config/replica.fetch.wait.max.ms";
  const auto ms = [](Duration d) { return std::to_string(d.count() / 1'000'000); };
  if (config.replica_fetch_wait_max > config.replica_socket_timeout) {
    diagnostics.error(at, ms(config.replica_fetch_wait_max),
                      "at most replica.socket.timeout.ms (" + ms(config.replica_socket_timeout) +
                          "), as Kafka requires");
  }
  if (config.replica_fetch_wait_max > config.replica_lag_time_max) {
    diagnostics.error(at, ms(config.replica_fetch_wait_max),
                      "at most replica.lag.time.max.ms (" + ms(config.replica_lag_time_max) +
                          "), as Kafka requires");
  }
}

// ZooKeeper's own settings, by ZooKeeper's names (zoo.cfg).
void read_zookeeper_config(const Json& value, ClusterSpec& cluster, Diagnostics& diagnostics) {
  const ObjectReader reader(value, "/cluster/zookeeper_config", diagnostics, {"tickTime"});
  if (!reader.is_object()) return;
  if (auto t = reader.integer("tickTime", 1, std::numeric_limits<std::int32_t>::max())) {
    cluster.zookeeper_tick_time = std::chrono::milliseconds(*t);
  }
}

}  // namespace

// ZooKeeperServer.processConnectRequest clamps the session timeout a client asks for to
// [minSessionTimeout, maxSessionTimeout], 2 and 20 x tickTime by default: a setting outside runs,
// with the clamped timeout, as on a real cluster, but the scenario should know.
void check_session_timeout(Duration asked, Duration tick_time, const std::string& pointer,
                           Diagnostics& diagnostics) {
  const Duration low = tick_time * 2;
  const Duration high = tick_time * 20;
  if (asked >= low && asked <= high) return;
  const auto ms = [](Duration d) { return std::to_string(d.count() / 1'000'000); };
  diagnostics.note(Severity::warning, pointer,
                   ms(asked) + " is outside ZooKeeper's [2, 20] x tickTime = [" + ms(low) + ", " +
                       ms(high) + "]: the session gets " + ms(std::clamp(asked, low, high)) +
                       " ms, as ZooKeeper clamps it");
}

void read_cluster(const Json* value, Draft& draft, Diagnostics& diagnostics) {
  const ObjectReader reader(*value, "/cluster", diagnostics, kClusterKeys);
  if (!reader.is_object()) return;
  ClusterSpec& cluster = draft.scenario.cluster;
  if (const Json* brokers = reader.find("brokers", Need::required, "a broker count or list")) {
    read_brokers(*brokers, draft, diagnostics);
  }
  cluster.broker_config =
      parse_broker_config(reader.find("broker_config"), "/cluster/broker_config", diagnostics)
          .config;
  check_fetch_wait(cluster.broker_config, diagnostics);
  if (auto d = reader.dist("produce_time_ms")) cluster.produce_time_ms = *d;
  if (auto d = reader.dist("fetch_time_ms")) cluster.fetch_time_ms = *d;
  if (auto d = reader.dist("flush_time_ms")) cluster.flush_time_ms = *d;
  if (auto t = reader.choice("truncation", {"leader-epoch", "high-watermark"})) {
    cluster.truncation =
        *t == "leader-epoch" ? Truncation::leader_epoch : Truncation::high_watermark;
  }
  if (const Json* zk = reader.find("zookeeper_config")) {
    read_zookeeper_config(*zk, cluster, diagnostics);
  }
  check_session_timeout(cluster.broker_config.zookeeper_session_timeout,
                        cluster.zookeeper_tick_time,
                        "/cluster/broker_config/zookeeper.session.timeout.ms", diagnostics);
  if (auto d = reader.duration_ms("dirty_expire_ms", Sign::positive)) cluster.dirty_expire = *d;
  if (auto d = reader.duration_ms("dirty_writeback_ms", Sign::positive)) {
    cluster.dirty_writeback = *d;
  }
}

}  // namespace kafkasim::scenario_detail
