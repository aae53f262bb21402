#include "kafkasim/client/record_partitioner.h"

#include "kafkasim/client/murmur2.h"

namespace kafkasim {

namespace {
/// Keys up to this many get their partition cached (4 MiB at most).
constexpr std::int64_t kCachedKeys = 1 << 20;
}  // namespace

RecordPartitioner::RecordPartitioner(const ProducerSpec& spec, std::int32_t partitions,
                                     Rng sticky_rng)
    : mode_(Mode::sticky), partitions_(partitions), sticky_(sticky_rng) {
  if (spec.partition) {
    mode_ = Mode::fixed;
    fixed_ = *spec.partition;
  } else if (spec.partitioner == Partitioner::round_robin) {
    mode_ = Mode::round_robin;
  } else if (spec.keys > 0) {
    mode_ = Mode::keyed;
  }
  if (spec.keys > 0 && spec.keys <= kCachedKeys)
    key_partitions_.assign(static_cast<std::size_t>(spec.keys), -1);
}

std::int32_t RecordPartitioner::keyed(std::int64_t key) {
  if (key >= static_cast<std::int64_t>(key_partitions_.size()))
    return partition_for_key(key, partitions_);
  std::int32_t& cached = key_partitions_[static_cast<std::size_t>(key)];
  if (cached < 0) cached = partition_for_key(key, partitions_);
  return cached;
}

std::int32_t RecordPartitioner::partition(std::int64_t key,
                                          std::span<const std::int32_t> available) {
  switch (mode_) {
    case Mode::fixed:
      return fixed_;
    case Mode::round_robin: {
      const std::uint32_t next = round_robin_next_++ & 0x7fffffffu;  // Utils.toPositive
      if (available.empty())
        return static_cast<std::int32_t>(next % static_cast<std::uint32_t>(partitions_));
      return available[next % available.size()];
    }
    case Mode::keyed:
      return keyed(key);
    case Mode::sticky:
      return sticky_.partition(available, partitions_);
  }
  return 0;
}

void RecordPartitioner::on_new_batch(std::int32_t previous,
                                     std::span<const std::int32_t> available) {
  if (mode_ == Mode::sticky) sticky_.next_partition(available, partitions_, previous);
}

}  // namespace kafkasim
