// A broker's request handlers (core/src/main/scala/kafka/server/KafkaRequestHandler.scala):
// num.io.threads threads taking requests from one FIFO queue (RequestChannel). It is a
// queueing station — c servers, one queue — which is what makes a broker's latency rise with
// load (issue: M/M/c behaviour), and what a paused broker stops serving.
//
// The pool only counts threads and orders work; the broker decides what a piece of work is and
// how long it takes, and is told when a thread becomes free to run the next one.
#pragma once

#include <cstdint>
#include <deque>

namespace kafkasim {

class RequestHandlerPool {
 public:
  explicit RequestHandlerPool(std::int32_t threads) : threads_(threads) {}

  /// Work arrives. Returns true if a thread is free and takes it now (the caller starts it);
  /// false if it waits in the queue, under `ticket`, for a thread.
  bool arrive(std::uint64_t ticket) {
    if (busy_ < threads_) {
      ++busy_;
      return true;
    }
    queue_.push_back(ticket);
    return false;
  }

  /// A thread finished. Returns the ticket of the work it takes next, if any waits; otherwise
  /// the thread becomes idle and nothing is returned (kNone).
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  std::uint64_t finish() {
    if (queue_.empty()) {
      --busy_;
      return kNone;
    }
    const std::uint64_t next = queue_.front();
    queue_.pop_front();
    return next;
  }

  /// The process died: no thread is busy and nothing waits.
  void clear() {
    busy_ = 0;
    queue_.clear();
  }

  std::int32_t busy() const { return busy_; }
  std::size_t queued() const { return queue_.size(); }

 private:
  std::int32_t threads_;
  std::int32_t busy_ = 0;
  std::deque<std::uint64_t> queue_;
};

}  // namespace kafkasim
