// Issue 11's throughput check, on simulated time: with Kafka 2.4's one request per connection at a
// time (SocketServer mutes a channel until its response is sent, kafka/socket_server.h), an
// acks=all producer to one partition gets one batch committed per replication round trip, however
// many requests it may keep in flight (max.in.flight.requests.per.connection only overlaps their
// transfer). One partition, replicas on brokers 1-3, the followers 10 ms from the leader, 32 KiB
// batches of 32 records of 1 KiB, and an offered load (5000 records/s) well above what that
// carries.
//
// A batch's replication round trip is two fetch round trips here, not one: the fetch that moves
// the high watermark past batch k also completes the other follower's parked fetch with the new
// high watermark and no data (DelayedFetch.tryComplete, Case H: "The high watermark on this
// broker has changed within a FetchSession, need to propagate to follower (KIP-392)", Kafka
// 2.4; the fetch that moved it completes the same way in tryCompleteElseWatch). Batch k + 1,
// read only once batch k is answered, finds no follower fetch parked: each learns of it with
// its next fetch, one fetch round trip later. So 32 records / (2 x 20 ms) = 800 records/s.
#include <doctest/doctest.h>

#include <string>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/scenario/loader.h"

using namespace kafkasim;

namespace {

constexpr const char* kScenario = R"({
  "name": "one-partition-throughput",
  "seed": 1,
  "duration_ms": 10000,
  "settle_ms": 0,
  "acks": ["isr"],
  "cluster": {
    "brokers": 3,
    "broker_config": {"min.insync.replicas": 2},
    "produce_time_ms": 0.05,
    "fetch_time_ms": 0.02
  },
  "network": {
    "latency_ms": 0.05,
    "bandwidth_mbps": 100000,
    "links": [
      {"between": ["broker-1", "broker-2"], "latency_ms": 10},
      {"between": ["broker-1", "broker-3"], "latency_ms": 10}
    ]
  },
  "topics": [{"name": "orders", "partitions": 1, "replication_factor": 3,
              "assignment": [[1, 2, 3]]}],
  "producers": [{
    "name": "app", "topic": "orders", "rate_per_s": 5000, "arrivals": "constant",
    "message_bytes": 1024,
    "config": {"batch.size": 32768, "linger.ms": 0}
  }]
})";

}  // namespace

TEST_CASE(
    "SocketServer's mute: acks=all to one partition commits one batch per replication round trip, "
    "whatever max.in.flight.requests.per.connection") {
  const double batch_records = 32768.0 / 1024.0;
  const double fetch_round_trip_s = 2 * 0.010;  // leader to follower and back
  const double round_trip_s = 2 * fetch_round_trip_s;
  const double expected_per_s = batch_records / round_trip_s;
  for (const int in_flight : {1, 5}) {
    CAPTURE(in_flight);
    const LoadResult loaded = load_scenario_text(
        kScenario, "throughput.json",
        {"/producers/0/config/max.in.flight.requests.per.connection=" + std::to_string(in_flight)});
    REQUIRE(loaded.ok());
    const RunResult run = run_scenario(*loaded.scenario, AckMode::isr, 1);
    const double per_s = static_cast<double>(run.acknowledged) / 10.0;
    CAPTURE(per_s);
    CAPTURE(expected_per_s);
    CHECK(run.produced == 50000);  // the load offered is six times what can be carried
    CHECK(per_s > expected_per_s * 0.85);
    CHECK(per_s < expected_per_s * 1.15);
  }
}
