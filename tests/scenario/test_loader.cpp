// The loader as the CLI uses it: whole files, several problems at once, malformed JSON,
// --set overrides, Kafka defaults, and the flagship scenario.
#include <algorithm>

#include "kafkasim/scenario/config_table.h"
#include "kafkasim/scenario/node_ref.h"
#include "kafkasim/scenario/override.h"
#include "scenario_fixture.h"

using namespace kafkasim;
using kafkasim::test::at;
using kafkasim::test::load;
using kafkasim::test::valid_scenario;

TEST_CASE("every problem is reported in one pass") {
  auto s = valid_scenario();
  s["cluster"]["broker_confg"] = nlohmann::json::object();
  s["topics"][0]["replication_factor"] = 5;
  s["producers"][0]["topic"] = "nope";
  s["faults"][0]["until_ms"] = 1;
  s["consumers"][0]["config"] = {{"fetch.max.wait.ms", "500"}};
  const auto r = load(s);
  INFO(kafkasim::test::all(r));
  CHECK(r.diagnostics.error_count() == 5);
  for (const char* pointer :
       {"/cluster/broker_confg", "/topics/0/replication_factor", "/producers/0/topic",
        "/faults/0/until_ms", "/consumers/0/config/fetch.max.wait.ms"}) {
    CHECK_MESSAGE(at(r, pointer) != nullptr, pointer);
  }
  CHECK_FALSE(r.scenario.has_value());
}

TEST_CASE("malformed JSON reports line and column") {
  const std::string text = "{\n  \"name\": \"x\",\n  \"duration_ms\": ,\n}\n";
  const auto r = load_scenario_text(text, "bad.json");
  REQUIRE(r.diagnostics.items().size() == 1);
  const Diagnostic& d = r.diagnostics.items()[0];
  REQUIRE(d.position.has_value());
  CHECK(d.position->line == 3);
  CHECK(d.position->column == 18);
  const std::string line = format(d, "bad.json");
  CHECK(line.starts_with("bad.json:3:18: malformed JSON: syntax error"));
}

TEST_CASE("malformed JSON at the end of the text") {
  const auto r = load_scenario_text("{\"name\": \"x\"", "cut.json");
  REQUIRE(r.diagnostics.items().size() == 1);
  CHECK(r.diagnostics.items()[0].position->line == 1);
  CHECK(r.diagnostics.items()[0].position->column == 13);
}

TEST_CASE("an unreadable file is a diagnostic") {
  const auto r = load_scenario_file("/nonexistent/scenario.json");
  CHECK_FALSE(r.ok());
  REQUIRE(r.diagnostics.items().size() == 1);
  CHECK(format(r.diagnostics.items()[0], "/nonexistent/scenario.json") ==
        "/nonexistent/scenario.json: cannot read the file");
}

TEST_CASE("--set applies before validation: it can fix a scenario") {
  auto s = valid_scenario();
  s["topics"][0]["replication_factor"] = 4;
  CHECK_FALSE(load(s).ok());
  const auto r = load(s, {"/topics/0/replication_factor=3"});
  INFO(kafkasim::test::all(r));
  CHECK(r.ok());
}

TEST_CASE("--set applies before validation: it can break a scenario, and creates objects") {
  const auto r = load(valid_scenario(), {"/cluster/broker_config/min.insync.replicas=0"});
  REQUIRE(at(r, "/cluster/broker_config/min.insync.replicas") != nullptr);
  const auto ok = load(valid_scenario(), {"/cluster/broker_config/min.insync.replicas=2",
                                          "/name=renamed", "/description=plain text, not JSON"});
  INFO(kafkasim::test::all(ok));
  REQUIRE(ok.ok());
  CHECK(ok.scenario->cluster.broker_config.min_insync_replicas == 2);
  CHECK(ok.scenario->name == "renamed");
  CHECK(ok.scenario->description == "plain text, not JSON");
}

