// Partitions: messages across sides are held on their connection and cross, in order, after the
// heal; same-side and unnamed nodes pass; a disconnect discards what is held; overlaps.
#include <doctest/doctest.h>

#include "network_fixture.h"

using namespace kafkasim;
using namespace kafkasim::testing;

namespace {

std::vector<NodeDecl> cluster() {
  std::vector<NodeDecl> nodes = brokers(3);
  nodes.push_back({"zookeeper", NodeKind::zookeeper});
  return nodes;
}

}  // namespace

TEST_CASE("across sides messages are held, and arrive in order one path delay after the heal") {
  Fixture f(cluster(), constant_spec(1));
  const PartitionHandle p =
      f.net.partition({{f.id("broker-1")}, {f.id("broker-2"), f.id("broker-3")}});
  f.send("broker-1", "broker-2", 1);
  f.send("broker-2", "broker-3", 2);   // same side
  f.send("zookeeper", "broker-1", 3);  // on no side: reaches everyone
  f.send("zookeeper", "broker-2", 4);
  f.run_to_ms(5);
  f.send("broker-1", "broker-2", 5);
  f.send("broker-2", "broker-1", 6);
  f.run_to_ms(50);
  CHECK(f.at("broker-2").messages.size() == 1);  // only zookeeper's
  CHECK(ids(f.at("broker-3").messages) == std::vector<int>{2});
  CHECK(ids(f.at("broker-1").messages) == std::vector<int>{3});
  CHECK(f.net.held_now() == 3);
  CHECK(f.net.counters().held == 3);

  f.net.heal(p);
  f.run_to_ms(100);
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{4, 1, 5});
  CHECK(f.at("broker-2").messages[1].at == instant_from_ms(51));
  CHECK(f.at("broker-2").messages[2].at == instant_from_ms(51));
  CHECK(ids(f.at("broker-1").messages) == std::vector<int>{3, 6});
  CHECK(f.net.held_now() == 0);
  // The partition itself tells nobody anything.
  for (const auto& r : f.recorders)
    CHECK(r->disconnects.empty());
}

TEST_CASE("a message in flight when the partition starts is held on arrival") {
  Fixture f(brokers(2), constant_spec(10));
  f.send("broker-1", "broker-2", 1);
  f.run_to_ms(5);
  const PartitionHandle p = f.net.partition({{f.id("broker-1")}, {f.id("broker-2")}});
  f.run_to_ms(40);
  CHECK(f.at("broker-2").messages.empty());
  f.net.heal(p);
  f.run_to_ms(100);
  REQUIRE(f.at("broker-2").messages.size() == 1);
  CHECK(f.at("broker-2").messages[0].at == instant_from_ms(50));
}

TEST_CASE("order holds across a partition under random latency") {
  NetworkSpec spec;
  spec.latency_ms = Dist::uniform(0, 10);
  Fixture f(brokers(2), spec, 5);
  PartitionHandle p;
  for (int i = 0; i < 400; ++i) {
    f.run_to_ms(i * 0.25);
    if (i == 100) p = f.net.partition({{f.id("broker-1")}, {f.id("broker-2")}});
    if (i == 200) f.net.heal(p);
    if (i == 250) p = f.net.partition({{f.id("broker-2")}, {f.id("broker-1")}});
    if (i == 300) f.net.heal(p);
    f.send("broker-1", "broker-2", i);
  }
  f.run_to_ms(1000);
  std::vector<int> expected(400);
  for (int i = 0; i < 400; ++i)
    expected[i] = i;
  CHECK(ids(f.at("broker-2").messages) == expected);
  CHECK(f.net.counters().held > 100);
  CHECK(f.net.in_flight() == 0);
}

TEST_CASE("disconnect during a partition discards what is held; the peer hears at the heal") {
  Fixture f(brokers(2), constant_spec(1));
  f.send("broker-1", "broker-2", 0);
  f.run_to_ms(5);
  const PartitionHandle p = f.net.partition({{f.id("broker-1")}, {f.id("broker-2")}});
  f.send("broker-1", "broker-2", 1);
  f.send("broker-1", "broker-2", 2);
  f.send("broker-2", "broker-1", 3);
  f.run_to_ms(30);
  f.net.disconnect(f.id("broker-1"), f.id("broker-2"));  // a request timed out
  f.run_to_ms(31);
  CHECK(f.net.held_now() == 1);  // only the FIN, itself held
  CHECK(f.net.counters().dropped_for(DropReason::connection_closed) == 3);
  f.net.heal(p);
  f.run_to_ms(100);
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{0});
  CHECK(f.at("broker-1").messages.empty());
  CHECK(f.at("broker-1").disconnects.empty());
  REQUIRE(f.at("broker-2").disconnects.size() == 1);
  CHECK(f.at("broker-2").disconnects[0].peer == f.id("broker-1"));
  CHECK(f.at("broker-2").disconnects[0].at == instant_from_ms(32));
  // A new connection works.
  f.send("broker-1", "broker-2", 4);
  f.run_to_ms(200);
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{0, 4});
}

TEST_CASE("a disconnect discards what is in flight both ways and tells the peer") {
  Fixture f(brokers(2), constant_spec(10));
  f.send("broker-1", "broker-2", 1);
  f.send("broker-2", "broker-1", 2);
  f.run_to_ms(5);
  f.net.disconnect(f.id("broker-1"), f.id("broker-2"));
  f.run_to_ms(100);
  CHECK(f.at("broker-1").messages.empty());
  CHECK(f.at("broker-2").messages.empty());
  CHECK(f.net.counters().dropped_for(DropReason::connection_closed) == 2);
  REQUIRE(f.at("broker-2").disconnects.size() == 1);
  CHECK(f.at("broker-2").disconnects[0].at == instant_from_ms(15));
  CHECK(f.at("broker-1").disconnects.empty());
  // Closing a closed connection does nothing.
  f.net.disconnect(f.id("broker-1"), f.id("broker-2"));
  f.run_to_ms(200);
  CHECK(f.at("broker-2").disconnects.size() == 1);
}

TEST_CASE("overlapping partitions: a pair passes only when no active partition cuts it") {
  Fixture f(brokers(3), constant_spec(1));
  const NodeId b1 = f.id("broker-1");
  const PartitionHandle p12 = f.net.partition({{b1}, {f.id("broker-2")}});
  const PartitionHandle p13 = f.net.partition({{b1}, {f.id("broker-3")}});
  const PartitionHandle p12_again = f.net.partition({{f.id("broker-2")}, {b1, f.id("broker-3")}});
  f.send("broker-1", "broker-2", 1);
  f.send("broker-1", "broker-3", 2);
  f.send("broker-2", "broker-3", 3);  // cut by the third only
  f.run_to_ms(10);
  f.net.heal(p12);
  f.run_to_ms(20);
  CHECK(f.at("broker-2").messages.empty());  // still cut by the third
  CHECK(f.at("broker-3").messages.empty());
  f.net.heal(p12_again);
  f.run_to_ms(30);
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{1});
  CHECK(ids(f.at("broker-3").messages) == std::vector<int>{3});
  CHECK(f.at("broker-2").messages[0].at == instant_from_ms(21));
  f.net.heal(p13);
  f.net.heal(p13);  // twice is harmless
  f.run_to_ms(40);
  CHECK(ids(f.at("broker-3").messages) == std::vector<int>{3, 2});
}

TEST_CASE("a node on two sides is refused") {
  Fixture f(brokers(2), constant_spec(1));
  CHECK_THROWS_AS(f.net.partition({{f.id("broker-1")}, {f.id("broker-1"), f.id("broker-2")}}),
                  std::invalid_argument);
}
