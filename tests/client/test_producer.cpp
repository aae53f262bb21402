// The producer against scripted fake brokers: acknowledgements and latency, batching, metadata
// refresh, retries, time-outs, in-flight limits, reordering, acks=0 and determinism.
#include <doctest/doctest.h>

#include <algorithm>

#include "kafkasim/client/murmur2.h"
#include "producer_fixture.h"

using namespace kafkasim;
using kafkasim::testing::default_spec;
using kafkasim::testing::ProducerFixture;

TEST_CASE("acks=1: every record is acknowledged one round trip after it is sent") {
  ProducerFixture f(default_spec(), AckMode::async, 1, 100);
  f.start();
  f.run_to_ms(101);
  CHECK(f.listener.sent == 100);
  CHECK(f.listener.acknowledged == 100);
  CHECK(f.listener.failed == 0);
  // Record 0 waits for the bootstrap metadata (one round trip), then both it and record 1 go
  // at 1 ms; every later record is answered 1 ms (0.5 ms each way) after its send().
  CHECK(f.listener.latency.min() == std::chrono::milliseconds(1));
  CHECK(f.listener.latency.max() == std::chrono::milliseconds(2));
  CHECK(f.listener.latency.mean() == Duration(1'010'000));
  REQUIRE(!f.received.empty());
  CHECK(f.received[0].at == instant_from_ms(1.5));
  CHECK(f.received[0].request.acks == ProduceAcks::leader);
  CHECK(f.received[0].request.partitions[0].batch.record_count == 2);
  CHECK(f.listener.acks.back().at == instant_from_ms(100));
  CHECK(f.producer->records_held() == 0);
  CHECK(f.producer->counters().metadata_requests == 1);
}

TEST_CASE("the modes send their acks") {
  CHECK(produce_acks(AckMode::none) == ProduceAcks::none);
  CHECK(produce_acks(AckMode::async) == ProduceAcks::leader);
  CHECK(produce_acks(AckMode::isr) == ProduceAcks::all);
  CHECK(produce_acks(AckMode::sync) == ProduceAcks::every_replica);
  ProducerSpec spec = default_spec();
  spec.config.enable_idempotence = true;
  ProducerFixture isr(spec, AckMode::isr, 1, 5);
  CHECK(isr.producer->idempotent());
  isr.start();
  isr.run_to_ms(10);
  REQUIRE(!isr.received.empty());
  CHECK(isr.received[0].request.idempotent);
  CHECK(isr.received[0].request.acks == ProduceAcks::all);
  ProducerFixture async(spec, AckMode::async, 1, 5);
  CHECK_FALSE(async.producer->idempotent());
}

TEST_CASE("linger.ms holds a batch until it has waited that long") {
  ProducerSpec spec = default_spec();
  spec.config.linger = std::chrono::milliseconds(5);
  ProducerFixture f(spec, AckMode::async, 1, 50);
  f.start();
  f.run_to_ms(60);
  REQUIRE(f.received.size() == 10);
  for (std::size_t i = 0; i < f.received.size(); ++i) {
    CHECK(f.received[i].at == instant_from_ms(5.0 * static_cast<double>(i + 1) + 0.5));
    CHECK(f.received[i].request.partitions[0].batch.record_count == 5);
    CHECK(f.received[i].request.partitions[0].batch.first_sequence == 5 * i);
  }
  CHECK(f.listener.acknowledged == 50);
}

TEST_CASE("a full batch goes at once, without waiting for linger.ms") {
  ProducerSpec spec = default_spec();
  spec.rate_per_s = 10000;
  spec.message_bytes = 1000;
  spec.config.linger = std::chrono::milliseconds(1000);
  ProducerFixture f(spec, AckMode::async, 1, 10);
  f.start();
  f.run_to_ms(20);
  // (16384 - 61) / 1000: 16 records fill a batch; 100 records make 6 full batches.
  REQUIRE(f.received.size() == 6);
  for (const auto& r : f.received) {
    CHECK(r.request.partitions[0].batch.record_count == 16);
    CHECK(r.request.partitions[0].batch.size_bytes == 61 + 16 * 1000);
  }
  // The 17th record opened the second batch at 1.6 ms, which made the first one full.
  CHECK(f.received[0].at == instant_from_ms(2.1));
  CHECK(f.listener.acknowledged == 96);
}

