#include "series_sampler.h"

namespace kafkasim {

SeriesSampler::SeriesSampler(Cluster& cluster, const Scenario& scenario, Duration interval,
                             Instant scenario_start, Instant end, Series& out)
    : cluster_(cluster),
      interval_(interval),
      scenario_start_(scenario_start),
      end_(end),
      out_(out),
      partitions_(cluster.layout().all_partitions()) {
  const ClusterLayout& layout = cluster_.layout();
  for (const TopicPartition& tp : partitions_) {
    const std::string name = layout.partition_name(tp);
    partition_subjects_.push_back(subject(name));
    replica_subjects_.emplace_back();
    for (BrokerId r : layout.replicas(tp))
      replica_subjects_.back().push_back(subject(name + "/" + broker_name(r)));
  }
  for (const ProducerSpec& p : scenario.producers)
    producer_subjects_.push_back(subject(p.name));
  for (const ConsumerGroupSpec& g : scenario.consumers)
    group_subjects_.push_back(subject(g.group));
  for (BrokerId b : layout.brokers)
    broker_subjects_.push_back(subject(broker_name(b)));
  cluster_.ledger().enable_intervals();
  actor_ = cluster_.engine().add_actor(*this);
  cluster_.engine().set_timer(scenario_start_, actor_, TimerCookie{});
}

std::uint32_t SeriesSampler::subject(std::string name) {
  out_.subjects.push_back(std::move(name));
  return static_cast<std::uint32_t>(out_.subjects.size() - 1);
}

void SeriesSampler::row(SeriesMetric metric, std::uint32_t subject, double value) {
  out_.rows.push_back({time_ms_, value, subject, metric});
}

void SeriesSampler::on_timer(TimerCookie /*cookie*/) {
  ++fired_;
  const Instant now = cluster_.engine().now();
  time_ms_ = (now - scenario_start_) / std::chrono::milliseconds(1);
  // Rows in SeriesMetric's order, each metric's subjects in scenario order.
  sample_partitions();
  sample_producers();
  sample_consumer_lag();
  sample_brokers();
  if (now + interval_ <= end_) cluster_.engine().set_timer(now + interval_, actor_, TimerCookie{});
}

void SeriesSampler::sample_partitions() {
  std::vector<const Partition*> leaders;
  for (const TopicPartition& tp : partitions_) {
    const Broker* leader = cluster_.current_leader(tp);
    leaders.push_back(leader == nullptr ? nullptr : leader->partition(tp));
  }
  for (std::size_t i = 0; i < partitions_.size(); ++i) {
    row(SeriesMetric::isr_size, partition_subjects_[i],
        leaders[i] == nullptr ? 0.0 : static_cast<double>(leaders[i]->isr().size()));
  }
  for (std::size_t i = 0; i < partitions_.size(); ++i) {
    if (leaders[i] != nullptr) {
      row(SeriesMetric::high_watermark, partition_subjects_[i],
          static_cast<double>(leaders[i]->high_watermark()));
    }
  }
  for (std::size_t i = 0; i < partitions_.size(); ++i) {
    const std::vector<BrokerId>& replicas = cluster_.layout().replicas(partitions_[i]);
    for (std::size_t r = 0; r < replicas.size(); ++r) {
      const Broker* broker = cluster_.broker(replicas[r]);
      const Partition* p = broker == nullptr ? nullptr : broker->partition(partitions_[i]);
      if (p != nullptr) {
        row(SeriesMetric::log_end_offset, replica_subjects_[i][r],
            static_cast<double>(p->log().log_end_offset()));
      }
    }
  }
}

void SeriesSampler::sample_producers() {
  Ledger& ledger = cluster_.ledger();
  for (std::size_t p = 0; p < producer_subjects_.size(); ++p) {
    const ProducerInterval& interval =
        ledger.interval(ProducerIndex(static_cast<std::uint32_t>(p)));
    row(SeriesMetric::acked, producer_subjects_[p], static_cast<double>(interval.acknowledged));
  }
  for (std::size_t p = 0; p < producer_subjects_.size(); ++p) {
    ProducerInterval& interval = ledger.interval(ProducerIndex(static_cast<std::uint32_t>(p)));
    if (!interval.latency.empty()) {
      row(SeriesMetric::latency_p99_ms, producer_subjects_[p],
          interval.latency.percentile_ms(0.99));
    }
    interval.acknowledged = 0;
    interval.latency.clear();
  }
}

void SeriesSampler::sample_consumer_lag() {
  // consumer_lag (SPEC.md): for each group, the records below the partitions' high watermarks
  // that the group has not yet processed.
  for (std::size_t g = 0; g < group_subjects_.size(); ++g) {
    row(SeriesMetric::consumer_lag, group_subjects_[g],
        static_cast<double>(cluster_.consumer_lag(GroupIndex(static_cast<std::uint32_t>(g)))));
  }
}

void SeriesSampler::sample_brokers() {
  const std::vector<BrokerId>& brokers = cluster_.layout().brokers;
  for (std::size_t b = 0; b < brokers.size(); ++b) {
    const Broker* broker = cluster_.broker(brokers[b]);
    row(SeriesMetric::broker_up, broker_subjects_[b], broker != nullptr && broker->is_up() ? 1 : 0);
  }
}

}  // namespace kafkasim
