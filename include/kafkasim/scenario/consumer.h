// One entry of `consumers` (SPEC.md "consumers[]").
#pragma once

#include <cstdint>
#include <string>

#include "kafkasim/core/time.h"
#include "kafkasim/random/distribution.h"
#include "kafkasim/scenario/consumer_config.h"

namespace kafkasim {

struct ConsumerGroupSpec {
  std::string group;
  std::string topic;
  std::int32_t members = 1;
  /// Time to process one message (default 0).
  Dist processing_ms = Dist::constant(0);
  Instant start = Instant::start();
  ConsumerConfig config;

  /// Node name of member `index`: "<group>-<index>".
  std::string member_name(std::int32_t index) const;
};

}  // namespace kafkasim
