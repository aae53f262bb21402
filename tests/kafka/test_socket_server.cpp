// SocketServer's Processor: a broker reads one request per client connection at a time
// (core/src/main/scala/kafka/network/SocketServer.scala, Kafka 2.4: processCompletedReceives
// mutes the channel, processCompletedSends unmutes it, a NoOpResponse unmutes it at once), on a
// real cluster (broker_fixture.h) and on the SocketServer alone.
#include <doctest/doctest.h>

#include <chrono>

#include "broker_fixture.h"
#include "kafkasim/kafka/socket_server.h"

using namespace kafkasim;
using kafkasim::test::ClusterFixture;
using kafkasim::test::kOrders0;
using kafkasim::test::ms_of;
using std::chrono::milliseconds;

namespace {

BrokerRequest produce_request(std::uint32_t correlation_id) {
  ProduceRequest request;
  request.correlation_id = CorrelationId(correlation_id);
  return request;
}

}  // namespace

TEST_CASE(
    "SocketServer.processCompletedReceives mutes the channel: a second request on a connection "
    "is not read until the first one's response is sent (processCompletedSends)") {
  ClusterFixture f;
  f.broker(3).pause();  // in the ISR, not fetching: an acks=all request waits
  f.produce(ProduceAcks::all, 10);
  f.produce(ProduceAcks::leader, 5);  // acks=1 would be answered at once if it were read
  f.run_to_ms(3000);
  CHECK(f.produce_responses().empty());
  CHECK(f.log_end(1) == 10);  // the second request is not even appended: it was never read
  CHECK(f.broker(1).socket_server().muted(f.node("client"), ClientSocket::client));
  CHECK(f.broker(1).socket_server().unread(f.node("client"), ClientSocket::client) == 1);

  f.broker(3).resume();
  f.run_to_ms(3100);
  const auto responses = f.produce_responses();
  REQUIRE(responses.size() == 2);
  CHECK(responses[0].second.correlation_id == CorrelationId(1));
  CHECK(responses[1].second.correlation_id == CorrelationId(2));
  CHECK(responses[1].second.partitions.at(0).base_offset == 10);
  CHECK(f.log_end(1) == 15);
  CHECK_FALSE(f.broker(1).socket_server().muted(f.node("client"), ClientSocket::client));
}

TEST_CASE(
    "SocketServer.processNewResponses: acks=0 gets a NoOpResponse, which unmutes the channel "
    "once the request is handled") {
  ClusterFixture f;
  f.produce(ProduceAcks::none, 10);
  f.produce(ProduceAcks::leader, 5);
  f.run_to_ms(2100);
  const auto responses = f.produce_responses();
  REQUIRE(responses.size() == 1);  // the acks=0 request has no answer; the next was read
  CHECK(responses[0].second.correlation_id == CorrelationId(2));
  CHECK(responses[0].second.partitions.at(0).base_offset == 10);
  CHECK(f.log_end(1) == 15);
}

TEST_CASE(
    "SocketServer: each connection is muted on its own; a consumer's parked fetch holds back "
    "its own next request, not a producer's") {
  ClusterFixture f;
  f.broker(3).pause();  // in the ISR, not fetching: the high watermark stays at 0
  f.consumer_fetch(0, milliseconds(500));  // nothing below the HW: parked until 2500 ms
  f.run_to_ms(2050);
  // A second fetch on the consumer's connection waits behind the parked one...
  f.consumer_fetch(0, milliseconds(0));
  // ... while the client's produce, on its own connection, is read and answered at once.
  f.produce(ProduceAcks::leader, 10);
  f.run_to_ms(2100);
  REQUIRE(f.produce_responses().size() == 1);
  CHECK(f.consumer.all<FetchResponse>().empty());
  CHECK(f.broker(1).socket_server().unread(f.node("consumer"), ClientSocket::client) == 1);
  f.run_to_ms(2600);
  // The parked fetch is answered at its max wait; only then is the second read and answered.
  const auto fetches = f.consumer.all<FetchResponse>();
  REQUIRE(fetches.size() == 2);
  CHECK(ms_of(fetches[0].first) >= 2500);
  CHECK(ms_of(fetches[1].first) >= 2500);
}

TEST_CASE(
    "SocketServer: a connection closed by its client is a new channel; what it left unread is "
    "gone with it (Selector.close)") {
  ClusterFixture f;
  f.broker(3).pause();
  f.produce(ProduceAcks::all, 10);    // parked
  f.produce(ProduceAcks::leader, 5);  // unread behind it
  f.run_to_ms(2100);
  // The client gives up (its request timeout) and closes the connection, then sends again.
  f.net.disconnect(f.node("client"), f.node("broker-1"));
  f.run_to_ms(2110);
  f.produce(ProduceAcks::leader, 7);
  f.run_to_ms(2200);
  const auto responses = f.produce_responses();
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].second.correlation_id == CorrelationId(3));
  CHECK(f.log_end(1) == 17);  // the request left unread on the old connection was never read
}

TEST_CASE(
    "SocketServer: the next request is read when the response sent matches the request served") {
  SocketServer server(4);
  const NodeId client(3);
  BrokerRequest first = produce_request(1);
  BrokerRequest second = produce_request(2);
  CHECK(server.arrive(client, 0, first, 100));
  CHECK_FALSE(server.arrive(client, 0, second, 200));  // muted: stays unread
  CHECK(server.unread(client, ClientSocket::client) == 1);
  // An answer to another request (say, of an older connection) unmutes nothing.
  CHECK_FALSE(server.unmute(client, CorrelationId(7), 0).has_value());
  CHECK(server.muted(client, ClientSocket::client));
  const auto next = server.unmute(client, CorrelationId(1), 0);
  REQUIRE(next.has_value());
  CHECK(next->bytes == 200);
  CHECK(std::get<ProduceRequest>(next->request).correlation_id == CorrelationId(2));
  CHECK(server.muted(client, ClientSocket::client));  // muted again, on the second request
  CHECK_FALSE(server.unmute(client, CorrelationId(2), 0).has_value());
  CHECK_FALSE(server.muted(client, ClientSocket::client));
}

TEST_CASE(
    "SocketServer: a follower's fetcher, the controller's channel and a controlled shutdown are "
    "connections of their own") {
  FetchRequest follower_fetch;
  follower_fetch.replica_id = BrokerId(2);
  FetchRequest consumer_fetch;
  CHECK(client_socket_of(BrokerRequest(follower_fetch)) == ClientSocket::replica_fetcher);
  CHECK(client_socket_of(BrokerRequest(OffsetsForLeaderEpochRequest{})) ==
        ClientSocket::replica_fetcher);
  CHECK(client_socket_of(BrokerRequest(consumer_fetch)) == ClientSocket::client);
  CHECK(client_socket_of(BrokerRequest(LeaderAndIsrRequest{})) == ClientSocket::controller);
  CHECK(client_socket_of(BrokerRequest(ControlledShutdownRequest{})) ==
        ClientSocket::controlled_shutdown);

  SocketServer server(4);
  const NodeId broker_2(1);
  BrokerRequest fetch = follower_fetch;
  BrokerRequest leader_and_isr = LeaderAndIsrRequest{CorrelationId(9), {}, {}, {}};
  CHECK(server.arrive(broker_2, 0, fetch, 50));
  CHECK(server.arrive(broker_2, 0, leader_and_isr, 50));  // not behind the parked fetch
}
