// One broken value per case: each is reported at its exact JSON Pointer, with what was found
// and what was expected (or the nearest valid name).
#include "scenario_fixture.h"

using kafkasim::test::at;
using kafkasim::test::load;
using kafkasim::test::single_error;
using kafkasim::test::valid_scenario;

TEST_CASE("the fixture itself is valid") {
  const auto r = load(valid_scenario());
  INFO(kafkasim::test::all(r));
  CHECK(r.ok());
  CHECK(r.diagnostics.empty());
}

TEST_CASE("unknown key at the cluster level suggests the nearest key") {
  auto s = valid_scenario();
  s["cluster"]["broker_confg"] = nlohmann::json::object();
  CHECK(single_error(load(s), "/cluster/broker_confg") ==
        "test.json: /cluster/broker_confg: unknown key \"broker_confg\"; did you mean "
        "\"broker_config\"?");
}

TEST_CASE("misspelt broker setting suggests the Kafka name") {
  auto s = valid_scenario();
  s["cluster"]["broker_config"]["min.insync.replica"] = 2;
  CHECK(single_error(load(s), "/cluster/broker_config/min.insync.replica") ==
        "test.json: /cluster/broker_config/min.insync.replica: unknown key \"min.insync.replica\"; "
        "did you mean \"min.insync.replicas\"?");
}

TEST_CASE("misspelt producer setting suggests the Kafka name") {
  auto s = valid_scenario();
  s["producers"][0]["config"]["max.in.flight.request.per.connection"] = 1;
  const auto line =
      single_error(load(s), "/producers/0/config/max.in.flight.request.per.connection");
  CHECK(line.find("did you mean \"max.in.flight.requests.per.connection\"?") != std::string::npos);
}

TEST_CASE("a known but unmodeled Kafka setting is a warning, not an error") {
  auto s = valid_scenario();
  s["cluster"]["broker_config"]["log.retention.hours"] = 168;
  const auto r = load(s);
  CHECK(r.ok());
  const auto* d = at(r, "/cluster/broker_config/log.retention.hours");
  REQUIRE(d != nullptr);
  CHECK(d->severity == kafkasim::Severity::warning);
  CHECK(d->message == "known Kafka setting, not simulated: ignored");
}

TEST_CASE("a setting of the wrong JSON type says what was found and expected") {
  auto s = valid_scenario();
  s["cluster"]["broker_config"]["unclean.leader.election.enable"] = "false";
  CHECK(single_error(load(s), "/cluster/broker_config/unclean.leader.election.enable") ==
        "test.json: /cluster/broker_config/unclean.leader.election.enable: found \"false\", "
        "expected true or false");
}

TEST_CASE("a setting out of Kafka's range") {
  auto s = valid_scenario();
  s["cluster"]["broker_config"]["min.insync.replicas"] = 0;
  CHECK(single_error(load(s), "/cluster/broker_config/min.insync.replicas") ==
        "test.json: /cluster/broker_config/min.insync.replicas: found 0, expected an integer in "
        "[1, 2147483647]");
}

TEST_CASE("replication factor larger than the cluster") {
  auto s = valid_scenario();
  s["topics"][0]["replication_factor"] = 4;
  CHECK(single_error(load(s), "/topics/0/replication_factor") ==
        "test.json: /topics/0/replication_factor: found 4, expected at most the number of brokers "
        "(3)");
}

TEST_CASE("zero partitions") {
  auto s = valid_scenario();
  s["topics"][1]["partitions"] = 0;
  CHECK(single_error(load(s), "/topics/1/partitions").find("expected an integer in [1, 10000]") !=
        std::string::npos);
}

TEST_CASE("unknown fault target suggests the nearest node") {
  auto s = valid_scenario();
  s["faults"][0]["target"] = "broker-7";
  const auto line = single_error(load(s), "/faults/0/target");
  CHECK(line.find(
            "found \"broker-7\", expected a broker, zookeeper, a producer or a consumer member") !=
        std::string::npos);
}

