#include "kafkasim/run/consumer_ledger.h"

#include <algorithm>
#include <cassert>

namespace kafkasim {

namespace {

std::vector<std::string> group_names(const std::vector<ConsumerGroupSpec>& groups) {
  std::vector<std::string> names;
  for (const ConsumerGroupSpec& g : groups)
    names.push_back(g.group);
  return names;
}

}  // namespace

ConsumerLedger::ConsumerLedger(const ClusterLayout& layout, std::size_t producers,
                               const std::vector<ConsumerGroupSpec>& groups, Instant scenario_start,
                               Ledger& ledger, HighWatermarkQuery high_watermark)
    : layout_(layout),
      partitions_(layout.all_partitions().size()),
      scenario_start_(scenario_start),
      ledger_(ledger),
      high_watermark_(std::move(high_watermark)),
      send_times_(producers * partitions_),
      lag_story_(group_names(groups), scenario_start) {
  for (const ConsumerGroupSpec& spec : groups) {
    Group g;
    g.name = spec.group;
    const auto topic = static_cast<std::uint32_t>(layout.topic_index(spec.topic));
    g.topic = TopicIndex(topic);
    g.partitions = layout.topics[topic].partitions;
    g.members = spec.members;
    g.processed.resize(send_times_.size());
    g.processed_end.assign(static_cast<std::size_t>(g.partitions), 0);
    g.max_lag_at = scenario_start;
    g.coordination = std::string(to_string(spec.coordination));
    g.paused_since = spec.start;
    groups_.push_back(std::move(g));
  }
}

std::size_t ConsumerLedger::stream_index(ProducerIndex producer, TopicPartition tp) const {
  return producer.value() * partitions_ + layout_.partition_index(tp);
}

void ConsumerLedger::on_send(ProducerIndex producer, TopicPartition tp, std::uint32_t sequence,
                             std::int64_t key, Instant now) {
  std::vector<Instant>& times = send_times_[stream_index(producer, tp)];
  if (times.size() <= sequence) times.resize(sequence + 1, now);
  times[sequence] = now;
  ledger_.on_send(producer, tp, sequence, key, now);
}

void ConsumerLedger::on_processed(GroupIndex group, TopicPartition tp, Offset offset,
                                  ProducerIndex producer, std::uint32_t sequence, Instant now) {
  Group& g = groups_[group.value()];
  const std::size_t stream = stream_index(producer, tp);
  std::vector<bool>& processed = g.processed[stream];
  if (processed.size() <= sequence) processed.resize(sequence + 1, false);
  if (processed[sequence]) {
    // Processed before by this group: re-read after a rebalance from an older committed offset,
    // or a second copy the producer wrote (a retry without idempotence).
    ++g.redelivered;
  } else {
    processed[sequence] = true;
    ++g.consumed;
    const std::vector<Instant>& times = send_times_[stream];
    if (sequence < times.size()) g.end_to_end.record(now - times[sequence]);
  }
  Offset& end = g.processed_end[static_cast<std::size_t>(tp.partition)];
  end = std::max(end, offset + 1);
}

std::int64_t ConsumerLedger::lag(GroupIndex group) const {
  std::int64_t total = 0;
  for (std::int32_t p = 0; p < groups_[group.value()].partitions; ++p)
    total += partition_lag(group, p);
  return total;
}

std::int64_t ConsumerLedger::partition_lag(GroupIndex group, std::int32_t partition) const {
  assert(group.value() < groups_.size());
  const Group& g = groups_[group.value()];
  assert(partition >= 0 && partition < g.partitions);
  const Offset hw = high_watermark_(TopicPartition{g.topic, partition});
  return std::max<Offset>(0, hw - g.processed_end[static_cast<std::size_t>(partition)]);
}

void ConsumerLedger::sample_lags(Instant now) {
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    const std::int64_t current = lag(GroupIndex(static_cast<std::uint32_t>(i)));
    if (current > groups_[i].max_lag) {
      groups_[i].max_lag = current;
      groups_[i].max_lag_at = now;
    }
    if (std::optional<std::string> line = lag_story_.observe(i, current, now)) {
      ledger_.note(now, "backlog drained", std::nullopt, *line);
    }
  }
}

void ConsumerLedger::on_holding(GroupIndex group, std::int32_t /*member*/, bool holding,
                                Instant now) {
  Group& g = groups_[group.value()];
  if (holding) {
    if (g.holders++ == 0) {
      ++g.rebalances;
      g.paused += now - g.paused_since;
    }
  } else if (--g.holders == 0) {
    g.paused_since = now;
  }
}

void ConsumerLedger::note_open_backlogs(Instant now) {
  for (Group& g : groups_) {
    if (g.holders == 0 && now > g.paused_since) {
      g.paused += now - g.paused_since;
      g.paused_since = now;
    }
  }
  std::vector<std::int64_t> lags;
  for (std::size_t i = 0; i < groups_.size(); ++i)
    lags.push_back(lag(GroupIndex(static_cast<std::uint32_t>(i))));
  for (const std::string& line : lag_story_.unfinished(lags, now))
    ledger_.note(now, "backlog open", std::nullopt, line);
}

void ConsumerLedger::finish(RunResult& result) const {
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    const Group& g = groups_[i];
    ConsumerGroupReport report;
    report.group = g.name;
    report.members = g.members;
    report.consumed = g.consumed;
    report.redelivered = g.redelivered;
    report.coordination = g.coordination;
    report.rebalances = g.rebalances;
    report.rebalance_ms = to_ms(g.paused);
    report.max_lag = g.max_lag;
    report.max_lag_at_ms = to_ms(g.max_lag_at - scenario_start_);
    report.lag_at_end = lag(GroupIndex(static_cast<std::uint32_t>(i)));
    const LatencyHistogram& h = g.end_to_end;
    report.end_to_end_latency = {
        h.mean_ms(),           h.percentile_ms(0.50),  h.percentile_ms(0.90),
        h.percentile_ms(0.99), h.percentile_ms(0.999), to_ms(h.max())};
    result.consumer_groups.push_back(std::move(report));
  }
}

}  // namespace kafkasim