TEST_CASE("NOT_LEADER_FOR_PARTITION: metadata refresh, then the retry goes to the new leader") {
  ProducerSpec spec = default_spec();
  ProducerFixture f(spec, AckMode::async, 1, 1);  // one record, at 0
  f.broker(1).script = [](int, const ProducePartitionData&) {
    return Errors::not_leader_for_partition;
  };
  f.start();
  f.run_to_ms(1.2);  // the first metadata answer (leader broker-1) is in
  f.view.leaders = {BrokerId(2)};
  f.run_to_ms(200);
  REQUIRE(f.received.size() == 2);
  CHECK(f.received[0].broker == BrokerId(1));
  CHECK(f.received[1].broker == BrokerId(2));
  // The error at 2 ms asks for metadata, sent when retry.backoff.ms since the last one has
  // passed (100 ms) and answered at 101 ms; the batch waits retry.backoff.ms (until 102 ms).
  CHECK(f.received[1].at == instant_from_ms(102.5));
  CHECK(f.producer->counters().metadata_requests == 2);
  REQUIRE(f.listener.acks.size() == 1);
  CHECK(f.listener.acks[0].at == instant_from_ms(103));
  CHECK(f.listener.acknowledged == 1);
  CHECK(f.listener.failed == 0);
}

TEST_CASE("NOT_ENOUGH_REPLICAS is retried until delivery.timeout.ms, then the batch fails") {
  ProducerSpec spec = default_spec();
  spec.config.delivery_timeout = std::chrono::milliseconds(1000);
  spec.config.request_timeout = std::chrono::milliseconds(500);
  ProducerFixture f(spec, AckMode::isr, 1, 1);
  f.broker(1).script = [](int, const ProducePartitionData&) { return Errors::not_enough_replicas; };
  f.start();
  f.run_to_ms(2000);
  // Sends at 1, 102, 203, ..., 910 ms (answered 1 ms later, retried 100 ms after the answer);
  // the batch is waiting for its next try when it turns 1000 ms old.
  CHECK(f.received.size() == 10);
  REQUIRE(f.listener.failures.size() == 1);
  CHECK(f.listener.failures[0].at == instant_from_ms(1000));
  CHECK(f.listener.failures[0].error == Errors::request_timed_out);
  CHECK(f.listener.failed == 1);
  CHECK(f.listener.acknowledged == 0);
  CHECK(f.producer->records_held() == 0);
}

TEST_CASE("retries exhausted: the batch fails with the broker's error") {
  ProducerSpec spec = default_spec();
  spec.config.retries = 2;
  ProducerFixture f(spec, AckMode::isr, 1, 1);
  f.broker(1).script = [](int, const ProducePartitionData&) { return Errors::not_enough_replicas; };
  f.start();
  f.run_to_ms(1000);
  CHECK(f.received.size() == 3);
  REQUIRE(f.listener.failures.size() == 1);
  CHECK(f.listener.failures[0].at == instant_from_ms(204));
  CHECK(f.listener.failures[0].error == Errors::not_enough_replicas);
}

TEST_CASE("a non-retriable error fails the batch at once") {
  ProducerFixture f(default_spec(), AckMode::async, 1, 1);
  f.broker(1).script = [](int, const ProducePartitionData&) { return Errors::offset_out_of_range; };
  f.start();
  f.run_to_ms(100);
  CHECK(f.received.size() == 1);
  REQUIRE(f.listener.failures.size() == 1);
  CHECK(f.listener.failures[0].at == instant_from_ms(2));
}

TEST_CASE("request.timeout.ms: the connection is closed and the batch retried") {
  ProducerSpec spec = default_spec();
  spec.config.request_timeout = std::chrono::milliseconds(200);
  ProducerFixture f(spec, AckMode::async, 1, 1);
  f.broker(1).drop_requests = 1;
  f.start();
  f.run_to_ms(1000);
  CHECK(f.producer->counters().request_timeouts == 1);
  // Closed at 201 ms: broker-1 hears the FIN half a millisecond later.
  REQUIRE(f.broker(1).disconnects.size() == 1);
  CHECK(f.broker(1).disconnects[0].first == instant_from_ms(201.5));
  // The batch fails with NETWORK_EXCEPTION at 201 ms and is retried after retry.backoff.ms.
  REQUIRE(f.received.size() == 2);
  CHECK(f.received[1].broker == BrokerId(1));
  CHECK(f.received[1].at == instant_from_ms(301.5));
  REQUIRE(f.listener.acks.size() == 1);
  CHECK(f.listener.acks[0].at == instant_from_ms(302));
  CHECK(f.producer->counters().retries == 1);
  CHECK(f.producer->counters().metadata_requests == 2);
}