TEST_CASE("a fault target unfit for the fault type") {
  auto s = valid_scenario();
  s["faults"][0] = {{"type", "shutdown"}, {"target", "zookeeper"}, {"at_ms", 1000}};
  CHECK(single_error(load(s), "/faults/0/target") ==
        "test.json: /faults/0/target: found \"zookeeper\", expected a broker (broker-<id>, "
        "\"leader-of:<topic>-<partition>\" or \"controller\") or a consumer member "
        "(<group>-<index>)");
}

TEST_CASE("a shutdown takes a consumer member (a clean shutdown), not a producer") {
  auto s = valid_scenario();
  s["faults"][0] = {{"type", "shutdown"}, {"target", "billing-1"}, {"at_ms", 1000}};
  CHECK(load(s).ok());
  s["faults"][0]["target"] = "app";
  CHECK(single_error(load(s), "/faults/0/target").find("or a consumer member (<group>-<index>)") !=
        std::string::npos);
}

TEST_CASE("leader-of a partition the topic does not have") {
  auto s = valid_scenario();
  s["faults"][0]["target"] = "leader-of:my-topic-4";
  CHECK(single_error(load(s), "/faults/0/target").find("a partition of \"my-topic\" (0 to 3)") !=
        std::string::npos);
}

TEST_CASE("leader-of:__consumer_offsets-P names a group coordinator, when a group has one") {
  auto s = valid_scenario();
  REQUIRE(s.contains("consumers"));
  s["faults"][0]["target"] = "leader-of:__consumer_offsets-39";
  s["consumers"][0]["coordination"] = "coordinator";
  CHECK(load(s).ok());
  s["faults"][0]["target"] = "leader-of:__consumer_offsets-50";
  CHECK(single_error(load(s), "/faults/0/target")
            .find("a partition of \"__consumer_offsets\" (0 to 49)") != std::string::npos);
  // Without a group under the coordinator there is no __consumer_offsets.
  s["faults"][0]["target"] = "leader-of:__consumer_offsets-39";
  s["consumers"][0]["coordination"] = "zookeeper";
  CHECK(single_error(load(s), "/faults/0/target").find("leader-of: a topic in /topics") !=
        std::string::npos);
}

TEST_CASE("until_ms not after at_ms") {
  auto s = valid_scenario();
  s["faults"][0]["until_ms"] = 10000;
  CHECK(single_error(load(s), "/faults/0/until_ms") ==
        "test.json: /faults/0/until_ms: found 10000, expected a time after at_ms (10000)");
}

TEST_CASE("at_ms beyond the duration") {
  auto s = valid_scenario();
  s["faults"][0]["at_ms"] = 60000;
  s["faults"][0].erase("until_ms");
  CHECK(single_error(load(s), "/faults/0/at_ms").find("a time in [0, duration_ms = 60000)") !=
        std::string::npos);
}

TEST_CASE("until_ms beyond the duration is only a warning") {
  auto s = valid_scenario();
  s["faults"][0]["until_ms"] = 90000;
  const auto r = load(s);
  CHECK(r.ok());
  REQUIRE(at(r, "/faults/0/until_ms") != nullptr);
  CHECK(at(r, "/faults/0/until_ms")->severity == kafkasim::Severity::warning);
}

TEST_CASE("duplicate producer names") {
  auto s = valid_scenario();
  s["producers"].push_back(s["producers"][0]);
  const auto line = single_error(load(s), "/producers/1/name");
  CHECK(line.find("node name \"app\" is already producer /producers/0") != std::string::npos);
}

TEST_CASE("a producer named like a broker collides with it") {
  auto s = valid_scenario();
  s["producers"][0]["name"] = "broker-2";
  CHECK(single_error(load(s), "/producers/0/name").find("is already a broker") !=
        std::string::npos);
}

TEST_CASE("a consumer member name collides with a producer") {
  auto s = valid_scenario();
  s["producers"][0]["name"] = "billing-1";
  CHECK(single_error(load(s), "/consumers/0/group").find("node name \"billing-1\" is already") !=
        std::string::npos);
}

