// Tells two producer listeners the same thing, the first first: the run's ledger, then an
// observer the caller attached (RunObservers in cluster_run.h).
#pragma once

#include "kafkasim/client/producer_listener.h"

namespace kafkasim {

class ProducerListenerTee final : public ProducerListener {
 public:
  ProducerListenerTee(ProducerListener& first, ProducerListener& second)
      : first_(first), second_(second) {}

  void on_send(ProducerIndex producer, TopicPartition tp, std::uint32_t sequence, std::int64_t key,
               Instant now) override {
    first_.on_send(producer, tp, sequence, key, now);
    second_.on_send(producer, tp, sequence, key, now);
  }
  void on_acknowledged(const BatchOutcome& batch) override {
    first_.on_acknowledged(batch);
    second_.on_acknowledged(batch);
  }
  void on_failed(const BatchOutcome& batch) override {
    first_.on_failed(batch);
    second_.on_failed(batch);
  }
  void on_abandoned(const BatchOutcome& batch) override {
    first_.on_abandoned(batch);
    second_.on_abandoned(batch);
  }

 private:
  ProducerListener& first_;
  ProducerListener& second_;
};

}  // namespace kafkasim
