// The socket buffers (network.h "Socket buffers"): a connection counts the bytes its sender
// wrote that the receiving process has not read, a receiver may keep a message unread (a muted
// Kafka channel) and read it later, and a sender waiting for room hears of it one path delay
// after the count drops: the ACK that opens TCP's window.
#include <doctest/doctest.h>

#include <vector>

#include "network_fixture.h"

using namespace kafkasim;
using namespace kafkasim::testing;

TEST_CASE("socket buffers: bytes written count as unread until the receiving process reads them") {
  Fixture f(brokers(2), constant_spec(5));
  const NodeId a = f.id("broker-1");
  const NodeId b = f.id("broker-2");
  f.send("broker-1", "broker-2", 1, 1000);
  f.send("broker-1", "broker-2", 2, 500);
  CHECK(f.net.unread_bytes(a, b) == 1500);  // in flight
  CHECK(f.net.unread_bytes(b, a) == 0);
  f.run_to_ms(10);
  CHECK(f.net.unread_bytes(a, b) == 0);  // delivered is read
}

TEST_CASE(
    "socket buffers: a message kept unread fills the window until it is read; a waiting sender "
    "hears of the room one path delay after the read") {
  Fixture f(brokers(2), constant_spec(5));
  const NodeId a = f.id("broker-1");
  const NodeId b = f.id("broker-2");
  struct Kept {
    NodeId from;
    std::uint32_t bytes;
    std::uint32_t epoch;
  };
  std::vector<Kept> kept;
  f.at("broker-2").on_receive = [&](NodeId from, const Msg&) {
    f.net.keep_unread(b, from, 1000);
    kept.push_back({from, 1000, f.net.connection_epoch(from, b)});
  };
  f.send("broker-1", "broker-2", 1, 1000);
  f.net.wait_for_room(a, b);
  f.run_to_ms(20);
  CHECK(f.net.unread_bytes(a, b) == 1000);   // delivered, but kept unread: the window is shut
  CHECK(f.at("broker-1").writable.empty());  // nothing was read, so no window update

  const Instant read_at = f.engine.now();
  f.net.read_kept(b, a, kept[0].bytes, kept[0].epoch);
  CHECK(f.net.unread_bytes(a, b) == 0);
  f.run_to_ms(40);
  REQUIRE(f.at("broker-1").writable.size() == 1);  // one path delay (5 ms) after the read
  CHECK(f.at("broker-1").writable[0].peer == b);
  CHECK(f.at("broker-1").writable[0].at == read_at + std::chrono::milliseconds(5));
}

TEST_CASE(
    "socket buffers: a reset connection starts empty; a read on the old one changes nothing") {
  Fixture f(brokers(2), constant_spec(5));
  const NodeId a = f.id("broker-1");
  const NodeId b = f.id("broker-2");
  std::uint32_t old_epoch = 0;
  f.at("broker-2").on_receive = [&](NodeId from, const Msg&) {
    f.net.keep_unread(b, from, 1000);
    old_epoch = f.net.connection_epoch(from, b);
  };
  f.send("broker-1", "broker-2", 1, 1000);
  f.run_to_ms(10);
  REQUIRE(f.net.unread_bytes(a, b) == 1000);
  f.net.disconnect(a, b);
  CHECK(f.net.unread_bytes(a, b) == 0);
  f.at("broker-2").on_receive = nullptr;
  f.send("broker-1", "broker-2", 2, 300);
  f.net.read_kept(b, a, 1000, old_epoch);  // that connection is gone: ignored
  CHECK(f.net.unread_bytes(a, b) == 300);
}
