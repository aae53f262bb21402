#include "kafkasim/client/sticky_partition_cache.h"

namespace kafkasim {

std::int32_t StickyPartitionCache::partition(std::span<const std::int32_t> available,
                                             std::int32_t partitions) {
  if (current_) return *current_;
  return next_partition(available, partitions, -1);
}

std::int32_t StickyPartitionCache::next_partition(std::span<const std::int32_t> available,
                                                  std::int32_t partitions, std::int32_t previous) {
  if (current_ && *current_ != previous) return *current_;
  // Kafka draws toPositive(nextInt()) % n; below(n) is the same law without modulo bias.
  std::int32_t chosen;
  if (available.empty()) {
    chosen = static_cast<std::int32_t>(rng_.below(static_cast<std::uint64_t>(partitions)));
  } else if (available.size() == 1) {
    chosen = available.front();
  } else {
    do {
      chosen = available[rng_.below(available.size())];
    } while (current_ && chosen == *current_);
  }
  current_ = chosen;
  return chosen;
}

}  // namespace kafkasim