TEST_CASE("a disconnection fails what is in flight and the records are sent again") {
  ProducerFixture f(default_spec(), AckMode::async, 1, 1);
  f.broker(1).hold = true;
  f.start();
  f.run_to_ms(5);
  CHECK(f.producer->in_flight_requests(0) == 1);
  f.producer->on_disconnected(f.net.topology().at("broker-1"));
  CHECK(f.producer->in_flight_requests(0) == 0);
  f.broker(1).hold = false;
  f.broker(1).release_held();  // the late answer is ignored
  f.run_to_ms(500);
  CHECK(f.received.size() == 2);
  CHECK(f.listener.acks.size() == 1);
  CHECK(f.listener.acknowledged == 1);
  CHECK(f.log.size() == 2);  // the broker appended it twice: a duplicate, as in Kafka
}

TEST_CASE("max.in.flight.requests.per.connection limits the requests outstanding") {
  ProducerSpec spec = default_spec();
  spec.config.max_in_flight_requests_per_connection = 2;
  ProducerFixture f(spec, AckMode::async, 1, 100);
  f.broker(1).hold = true;
  f.start();
  f.run_to_ms(10.2);
  CHECK(f.received.size() == 2);
  CHECK(f.producer->in_flight_requests(0) == 2);
  f.broker(1).release_held();
  f.run_to_ms(11.6);
  REQUIRE(f.received.size() == 4);
  // The records that waited, 3 to 10, went together when the answers came back.
  CHECK(f.received[2].at == instant_from_ms(11.2));
  CHECK(f.received[2].request.partitions[0].batch.first_sequence == 3);
  CHECK(f.received[2].request.partitions[0].batch.record_count == 8);
  CHECK(f.producer->in_flight_requests(0) == 2);
}

TEST_CASE("retries with several requests in flight can reorder; one in flight keeps order") {
  for (const int in_flight : {5, 1}) {
    CAPTURE(in_flight);
    ProducerSpec spec = default_spec();
    spec.config.max_in_flight_requests_per_connection = in_flight;
    ProducerFixture f(spec, AckMode::isr, 1, 20);
    f.broker(1).script = [](int number, const ProducePartitionData&) {
      return number == 0 ? Errors::not_enough_replicas : Errors::none;
    };
    f.start();
    f.run_to_ms(300);
    CHECK(f.listener.acknowledged == 20);
    bool ordered = true;
    for (std::size_t i = 1; i < f.log.size(); ++i)
      if (f.log[i].first_sequence < f.log[i - 1].first_sequence) ordered = false;
    CHECK(ordered == (in_flight == 1));
  }
}

TEST_CASE("acks=0: records count as acknowledged when written, with no answer") {
  ProducerFixture f(default_spec(), AckMode::none, 1, 50);
  f.start();
  f.run_to_ms(60);
  CHECK(f.listener.sent == 50);
  CHECK(f.listener.acknowledged == 50);
  CHECK(f.producer->in_flight_requests(0) == 0);
  for (const auto& r : f.received)
    CHECK(r.request.acks == ProduceAcks::none);
  // Only the first two waited for metadata; the rest were written at once.
  CHECK(f.listener.latency.max() == std::chrono::milliseconds(1));
  CHECK(f.listener.latency.percentile(0.5) == Duration(0));
  CHECK(f.log.size() == f.received.size());
}

TEST_CASE(
    "InFlightRequests.canSendMore: a request goes only once the last one is wholly in the socket "
    "buffers; acks=0 completes when written (NetworkClient.handleCompletedSends), so a broker "
    "that reads nothing bounds what the producer acknowledges") {
  ProducerSpec spec = default_spec();
  spec.rate_per_s = 10000;  // 100-byte records, one request each (linger.ms 0)
  spec.config.send_buffer_bytes = 3000;
  ProducerFixture f(spec, AckMode::none, 1, 100);  // broker.receive buffer: 100 KiB
  f.broker(1).read_nothing = true;
  f.start();
  f.run_to_ms(100);
  const std::uint64_t buffers = 3000 + 100 * 1024;
  const NodeId app = f.net.topology().at("app");
  const NodeId broker_1 = f.net.topology().at("broker-1");
  CHECK(f.listener.sent == 1000);
  // Every request left unread: the producer wrote up to the buffers and one request more (the
  // last, incomplete, holds its in-flight slot), and acknowledged only what fitted.
  CHECK(f.net.unread_bytes(app, broker_1) > buffers);
  CHECK(f.net.unread_bytes(app, broker_1) < buffers + 1000);
  CHECK(f.listener.acknowledged < f.listener.sent);
  CHECK(f.listener.acknowledged * 100 < buffers);
  CHECK(f.producer->in_flight_requests(0) == 1);
  CHECK(f.producer->records_held() > 0);

  // The broker reads again: the window opens, the producer writes the rest.
  f.broker(1).read_all();
  f.run_to_ms(200);
  CHECK(f.listener.acknowledged == 1000);
  CHECK(f.producer->in_flight_requests(0) == 0);
  CHECK(f.log.size() == f.received.size());
}

