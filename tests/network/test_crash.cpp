// Crashes: a process crash resets its connections (peers told after a one-way delay, new sends
// refused after a round trip); a power loss is silent, and leaves half-open connections that the
// rebooted kernel resets; a restart starts with fresh connections.
#include <doctest/doctest.h>

#include "network_fixture.h"

using namespace kafkasim;
using namespace kafkasim::testing;

TEST_CASE("a process crash drops what is in flight and tells the peers after a one-way delay") {
  Fixture f(brokers(3), constant_spec(1));
  const NodeId b2 = f.id("broker-2");
  f.send("broker-1", "broker-2", 1);  // opens broker-1 <-> broker-2
  f.run_to_ms(5);
  f.send("broker-1", "broker-2", 2);  // in flight at the crash
  f.send("broker-2", "broker-1", 3);  // in flight from the crashed node
  f.run_to_ms(5.5);
  f.net.crash(b2, CrashKind::process);
  CHECK(f.net.state(b2) == NodeState::crashed);
  f.run_to_ms(10);
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{1});
  CHECK(f.at("broker-1").messages.empty());
  CHECK(f.net.counters().dropped_for(DropReason::connection_closed) == 2);
  REQUIRE(f.at("broker-1").disconnects.size() == 1);
  CHECK(f.at("broker-1").disconnects[0].peer == b2);
  CHECK(f.at("broker-1").disconnects[0].at == instant_from_ms(6.5));
  CHECK(f.at("broker-3").disconnects.empty());  // it had no connection to broker-2
  CHECK_FALSE(f.net.connected(f.id("broker-1"), b2));

  // A new connection attempt is refused: the sender hears after a round trip.
  f.send("broker-3", "broker-2", 4);
  f.run_to_ms(20);
  CHECK(f.net.counters().dropped_for(DropReason::refused) == 1);
  REQUIRE(f.at("broker-3").disconnects.size() == 1);
  CHECK(f.at("broker-3").disconnects[0].at == instant_from_ms(12));

  // Restarted: fresh connections work both ways.
  f.net.restart(b2);
  f.send("broker-3", "broker-2", 5);
  f.send("broker-2", "broker-1", 6);
  f.run_to_ms(30);
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{1, 5});
  CHECK(ids(f.at("broker-1").messages) == std::vector<int>{6});
  CHECK(f.at("broker-2").messages[1].at == instant_from_ms(21));
  CHECK(f.at("broker-1").disconnects.size() == 1);
  CHECK(f.net.in_flight() == 0);
}

TEST_CASE("messages sent before the crash notice arrives are refused once, not each") {
  Fixture f(brokers(2), constant_spec(1));
  f.send("broker-1", "broker-2", 1);
  f.run_to_ms(5);
  f.net.crash(f.id("broker-2"), CrashKind::process);
  // Sent before the crash notice arrives at 6: the first is refused on arrival, the others die
  // with the refused connection. One notice for the crash, one for the refusal, not four.
  for (int i = 2; i <= 4; ++i)
    f.send("broker-1", "broker-2", i);
  f.run_to_ms(20);
  REQUIRE(f.at("broker-1").disconnects.size() == 2);
  CHECK(f.at("broker-1").disconnects[0].at == instant_from_ms(6));
  CHECK(f.at("broker-1").disconnects[1].at == instant_from_ms(7));
  CHECK(f.net.counters().dropped_for(DropReason::refused) == 1);
  CHECK(f.net.counters().dropped_for(DropReason::connection_closed) == 2);
  CHECK(f.net.counters().notices_sent == 2);
}

TEST_CASE("a message sent while down that arrives after the restart is delivered") {
  Fixture f(brokers(2), constant_spec(10));
  f.net.crash(f.id("broker-2"), CrashKind::process);
  f.send("broker-1", "broker-2", 1);
  f.run_to_ms(5);
  f.net.restart(f.id("broker-2"));
  f.run_to_ms(50);
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{1});
  CHECK(f.at("broker-1").disconnects.empty());
}

TEST_CASE("a crash discards messages held by a partition or a pause") {
  Fixture f(brokers(3), constant_spec(1));
  f.net.partition({{f.id("broker-1")}, {f.id("broker-2")}});
  f.net.pause(f.id("broker-2"));
  f.send("broker-1", "broker-2", 1);
  f.send("broker-3", "broker-2", 2);
  f.run_to_ms(5);
  CHECK(f.net.held_now() == 2);
  f.net.crash(f.id("broker-2"), CrashKind::process);
  f.net.restart(f.id("broker-2"));
  f.run_to_ms(50);
  CHECK(f.net.held_now() == 1);  // broker-2's RST to broker-1, still behind the partition
  CHECK(f.at("broker-2").messages.empty());
  CHECK(f.net.counters().dropped_for(DropReason::connection_closed) == 2);
  REQUIRE(f.at("broker-3").disconnects.size() == 1);
  CHECK(f.at("broker-3").disconnects[0].at == instant_from_ms(6));
}

