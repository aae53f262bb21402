// Producer settings the model uses, by their Kafka names, with Kafka 2.4's defaults
// (clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java, tag 2.4.0).
#pragma once

#include <cstdint>
#include <limits>

#include "kafkasim/core/time.h"
#include "kafkasim/scenario/ack_mode.h"

namespace kafkasim {

struct ProducerConfig {
  using ms = std::chrono::milliseconds;

  /// "1" in 2.4 ("all" from 3.0). Each run overrides it with the run's mode (SPEC.md).
  AckMode acks = AckMode::async;
  std::int32_t retries = std::numeric_limits<std::int32_t>::max();  // since 2.1 (KIP-91)
  Duration request_timeout = ms(30000);
  Duration delivery_timeout = ms(120000);
  Duration linger = ms(0);  // 0 in 2.4 (5 from 4.0)
  std::int32_t batch_size = 16384;
  std::int32_t max_in_flight_requests_per_connection = 5;
  Duration retry_backoff = ms(100);
  bool enable_idempotence = false;  // false in 2.4 (true from 3.0)
  Duration metadata_max_age = ms(300000);
  Duration max_block = ms(60000);
  std::int64_t buffer_memory = 32 * 1024 * 1024;
  Duration reconnect_backoff = ms(50);
  Duration reconnect_backoff_max = ms(1000);
  std::int32_t max_request_size = 1024 * 1024;
  /// SO_SNDBUF of the producer's sockets (CommonClientConfigs.SEND_BUFFER_CONFIG).
  std::int32_t send_buffer_bytes = 128 * 1024;
};

}  // namespace kafkasim