TEST_CASE("records for a partition without a leader wait for one") {
  ProducerFixture f(default_spec(), AckMode::async, 1, 1);
  f.view.leaders = {kNoBroker};
  f.start();
  f.run_to_ms(350);
  CHECK(f.received.empty());
  CHECK(f.producer->counters().metadata_requests >= 3);  // every retry.backoff.ms
  f.view.leaders = {BrokerId(3)};
  f.run_to_ms(500);
  REQUIRE(f.received.size() == 1);
  CHECK(f.received[0].broker == BrokerId(3));
  CHECK(f.listener.acknowledged == 1);
}

TEST_CASE("keyed records spread over partitions by murmur2, led by their brokers") {
  ProducerSpec spec = default_spec();
  spec.keys = 50;
  ProducerFixture f(spec, AckMode::async, 3, 200);
  f.view.leaders = {BrokerId(1), BrokerId(2), BrokerId(3)};
  f.start();
  f.run_to_ms(300);
  CHECK(f.listener.acknowledged == 200);
  for (const auto& r : f.received)
    for (const auto& p : r.request.partitions)
      CHECK(BrokerId(p.tp.partition + 1) == r.broker);
  for (const std::string& e : f.listener.events) {
    if (e.find(" send ") == std::string::npos) continue;
    const auto p = std::stoi(e.substr(e.find(" p") + 2));
    const auto k = std::stoll(e.substr(e.find(" k") + 2));
    CHECK(p == partition_for_key(k, 3));
  }
}

namespace {

std::vector<std::string> scripted_run(std::uint64_t seed) {
  ProducerSpec spec = default_spec();
  spec.arrivals = Arrivals::poisson;
  spec.rate_per_s = 5000;
  spec.config.linger = std::chrono::microseconds(500);
  ProducerFixture f(spec, AckMode::isr, 3, 300, seed);
  f.view.leaders = {BrokerId(1), BrokerId(2), BrokerId(3)};
  f.broker(2).script = [](int number, const ProducePartitionData&) {
    return number % 3 == 0 ? Errors::not_enough_replicas : Errors::none;
  };
  f.broker(3).drop_requests = 2;
  f.start();
  f.run_to_ms(2000);
  std::vector<std::string> events = f.listener.events;
  events.push_back(std::to_string(f.engine.events_processed()));
  return events;
}

}  // namespace

TEST_CASE("identical runs give identical event logs; another seed another log") {
  const auto a = scripted_run(5);
  const auto b = scripted_run(5);
  CHECK(a.size() > 1000);
  CHECK(a == b);
  CHECK(a != scripted_run(6));
}

TEST_CASE("the producer holds only the records still outstanding") {
  ProducerSpec spec = default_spec();
  spec.rate_per_s = 20000;
  spec.keys = 100;
  ProducerFixture f(spec, AckMode::async, 3, 2000);
  f.view.leaders = {BrokerId(1), BrokerId(2), BrokerId(3)};
  std::size_t most = 0;
  f.start();
  for (int ms = 10; ms <= 2000; ms += 10) {
    f.run_to_ms(ms);
    most = std::max(most, f.producer->records_held());
  }
  f.run_to_ms(2100);
  CHECK(f.listener.acknowledged == 40000);
  CHECK(most < 200);
  CHECK(f.producer->records_held() == 0);
}

// Not run by default: `test_client_producer -tc="*throughput*" --no-skip` under `time` measures
// simulated messages per wall second (1 M messages through the producer, the fake brokers and
// the network).
TEST_CASE("throughput: one million messages" * doctest::skip()) {
  ProducerSpec spec = default_spec();
  spec.rate_per_s = 100000;
  spec.keys = 1000;
  spec.arrivals = Arrivals::poisson;
  ProducerFixture f(spec, AckMode::async, 6, 10000);
  f.view.leaders = {BrokerId(1), BrokerId(2), BrokerId(3), BrokerId(1), BrokerId(2), BrokerId(3)};
  f.listener.counts_only = true;
  f.start();
  f.run_to_ms(10100);
  CHECK(f.listener.acknowledged == f.listener.sent);
  MESSAGE("sent " << f.listener.sent << ", requests " << f.producer->counters().produce_requests
                  << ", events " << f.engine.events_processed());
}