TEST_CASE("--set with a bad pointer or no '=' is a diagnostic") {
  const auto r = load(valid_scenario(), {"/topics/7/partitions=2", "seed=3", "/seed", "/a~2b=1"});
  INFO(kafkasim::test::all(r));
  CHECK(r.diagnostics.error_count() == 4);
  REQUIRE(at(r, "/topics/7/partitions") != nullptr);
  CHECK(at(r, "/topics/7/partitions")->message.find("cannot follow the pointer at /topics/7") !=
        std::string::npos);
  Diagnostics d;
  CHECK_FALSE(parse_override("/seed", d).has_value());
  CHECK(format(d.items()[0], "f.json") ==
        "f.json: found --set /seed, expected --set PTR=VALUE, e.g. --set /seed=7");
  const auto o = parse_override("/a=b=c", d);
  REQUIRE(o.has_value());
  CHECK(o->pointer == "/a");
  CHECK(o->value_json == "\"b=c\"");
}

TEST_CASE("defaults are Kafka 2.4's and SPEC's") {
  const auto r = load(valid_scenario());
  REQUIRE(r.ok());
  const Scenario& s = *r.scenario;
  using std::chrono::milliseconds;
  CHECK(s.seed == 1);
  CHECK(s.settle == milliseconds(30000));
  CHECK(s.acks == std::vector<AckMode>{AckMode::async, AckMode::isr, AckMode::sync});
  CHECK(s.cluster.brokers.size() == 3);
  CHECK(s.cluster.brokers[2].node_name() == "broker-3");
  const BrokerConfig& b = s.cluster.broker_config;
  CHECK(b.min_insync_replicas == 1);
  CHECK_FALSE(b.unclean_leader_election_enable);
  CHECK(b.replica_lag_time_max == milliseconds(10000));
  CHECK(b.zookeeper_session_timeout == milliseconds(6000));
  CHECK(b.replica_fetch_wait_max == milliseconds(500));
  CHECK(b.num_io_threads == 8);
  CHECK(b.log_flush_interval_messages == std::numeric_limits<std::int64_t>::max());
  CHECK(b.log_flush_interval() == Duration::max());
  CHECK(b.message_max_bytes == 1048588);
  CHECK(b.leader_imbalance_check_interval == std::chrono::seconds(300));
  const ProducerConfig& p = s.producers[0].config;
  CHECK(p.acks == AckMode::async);
  CHECK(p.retries == 2147483647);
  CHECK(p.delivery_timeout == milliseconds(120000));
  CHECK(p.linger == milliseconds(0));
  CHECK_FALSE(p.enable_idempotence);
  CHECK(s.producers[0].message_bytes == 100);
  CHECK(s.producers[0].arrivals == Arrivals::constant);
  const ConsumerConfig& c = s.consumers[0].config;
  CHECK(c.fetch_max_wait == milliseconds(500));
  CHECK(c.session_timeout == milliseconds(10000));
  CHECK(c.partition_assignment_strategy == AssignmentStrategy::range);
  CHECK(s.cluster.produce_time_ms == Dist::constant(0.05));
  CHECK(s.cluster.flush_time_ms == Dist::constant(5));
  CHECK(s.cluster.truncation == Truncation::leader_epoch);
  CHECK(s.cluster.dirty_expire == milliseconds(30000));
  CHECK(s.network.latency_ms == Dist::constant(0.5));
  CHECK(s.topics[1].config.effective_min_insync_replicas(b) == 1);
}