TEST_CASE("duplicate topic names, and '.' against '_'") {
  auto s = valid_scenario();
  s["topics"][1]["name"] = "orders";
  s["producers"][0]["topic"] = "orders";
  s["consumers"][0]["topic"] = "orders";
  s["consumers"][0]["members"] = 1;
  s["faults"] = nlohmann::json::array();
  CHECK(single_error(load(s), "/topics/1/name").find("a topic name not used by another topic") !=
        std::string::npos);
  s["topics"][0]["name"] = "a.b";
  s["topics"][1]["name"] = "a_b";
  s["producers"][0]["topic"] = "a.b";
  s["consumers"][0]["topic"] = "a.b";
  CHECK(single_error(load(s), "/topics/1/name").find("collide") != std::string::npos);
}

TEST_CASE("a producer's topic must exist") {
  auto s = valid_scenario();
  s["producers"][0]["topic"] = "order";
  CHECK(single_error(load(s), "/producers/0/topic") ==
        "test.json: /producers/0/topic: found \"order\", expected the name of a topic in /topics");
}

TEST_CASE("a producer's partition must exist") {
  auto s = valid_scenario();
  s["producers"][0]["partition"] = 1;
  CHECK(single_error(load(s), "/producers/0/partition").find("0 to 0") != std::string::npos);
}

TEST_CASE("assignment with an unknown broker id") {
  auto s = valid_scenario();
  s["topics"][0]["assignment"] = {{1, 2, 5}};
  CHECK(single_error(load(s), "/topics/0/assignment/0/2") ==
        "test.json: /topics/0/assignment/0/2: found 5, expected the id of a broker of the cluster");
}

TEST_CASE("assignment with a repeated broker and a wrong length") {
  auto s = valid_scenario();
  s["topics"][0]["assignment"] = {{1, 1, 2}};
  CHECK(single_error(load(s), "/topics/0/assignment/0/1").find("not already in") !=
        std::string::npos);
  s["topics"][0]["assignment"] = {{1, 2}};
  CHECK(single_error(load(s), "/topics/0/assignment/0").find("replication_factor (3)") !=
        std::string::npos);
}

TEST_CASE("a bad DIST: unknown shape, missing parameter, min above max, negative mean") {
  auto s = valid_scenario();
  s["cluster"]["flush_time_ms"] = {{"dist", "unifrom"}, {"min", 2}, {"max", 8}};
  CHECK(single_error(load(s), "/cluster/flush_time_ms/dist").find("did you mean \"uniform\"?") !=
        std::string::npos);
  s["cluster"]["flush_time_ms"] = {{"dist", "uniform"}, {"min", 2}};
  CHECK(single_error(load(s), "/cluster/flush_time_ms/max").find("found nothing") !=
        std::string::npos);
  s["cluster"]["flush_time_ms"] = {{"dist", "uniform"}, {"min", 9}, {"max", 8}};
  CHECK(single_error(load(s), "/cluster/flush_time_ms/max") ==
        "test.json: /cluster/flush_time_ms/max: found 8, expected a number >= min (9)");
  s["network"]["latency_ms"] = {{"dist", "normal"}, {"mean", -1}, {"stddev", 0.1}};
  s["cluster"].erase("flush_time_ms");
  CHECK(single_error(load(s), "/network/latency_ms/mean") ==
        "test.json: /network/latency_ms/mean: found -1, expected a number >= 0");
}

TEST_CASE("partition faults: at least two sides, no node on two sides") {
  auto s = valid_scenario();
  s["faults"][0] = {{"type", "partition"},
                    {"sides", nlohmann::json::array({nlohmann::json::array({"broker-1"})})},
                    {"at_ms", 1000}};
  CHECK(single_error(load(s), "/faults/0/sides").find("at least two sides") != std::string::npos);
  s["faults"][0]["sides"] =
      nlohmann::json::array({nlohmann::json::array({"broker-1", "zookeeper"}),
                             nlohmann::json::array({"broker-2", "broker-1"})});
  CHECK(single_error(load(s), "/faults/0/sides/1/1").find("one side only") != std::string::npos);
}

TEST_CASE("links name existing nodes, are not self-links and not duplicated") {
  auto s = valid_scenario();
  s["network"]["links"] = {{{"between", {"broker-1", "broker-9"}}, {"latency_ms", 5}}};
  CHECK(single_error(load(s), "/network/links/0/between/1").find("a node or switch name") !=
        std::string::npos);
  s["network"]["links"] = {{{"between", {"broker-1", "broker-1"}}}};
  CHECK(single_error(load(s), "/network/links/0/between/1").find("no self-links") !=
        std::string::npos);
  s["network"]["links"] = {{{"between", {"broker-1", "broker-2"}}},
                           {{"between", {"broker-2", "broker-1"}}}};
  CHECK(single_error(load(s), "/network/links/1/between").find("not linked by an earlier link") !=
        std::string::npos);
}

