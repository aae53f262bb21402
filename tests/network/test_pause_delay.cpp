// A paused node's kernel keeps accepting data, delivered in order at resume; extra delays on
// links touching a node or between two nodes add up and end.
#include <doctest/doctest.h>

#include <set>

#include "network_fixture.h"

using namespace kafkasim;
using namespace kafkasim::testing;

TEST_CASE("messages to a paused node are held and delivered in order when it resumes") {
  NetworkSpec spec;
  spec.latency_ms = Dist::uniform(0.5, 3);
  Fixture f(brokers(3), spec, 9);
  const NodeId b2 = f.id("broker-2");
  f.net.pause(b2);
  CHECK(f.net.state(b2) == NodeState::paused);
  for (int i = 0; i < 20; ++i) {
    f.run_to_ms(i * 0.1);
    f.send("broker-1", "broker-2", i);
    f.send("broker-3", "broker-2", 100 + i);
  }
  f.run_to_ms(50);
  CHECK(f.at("broker-2").messages.empty());
  CHECK(f.net.held_now() == 40);
  f.net.resume(b2);
  f.run_to_ms(50);  // delivered at the resume instant
  REQUIRE(f.at("broker-2").messages.size() == 40);
  std::vector<int> from1;
  std::vector<int> from3;
  for (const Received& r : f.at("broker-2").messages) {
    CHECK(r.at == instant_from_ms(50));
    (r.from == f.id("broker-1") ? from1 : from3).push_back(r.id);
  }
  std::vector<int> expected1(20);
  std::vector<int> expected3(20);
  for (int i = 0; i < 20; ++i) {
    expected1[i] = i;
    expected3[i] = 100 + i;
  }
  CHECK(from1 == expected1);
  CHECK(from3 == expected3);
  // Messages in flight at the resume follow the held ones.
  f.send("broker-1", "broker-2", 20);
  f.run_to_ms(100);
  CHECK(f.at("broker-2").messages.back().id == 20);
  CHECK(f.at("broker-2").messages.back().at > instant_from_ms(50));
  for (const auto& r : f.recorders)
    CHECK(r->disconnects.empty());
}

TEST_CASE("a pause with a partition: each blocker releases only what it held") {
  Fixture f(brokers(2), constant_spec(1));
  const NodeId b2 = f.id("broker-2");
  f.send("broker-1", "broker-2", 1);
  f.net.pause(b2);
  f.run_to_ms(5);  // 1 waits in broker-2's kernel
  const PartitionHandle p = f.net.partition({{f.id("broker-1")}, {b2}});
  f.send("broker-1", "broker-2", 2);  // held at the partition
  f.run_to_ms(10);
  f.net.resume(b2);
  f.run_to_ms(20);
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{1});
  CHECK(f.at("broker-2").messages[0].at == instant_from_ms(10));
  f.net.heal(p);
  f.run_to_ms(30);
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{1, 2});
  CHECK(f.at("broker-2").messages[1].at == instant_from_ms(21));
}

TEST_CASE("extra delays on links touching targets and between two nodes add, and end") {
  Fixture f(brokers(3), constant_spec(1));
  const NodeId b1 = f.id("broker-1");
  const NodeId b2 = f.id("broker-2");
  const NodeId b3 = f.id("broker-3");
  const auto one_way = [&](const std::string& from, const std::string& to) {
    const std::size_t before = f.at(to).messages.size();
    const Instant sent = f.engine.now();
    f.send(from, to, 0);
    f.run_to_ms(to_ms(sent) + 100);
    REQUIRE(f.at(to).messages.size() == before + 1);
    return to_ms(f.at(to).messages.back().at - sent);
  };
  const std::vector<NodeId> targets{b2};
  const DelayHandle touching = f.net.add_delay(targets, Dist::constant(10));
  CHECK(one_way("broker-1", "broker-2") == 11);
  CHECK(one_way("broker-2", "broker-1") == 11);
  CHECK(one_way("broker-1", "broker-3") == 1);
  const DelayHandle between = f.net.add_delay_between(b1, b3, Dist::constant(5));
  CHECK(one_way("broker-1", "broker-3") == 6);
  CHECK(one_way("broker-3", "broker-1") == 6);
  CHECK(one_way("broker-2", "broker-3") == 11);
  const DelayHandle overlap = f.net.add_delay_between(b2, b1, Dist::constant(3));
  CHECK(one_way("broker-1", "broker-2") == 14);
  f.net.end_delay(touching);
  CHECK(one_way("broker-1", "broker-2") == 4);
  CHECK(one_way("broker-2", "broker-3") == 1);
  f.net.end_delay(between);
  f.net.end_delay(overlap);
  f.net.end_delay(overlap);  // twice is harmless
  CHECK(one_way("broker-1", "broker-3") == 1);
  CHECK(one_way("broker-2", "broker-1") == 1);
}

TEST_CASE("an extra delay is drawn per message") {
  Fixture f(brokers(2), constant_spec(1));
  const std::vector<NodeId> targets{f.id("broker-2")};
  f.net.add_delay(targets, Dist::exponential(5));
  for (int i = 0; i < 50; ++i) {
    f.run_to_ms(i * 100.0);
    f.send("broker-1", "broker-2", i);
  }
  f.run_to_ms(10000);
  REQUIRE(f.at("broker-2").messages.size() == 50);
  std::set<std::int64_t> delays;
  for (int i = 0; i < 50; ++i) {
    delays.insert((f.at("broker-2").messages[i].at - instant_from_ms(i * 100.0)).count());
  }
  CHECK(delays.size() == 50);
}