TEST_CASE("Kafka values and spellings are read into typed fields") {
  auto s = valid_scenario();
  s["cluster"]["broker_config"] = {{"log.flush.interval.ms", 1000},
                                   {"log.flush.interval.messages", 9223372036854775807LL}};
  s["producers"][0]["config"] = {{"acks", "all"}, {"linger.ms", 5}};
  s["consumers"][0]["config"] = {
      {"partition.assignment.strategy", "org.apache.kafka.clients.consumer.RoundRobinAssignor"}};
  s["acks"] = {"0", 1, "all", "sync"};
  s["cluster"]["truncation"] = "high-watermark";
  s["topics"][0]["config"] = {{"flush.ms", 200}};
  const auto r = load(s);
  INFO(kafkasim::test::all(r));
  REQUIRE(r.ok());
  CHECK(r.scenario->cluster.broker_config.log_flush_interval() == std::chrono::milliseconds(1000));
  CHECK(r.scenario->producers[0].config.acks == AckMode::isr);
  CHECK(r.scenario->producers[0].config.linger == std::chrono::milliseconds(5));
  CHECK(r.scenario->consumers[0].config.partition_assignment_strategy ==
        AssignmentStrategy::roundrobin);
  CHECK(r.scenario->acks ==
        std::vector<AckMode>{AckMode::none, AckMode::async, AckMode::isr, AckMode::sync});
  CHECK(r.scenario->cluster.truncation == Truncation::high_watermark);
  CHECK(r.scenario->topics[0].config.effective_flush_interval(r.scenario->cluster.broker_config) ==
        std::chrono::milliseconds(200));
  CHECK(at(r, "/producers/0/config/acks")->severity == Severity::warning);
}

TEST_CASE("the flagship scenario loads with no diagnostics") {
  const auto r = load_scenario_file(KAFKASIM_SOURCE_DIR "/scenarios/leader-crash.json");
  INFO(format_all(r.diagnostics, "leader-crash.json"));
  REQUIRE(r.ok());
  CHECK(r.diagnostics.empty());
  const Scenario& s = *r.scenario;
  CHECK(s.name == "leader-crash");
  CHECK(s.file.ends_with("scenarios/leader-crash.json"));
  CHECK(s.cluster.brokers.size() == 3);
  CHECK(s.topics.size() == 1);
  CHECK(s.topics[0].replication_factor == 3);
  REQUIRE(s.faults.size() >= 1);
  const auto& crash = std::get<CrashFault>(s.faults[0]);
  CHECK(crash.target.kind == NodeRef::Kind::leader_of);
  CHECK(crash.at == instant_from_ms(10000));
  CHECK(crash.until == instant_from_ms(40000));
  CHECK(s.cluster.broker_config.min_insync_replicas == 2);
}

TEST_CASE("leader-of targets split at the last '-'") {
  const auto ref = parse_node_ref("leader-of:my-topic-3");
  REQUIRE(ref.has_value());
  CHECK(ref->kind == NodeRef::Kind::leader_of);
  CHECK(ref->topic == "my-topic");
  CHECK(ref->partition == 3);
  CHECK(ref->to_string() == "leader-of:my-topic-3");
  CHECK(parse_node_ref("controller")->kind == NodeRef::Kind::controller);
  CHECK(parse_node_ref("broker-1")->node == "broker-1");
  CHECK_FALSE(parse_node_ref("leader-of:orders").has_value());
  CHECK_FALSE(parse_node_ref("leader-of:-1").has_value());
  CHECK_FALSE(parse_node_ref("leader-of:orders-x").has_value());
}

TEST_CASE("ack modes parse from our names and Kafka's spellings") {
  CHECK(parse_ack_mode("0") == AckMode::none);
  CHECK(parse_ack_mode("1") == AckMode::async);
  CHECK(parse_ack_mode("all") == AckMode::isr);
  CHECK(parse_ack_mode("-1") == AckMode::isr);
  CHECK(parse_ack_mode("sync") == AckMode::sync);
  CHECK_FALSE(parse_ack_mode("2").has_value());
  CHECK(to_string(AckMode::isr) == "isr");
}

TEST_CASE("modeled and known-but-unmodeled config names do not overlap") {
  for (ConfigScope scope :
       {ConfigScope::broker, ConfigScope::topic, ConfigScope::producer, ConfigScope::consumer}) {
    const auto known = known_unmodeled_config_names(scope);
    for (std::string_view name : modeled_config_names(scope)) {
      CHECK_MESSAGE(!std::binary_search(known.begin(), known.end(), name), name);
    }
  }
}
