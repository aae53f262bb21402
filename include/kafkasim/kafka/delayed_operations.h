// A broker's parked requests, its "purgatory" (DelayedProduce.scala, DelayedFetch.scala).
#pragma once

#include <vector>

#include "kafkasim/engine/engine.h"
#include "kafkasim/protocol/kafka_protocol.h"

namespace kafkasim {

/// An acks=all (or sync) produce request waiting for its replicas, or any produce request
/// between its append and its answer.
struct DelayedProduce {
  struct Status {
    TopicPartition tp;
    Offset required_offset = 0;  // the HW (or every replica) must pass this: the next offset
    Offset base_offset = -1;
    Errors error = Errors::none;
    bool pending = false;
  };
  NodeId client;
  CorrelationId correlation_id;
  ProduceAcks acks = ProduceAcks::leader;
  Duration request_timeout{0};
  std::vector<Status> partitions;
  Instant deadline;  // parked: when it expires (Broker::produce_timeouts_)
  /// Nonzero: an append of the group coordinator (Broker::append_for_coordinator), answered to
  /// it under this id instead of to a client.
  std::uint64_t coordinator_append = 0;

  Status* status_of(TopicPartition tp) {
    for (Status& s : partitions) {
      if (s.tp == tp) return &s;
    }
    return nullptr;
  }
  bool any_pending() const {
    for (const Status& s : partitions) {
      if (s.pending) return true;
    }
    return false;
  }
  ProduceResponse response() const {
    ProduceResponse r;
    r.correlation_id = correlation_id;
    for (const Status& s : partitions)
      r.partitions.push_back({s.tp, s.error, s.base_offset});
    return r;
  }
};

/// A fetch waiting for data (min.bytes) up to its max wait.
struct DelayedFetch {
  NodeId client;
  FetchRequest request;
  TimerId timeout;
};

}  // namespace kafkasim