TEST_CASE("idempotence: retries go in sequence order, so the log stays in order") {
  ProducerSpec spec = default_spec();
  spec.config.enable_idempotence = true;
  ProducerFixture f(spec, AckMode::isr, 1, 200);
  // An idempotent leader: it appends only the next sequence, refuses a gap and answers a
  // duplicate as such. The first request is refused with NOT_ENOUGH_REPLICAS.
  std::uint32_t next_sequence = 0;
  f.broker(1).script = [&next_sequence](int number, const ProducePartitionData& data) {
    if (number == 0) return Errors::not_enough_replicas;
    if (data.batch.first_sequence > next_sequence) return Errors::out_of_order_sequence_number;
    if (data.batch.first_sequence < next_sequence) return Errors::duplicate_sequence_number;
    next_sequence += data.batch.record_count;
    return Errors::none;
  };
  f.start();
  f.run_to_ms(1000);
  CHECK(f.listener.acknowledged == 200);
  CHECK(f.listener.failed == 0);
  std::uint32_t expected = 0;
  for (const auto& batch : f.log) {
    CHECK(batch.first_sequence == expected);
    expected = batch.first_sequence + batch.record_count;
  }
  CHECK(expected == 200);
}

TEST_CASE("a batch in flight at delivery.timeout.ms fails then; its late answer is ignored") {
  ProducerSpec spec = default_spec();
  spec.config.delivery_timeout = std::chrono::milliseconds(50);
  spec.config.request_timeout = std::chrono::milliseconds(1000);
  ProducerFixture f(spec, AckMode::async, 1, 1);
  f.broker(1).hold = true;
  f.start();
  f.run_to_ms(60);
  REQUIRE(f.listener.failures.size() == 1);
  CHECK(f.listener.failures[0].at == instant_from_ms(50));
  CHECK(f.producer->records_held() == 1);  // the request still carries it
  f.broker(1).release_held();
  f.run_to_ms(100);
  CHECK(f.listener.acknowledged == 0);
  CHECK(f.listener.failed == 1);
  CHECK(f.producer->records_held() == 0);
  CHECK(f.producer->in_flight_requests(0) == 0);
}

TEST_CASE("a crash abandons what the producer holds; the restarted process starts afresh") {
  // 1000 records/s for 100 ms; the broker holds its answers, so records pile up in flight.
  ProducerFixture f(default_spec(), AckMode::async, 1, 100);
  f.broker(1).hold = true;
  f.start();
  f.run_to_ms(20.2);
  const std::uint64_t sent_before = f.listener.sent;
  CHECK(sent_before == 21);  // send() at 0, 1, ..., 20 ms
  CHECK(f.producer->records_held() == sent_before);
  const NodeId app = f.net.topology().at("app");
  f.producer->crash(CrashKind::process);
  CHECK(f.net.state(app) == NodeState::crashed);  // Process crashes the node too
  CHECK(f.producer->crashed());
  CHECK(f.listener.abandoned == sent_before);
  CHECK(f.producer->counters().abandoned == sent_before);
  CHECK(f.producer->records_held() == 0);
  CHECK(f.producer->in_flight_requests(0) == 0);
  // Down from 20.2 to 50.2 ms: no send() happens, no timer fires.
  f.broker(1).hold = false;
  f.broker(1).release_held();  // answers to the dead process go nowhere
  f.run_to_ms(50.2);
  CHECK(f.listener.sent == sent_before);
  CHECK(f.listener.acknowledged == 0);
  const std::uint64_t metadata_before = f.producer->counters().metadata_requests;
  f.producer->start();
  CHECK(f.net.state(app) == NodeState::up);
  f.run_to_ms(150);
  // The new process knows no leader: it asks for metadata again, and sends from the first
  // arrival after 50.2 ms: 51, ..., 99 ms.
  CHECK(f.producer->counters().metadata_requests == metadata_before + 1);
  CHECK(f.listener.sent == sent_before + 49);
  CHECK(f.listener.acknowledged == 49);
  CHECK(f.listener.failed == 0);
  // Sequences go on: the first record after the restart is number 21, not 0.
  REQUIRE(!f.received.empty());
  const ProduceRequest& after = f.received.back().request;
  CHECK(after.partitions[0].batch.producer_epoch == 1);
  CHECK(f.log.back().first_sequence + f.log.back().record_count == sent_before + 49);
}