TEST_CASE("with switches, the graph must be connected") {
  auto s = valid_scenario();
  s["network"]["switches"] = {"tor-a", "tor-b"};
  // broker-1 hangs on tor-b, which nothing links to tor-a.
  s["network"]["links"] = {{{"between", {"broker-1", "tor-b"}}}};
  const auto line = single_error(load(s), "/network/links");
  CHECK(line.find("\"broker-1\" cannot reach switch \"tor-a\"") != std::string::npos);
  s["network"]["links"].push_back({{"between", {"tor-a", "tor-b"}}});
  const auto r = load(s);
  INFO(kafkasim::test::all(r));
  REQUIRE(r.ok());
  // Unlinked endpoints were attached to the first switch: 2 given + 3 brokers - 1 + zk + app + 2
  // members.
  CHECK(r.scenario->network.links.size() == 2 + 2 + 1 + 1 + 2);
  CHECK(r.scenario->network.links.back().b == "tor-a");
}

TEST_CASE("rate changes ascending and within the run; positive rates; start before stop") {
  auto s = valid_scenario();
  s["producers"][0]["rate_changes"] = {{{"at_ms", 2000}, {"rate_per_s", 10}},
                                       {{"at_ms", 1000}, {"rate_per_s", 10}}};
  CHECK(single_error(load(s), "/producers/0/rate_changes/1/at_ms").find("ascending") !=
        std::string::npos);
  s["producers"][0]["rate_changes"] = {{{"at_ms", 70000}, {"rate_per_s", 10}}};
  CHECK(
      single_error(load(s), "/producers/0/rate_changes/0/at_ms").find("[0, duration_ms = 60000)") !=
      std::string::npos);
  s["producers"][0].erase("rate_changes");
  s["producers"][0]["rate_per_s"] = 0;
  CHECK(single_error(load(s), "/producers/0/rate_per_s").find("a number > 0") != std::string::npos);
  s["producers"][0]["rate_per_s"] = 10;
  s["producers"][0]["start_ms"] = 5000;
  s["producers"][0]["stop_ms"] = 5000;
  CHECK(single_error(load(s), "/producers/0/stop_ms").find("a time after start_ms (5000)") !=
        std::string::npos);
}

TEST_CASE("brokers as a list: unique ids, racks on all or none") {
  auto s = valid_scenario();
  s["cluster"]["brokers"] = {{{"id", 1}, {"rack", "a"}}, {{"id", 2}, {"rack", "b"}}, {{"id", 3}}};
  CHECK(single_error(load(s), "/cluster/brokers/2/rack").find("racks on all brokers or none") !=
        std::string::npos);
  s["cluster"]["brokers"] = {{{"id", 1}}, {{"id", 2}}, {{"id", 2}}};
  CHECK(single_error(load(s), "/cluster/brokers/2/id").find("not used by another broker") !=
        std::string::npos);
}

TEST_CASE("Kafka's cross-setting rules: fetch wait vs socket timeout, idempotence") {
  auto s = valid_scenario();
  s["cluster"]["broker_config"]["replica.fetch.wait.max.ms"] = 40000;
  s["cluster"]["broker_config"]["replica.lag.time.max.ms"] = 50000;
  CHECK(single_error(load(s), "/cluster/broker_config/replica.fetch.wait.max.ms")
            .find("at most replica.socket.timeout.ms (30000)") != std::string::npos);
  s = valid_scenario();
  s["producers"][0]["config"] = {{"enable.idempotence", true},
                                 {"max.in.flight.requests.per.connection", 6}};
  CHECK(single_error(load(s), "/producers/0/config/max.in.flight.requests.per.connection")
            .find("at most 5") != std::string::npos);
  s["producers"][0]["config"] = {{"delivery.timeout.ms", 1000}};
  CHECK(single_error(load(s), "/producers/0/config/delivery.timeout.ms")
            .find("linger.ms + request.timeout.ms (30000)") != std::string::npos);
}

