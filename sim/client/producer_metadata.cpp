#include "kafkasim/client/producer_metadata.h"

#include <algorithm>

namespace kafkasim {

ProducerMetadata::ProducerMetadata(TopicIndex topic, std::int32_t partitions,
                                   std::vector<BrokerAddress> brokers, Duration refresh_backoff,
                                   Duration max_age)
    : topic_(topic),
      brokers_(std::move(brokers)),
      refresh_backoff_(refresh_backoff),
      max_age_(max_age),
      leaders_(static_cast<std::size_t>(partitions), kNoLeader),
      led_by_(brokers_.size()) {}

Instant ProducerMetadata::next_update_at() const {
  const Instant backoff_over = last_attempt_ + refresh_backoff_;
  if (need_update_ || !has_data_) return backoff_over;
  return std::max(last_success_ + max_age_, backoff_over);
}

std::int32_t ProducerMetadata::broker_index(BrokerId id) const {
  for (std::size_t i = 0; i < brokers_.size(); ++i)
    if (brokers_[i].id == id) return static_cast<std::int32_t>(i);
  return kNoLeader;
}

bool ProducerMetadata::update(const MetadataResponse& response, Instant now) {
  std::vector<std::int32_t> leaders(leaders_.size(), kNoLeader);
  for (const PartitionMetadata& p : response.partitions) {
    if (p.tp.topic != topic_ || p.tp.partition < 0 ||
        static_cast<std::size_t>(p.tp.partition) >= leaders.size())
      continue;
    if (p.error != Errors::none || p.leader == kNoBroker) continue;
    leaders[static_cast<std::size_t>(p.tp.partition)] = broker_index(p.leader);
  }
  const bool changed = leaders != leaders_;
  leaders_ = std::move(leaders);
  available_.clear();
  for (auto& list : led_by_)
    list.clear();
  for (std::size_t p = 0; p < leaders_.size(); ++p) {
    if (leaders_[p] == kNoLeader) continue;
    available_.push_back(static_cast<std::int32_t>(p));
    led_by_[static_cast<std::size_t>(leaders_[p])].push_back(static_cast<std::int32_t>(p));
  }
  need_update_ = false;
  has_data_ = true;
  last_success_ = now;
  return changed;
}

}  // namespace kafkasim