TEST_CASE("power loss is silent; after the reboot the old connection is reset") {
  Fixture f(brokers(3), constant_spec(1));
  const NodeId b2 = f.id("broker-2");
  f.send("broker-1", "broker-2", 1);
  f.send("broker-3", "broker-2", 2);
  f.run_to_ms(5);
  f.send("broker-1", "broker-2", 3);  // in flight at the power loss
  f.run_to_ms(5.5);
  f.net.crash(b2, CrashKind::power_loss);
  CHECK(f.net.state(b2) == NodeState::powered_off);
  f.send("broker-1", "broker-2", 4);  // into the void
  f.run_to_ms(20);
  for (const auto& r : f.recorders)
    CHECK(r->disconnects.empty());
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{1, 2});
  CHECK(f.net.counters().dropped_for(DropReason::host_down) == 1);
  CHECK(f.net.counters().dropped_for(DropReason::connection_closed) == 1);

  f.net.restart(b2);
  f.run_to_ms(30);
  // broker-1 still believes in its connection: the new kernel answers RST, one round trip.
  f.send("broker-1", "broker-2", 5);
  f.run_to_ms(40);
  CHECK(f.net.counters().dropped_for(DropReason::reset) == 1);
  REQUIRE(f.at("broker-1").disconnects.size() == 1);
  CHECK(f.at("broker-1").disconnects[0].at == instant_from_ms(32));
  f.send("broker-1", "broker-2", 6);  // a fresh connection
  // The rebooted node connects to broker-3 first: the half-open connection is replaced.
  f.send("broker-2", "broker-3", 7);
  f.run_to_ms(50);
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{1, 2, 6});
  CHECK(ids(f.at("broker-3").messages) == std::vector<int>{7});
  f.send("broker-3", "broker-2", 8);
  f.run_to_ms(60);
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{1, 2, 6, 8});
  CHECK(f.at("broker-3").disconnects.empty());
}

// Selector.pollSelectionKeys / NetworkClient.handleDisconnections: a peer whose packet meets a
// kernel that knows no such connection is reset, even when the rebooted node has meanwhile
// opened a connection of its own (swarm chaos seed 20047: a follower's fetch left as its
// restarted leader first fetched from it, and waited replica.socket.timeout.ms).
TEST_CASE("the rebooted kernel resets what the peer sent on the half-open connection it replaced") {
  Fixture f(brokers(3), constant_spec(1));
  const NodeId b2 = f.id("broker-2");
  f.send("broker-1", "broker-2", 1);
  f.send("broker-3", "broker-2", 2);
  f.run_to_ms(5);
  f.net.crash(b2, CrashKind::power_loss);
  f.net.restart(b2);
  f.run_to_ms(10);
  // broker-1 writes on its half-open socket just as the rebooted broker-2 connects to it.
  f.send("broker-1", "broker-2", 3);
  f.send("broker-2", "broker-1", 4);
  // broker-3's message is held at a cut while broker-2 connects to it.
  const PartitionHandle cut = f.net.partition({{f.id("broker-3")}, {b2}});
  f.send("broker-3", "broker-2", 5);
  f.run_to_ms(10.2);
  f.send("broker-2", "broker-3", 6);
  f.run_to_ms(10.5);
  f.net.heal(cut);
  f.run_to_ms(20);
  CHECK(ids(f.at("broker-1").messages) == std::vector<int>{4});
  CHECK(ids(f.at("broker-3").messages) == std::vector<int>{6});
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{1, 2});
  // Message 3 reaches broker-2 at 11 ms; the RST reaches broker-1 at 12 ms.
  REQUIRE(f.at("broker-1").disconnects.size() == 1);
  CHECK(f.at("broker-1").disconnects[0].at == instant_from_ms(12));
  CHECK(f.net.counters().dropped_for(DropReason::reset) == 1);
  // Message 5, held at the cut, is discarded with the old connection: one RST for it.
  REQUIRE(f.at("broker-3").disconnects.size() == 1);
  CHECK(f.at("broker-3").disconnects[0].at == instant_from_ms(11.5));
  // The new connections stay up: each side's next message arrives.
  f.send("broker-1", "broker-2", 7);
  f.send("broker-3", "broker-2", 8);
  f.run_to_ms(30);
  CHECK(ids(f.at("broker-2").messages) == std::vector<int>{1, 2, 7, 8});
  CHECK(f.at("broker-2").disconnects.empty());
}

TEST_CASE("a down node's sends are dropped") {
  Fixture f(brokers(2), constant_spec(1));
  f.net.crash(f.id("broker-1"), CrashKind::process);
  f.send("broker-1", "broker-2", 1);
  f.run_to_ms(10);
  CHECK(f.at("broker-2").messages.empty());
  CHECK(f.net.counters().dropped_for(DropReason::sender_down) == 1);
}
