// Timing of messages: latency plus transmission, serial links, store-and-forward, FIFO per
// connection under random latency, and the determinism of the draws.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "network_fixture.h"

using namespace kafkasim;
using namespace kafkasim::testing;

namespace {

std::vector<Instant> times(const std::vector<Received>& messages) {
  std::vector<Instant> out;
  for (const Received& r : messages)
    out.push_back(r.at);
  return out;
}

// Sends `count` messages broker-1 -> broker-2, one every `gap_us`, and returns what arrived.
std::vector<Received> stream(const Dist& latency, int count, double gap_us,
                             std::uint64_t seed = 7) {
  NetworkSpec spec;
  spec.latency_ms = latency;
  Fixture f(brokers(2), spec, seed);
  for (int i = 0; i < count; ++i) {
    f.run_to_ms(i * gap_us / 1000.0);
    f.send("broker-1", "broker-2", i, 100);
  }
  f.run_to_ms(1e6);
  CHECK(f.net.in_flight() == 0);
  return f.at("broker-2").messages;
}

}  // namespace

TEST_CASE("arrival = send + latency + bytes*8/bandwidth") {
  // 8 Mbit/s: one byte takes exactly one microsecond.
  Fixture f(brokers(2), constant_spec(2, 8));
  f.run_to_ms(10);
  f.send("broker-1", "broker-2", 1, 1000);
  f.run_to_ms(100);
  REQUIRE(f.at("broker-2").messages.size() == 1);
  CHECK(f.at("broker-2").messages[0].at == instant_from_ms(10 + 2 + 1));
  CHECK(f.net.counters().sent == 1);
  CHECK(f.net.counters().delivered == 1);
}

TEST_CASE("a busy link queues back-to-back messages; the other direction is its own line") {
  Fixture f(brokers(2), constant_spec(2, 8));
  for (int i = 0; i < 3; ++i)
    f.send("broker-1", "broker-2", i, 1000);
  f.send("broker-2", "broker-1", 9, 1000);
  f.run_to_ms(100);
  CHECK(times(f.at("broker-2").messages) ==
        std::vector<Instant>{instant_from_ms(3), instant_from_ms(4), instant_from_ms(5)});
  CHECK(times(f.at("broker-1").messages) == std::vector<Instant>{instant_from_ms(3)});
}

TEST_CASE("each hop stores and forwards: transmission is paid on every link") {
  NetworkSpec spec = constant_spec(1, 8);
  spec.switches = {"s1"};
  Fixture f(brokers(2), spec);
  f.send("broker-1", "broker-2", 1, 1000);
  f.run_to_ms(100);
  REQUIRE(f.at("broker-2").messages.size() == 1);
  // (1 ms transmit + 1 ms latency) per hop, two hops.
  CHECK(f.at("broker-2").messages[0].at == instant_from_ms(4));
}

TEST_CASE("a message to oneself arrives at once") {
  Fixture f(brokers(1), constant_spec(5));
  f.run_to_ms(1);
  f.send("broker-1", "broker-1", 1, 100);
  f.run_to_ms(2);
  REQUIRE(f.at("broker-1").messages.size() == 1);
  CHECK(f.at("broker-1").messages[0].at == instant_from_ms(1));
}

TEST_CASE("messages arrive in the order sent under random latency (TCP)") {
  // One message a millisecond against latencies that vary by milliseconds: without the FIFO
  // floor many would overtake their predecessors.
  for (const Dist& latency : {Dist::normal(5, 4), Dist::exponential(2)}) {
    CAPTURE(latency.to_json());
    const std::vector<Received> got = stream(latency, 3000, 1000);
    REQUIRE(got.size() == 3000);
    std::vector<int> expected(3000);
    for (int i = 0; i < 3000; ++i)
      expected[i] = i;
    CHECK(ids(got) == expected);
    const std::vector<Instant> at = times(got);
    CHECK(std::is_sorted(at.begin(), at.end()));
    // The randomness is real: many distinct arrival times...
    CHECK(std::set<Instant>(at.begin(), at.end()).size() > 1000);
    // ...and the floor did work: some messages waited for a slower predecessor.
    int held_back = 0;
    for (std::size_t i = 1; i < at.size(); ++i)
      held_back += at[i] == at[i - 1] ? 1 : 0;
    CHECK(held_back > 100);
  }
}

TEST_CASE("the same seed gives the same arrival times; another seed does not") {
  const auto a = times(stream(Dist::normal(5, 4), 200, 100, 11));
  const auto b = times(stream(Dist::normal(5, 4), 200, 100, 11));
  const auto c = times(stream(Dist::normal(5, 4), 200, 100, 12));
  CHECK(a == b);
  CHECK(a != c);
}

TEST_CASE("traffic on another link does not change a link's draws") {
  NetworkSpec spec;
  spec.latency_ms = Dist::exponential(1);
  std::vector<Instant> alone;
  std::vector<Instant> busy;
  for (const bool other_traffic : {false, true}) {
    Fixture f(brokers(4), spec, 3);
    for (int i = 0; i < 300; ++i) {
      f.run_to_ms(i * 0.5);
      if (other_traffic) {
        f.send("broker-3", "broker-4", i, 100);
        f.send("broker-2", "broker-1", i, 100);  // the reverse direction is another line too
        f.send("broker-1", "broker-3", i, 100);
      }
      f.send("broker-1", "broker-2", i, 100);
    }
    f.run_to_ms(1e4);
    (other_traffic ? busy : alone) = times(f.at("broker-2").messages);
  }
  REQUIRE(alone.size() == 300);
  CHECK(alone == busy);
}