TEST_CASE("min.insync.replicas above the replication factor is a warning") {
  auto s = valid_scenario();
  s["topics"][1]["config"] = {{"min.insync.replicas", 3}};
  const auto r = load(s);
  CHECK(r.ok());
  const auto* d = at(r, "/topics/1/config/min.insync.replicas");
  REQUIRE(d != nullptr);
  CHECK(d->severity == kafkasim::Severity::warning);
  CHECK(d->hint.find("NOT_ENOUGH_REPLICAS") != std::string::npos);
}

TEST_CASE("missing required keys") {
  auto s = valid_scenario();
  s.erase("duration_ms");
  CHECK(single_error(load(s), "/duration_ms") ==
        "test.json: /duration_ms: found nothing, expected a number > 0 (required)");
}

TEST_CASE("unknown keys are found at every level, each with its own hint") {
  auto s = valid_scenario();
  s["topics"][0]["replication_factr"] = 3;
  s["faults"][0]["untill_ms"] = 3;
  s["consumers"][0]["member"] = 3;
  const auto r = load(s);
  REQUIRE(at(r, "/topics/0/replication_factr") != nullptr);
  CHECK(at(r, "/topics/0/replication_factr")->hint == "did you mean \"replication_factor\"?");
  REQUIRE(at(r, "/faults/0/untill_ms") != nullptr);
  CHECK(at(r, "/faults/0/untill_ms")->hint == "did you mean \"until_ms\"?");
  REQUIRE(at(r, "/consumers/0/member") != nullptr);
  CHECK(at(r, "/consumers/0/member")->hint == "did you mean \"members\"?");
}

TEST_CASE("pointers escape '~' and '/' in keys (RFC 6901)") {
  auto s = valid_scenario();
  s["cluster"]["broker_config"]["a/b~c"] = 1;
  CHECK(at(load(s), "/cluster/broker_config/a~1b~0c") != nullptr);
}

TEST_CASE("KafkaProducer.configureAcks: enable.idempotence with acks other than all is refused") {
  // "Must set acks to all in order to use the idempotent producer" (a ConfigException).
  auto s = valid_scenario();
  s["producers"][0]["config"] = {{"enable.idempotence", true}, {"acks", "1"}};
  const std::string line = single_error(load(s), "/producers/0/config/acks");
  CHECK(line.find("found 1, expected all with enable.idempotence=true") != std::string::npos);
  s["producers"][0]["config"] = {{"enable.idempotence", true}, {"acks", 0}};
  CHECK(single_error(load(s), "/producers/0/config/acks").find("found 0") != std::string::npos);
  // acks=all is Kafka's own requirement met: only the usual note that the mode overrides it.
  s["producers"][0]["config"] = {{"enable.idempotence", true}, {"acks", "all"}};
  const auto r = load(s);
  CHECK(r.ok());
}

TEST_CASE(
    "KafkaProducer.configureAcks: a mode of acks=1 or 0 runs an idempotent producer without "
    "idempotence, and says so") {
  auto s = valid_scenario();
  s["acks"] = {"async", "isr"};
  s["producers"][0]["config"] = {{"enable.idempotence", true}};
  auto r = load(s);
  REQUIRE(r.ok());
  const auto* d = at(r, "/producers/0/config/enable.idempotence");
  REQUIRE(d != nullptr);
  CHECK(d->severity == kafkasim::Severity::warning);
  CHECK(d->message.find("the runs in mode async (acks=1) send without it") != std::string::npos);
  s["acks"] = {"isr", "sync"};
  r = load(s);
  CHECK(at(r, "/producers/0/config/enable.idempotence") == nullptr);
}

TEST_CASE("zookeeper_config.tickTime: ZooKeeper's names, did you mean, range") {
  auto s = valid_scenario();
  // Kafka 2.4.0's config/zookeeper.properties sets no tickTime: ZooKeeper's default applies.
  CHECK(load(s).scenario->cluster.zookeeper_tick_time == std::chrono::milliseconds(3000));
  s["cluster"]["zookeeper_config"] = {{"tick_time", 2000}};
  CHECK(single_error(load(s), "/cluster/zookeeper_config/tick_time")
            .find("did you mean \"tickTime\"?") != std::string::npos);
  s["cluster"]["zookeeper_config"] = {{"tickTime", 0}};
  CHECK(!single_error(load(s), "/cluster/zookeeper_config/tickTime").empty());
  s["cluster"]["zookeeper_config"] = {{"tickTime", 2000}};
  const auto r = load(s);
  REQUIRE(r.ok());
  CHECK(r.scenario->cluster.zookeeper_tick_time == std::chrono::milliseconds(2000));
}

TEST_CASE("ZooKeeperServer clamps a session timeout to [2, 20] x tickTime: the loader warns") {
  auto s = valid_scenario();
  s["cluster"]["broker_config"]["zookeeper.session.timeout.ms"] = 4000;
  auto r = load(s);
  REQUIRE(r.ok());
  const auto* d = at(r, "/cluster/broker_config/zookeeper.session.timeout.ms");
  REQUIRE(d != nullptr);
  CHECK(d->severity == kafkasim::Severity::warning);
  CHECK(d->message.find("[6000, 60000]: the session gets 6000 ms") != std::string::npos);
  s["cluster"]["zookeeper_config"] = {{"tickTime", 2000}};
  r = load(s);
  CHECK(at(r, "/cluster/broker_config/zookeeper.session.timeout.ms") == nullptr);
}

TEST_CASE("consumers[].coordination is coordinator or zookeeper, with the nearest suggested") {
  auto s = valid_scenario();
  s["consumers"][0]["coordination"] = "cordinator";
  const auto r = load(s);
  REQUIRE(at(r, "/consumers/0/coordination") != nullptr);
  CHECK(at(r, "/consumers/0/coordination")->hint == "did you mean \"coordinator\"?");
  CHECK(
      single_error(r, "/consumers/0/coordination").find("one of \"coordinator\", \"zookeeper\"") !=
      std::string::npos);
  s["consumers"][0]["coordination"] = "zookeeper";
  const auto ok = load(s);
  CHECK(ok.ok());
  REQUIRE(ok.scenario);
  CHECK(ok.scenario->consumers[0].coordination == kafkasim::GroupCoordination::zookeeper);
  // Without the key, the group runs as Kafka 2.4 runs it: under the group coordinator.
  s["consumers"][0].erase("coordination");
  CHECK(load(s).scenario->consumers[0].coordination == kafkasim::GroupCoordination::coordinator);
}

TEST_CASE("heartbeat.interval.ms must be below session.timeout.ms (Heartbeat.java)") {
  auto s = valid_scenario();
  s["consumers"][0]["coordination"] = "coordinator";
  s["consumers"][0]["config"]["heartbeat.interval.ms"] = 10000;
  CHECK(single_error(load(s), "/consumers/0/config/heartbeat.interval.ms")
            .find("less than session.timeout.ms (10000)") != std::string::npos);
}

TEST_CASE("the sticky assignor needs the group coordinator (the ZooKeeper consumer has none)") {
  auto s = valid_scenario();
  s["consumers"][0]["coordination"] = "zookeeper";
  s["consumers"][0]["config"]["partition.assignment.strategy"] = "sticky";
  CHECK(single_error(load(s), "/consumers/0/config/partition.assignment.strategy")
            .find("the sticky assignor needs the group coordinator") != std::string::npos);
  s["consumers"][0]["coordination"] = "coordinator";
  const auto ok = load(s);
  REQUIRE(ok.ok());
  CHECK(ok.scenario->consumers[0].config.partition_assignment_strategy ==
        kafkasim::AssignmentStrategy::sticky);
  s["consumers"][0]["config"]["partition.assignment.strategy"] =
      "org.apache.kafka.clients.consumer.StickyAssignor";
  CHECK(load(s).scenario->consumers[0].config.partition_assignment_strategy ==
        kafkasim::AssignmentStrategy::sticky);
  s["consumers"][0]["config"]["partition.assignment.strategy"] =
      "org.apache.kafka.clients.consumer.RoundRobinAssignor";
  CHECK(load(s).scenario->consumers[0].config.partition_assignment_strategy ==
        kafkasim::AssignmentStrategy::roundrobin);
}
