#include "series_sampler.h"

#include <cassert>

namespace kafkasim {

SeriesSampler::SeriesSampler(Cluster& cluster, const Scenario& scenario, Duration interval,
                             Instant scenario_start, Instant end, Series& out,
                             ClusterStates* states)
    : cluster_(cluster),
      interval_(interval),
      scenario_start_(scenario_start),
      end_(end),
      out_(out),
      states_(states),
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
  // "billing/orders-0" (group/partition, as a replica is partition/broker) and "billing-0" (the
  // member's node, as the timeline and the trace name it), groups and members in scenario order:
  // the order of Cluster::consumers().
  for (const ConsumerGroupSpec& g : scenario.consumers) {
    group_partition_subjects_.emplace_back();
    const auto topic = static_cast<std::uint32_t>(layout.topic_index(g.topic));
    for (std::int32_t p = 0; p < layout.topics[topic].partitions; ++p) {
      group_partition_subjects_.back().push_back(
          subject(g.group + "/" + layout.partition_name(TopicPartition{TopicIndex(topic), p})));
    }
    for (std::int32_t m = 0; m < g.members; ++m)
      member_subjects_.push_back(subject(g.member_name(m)));
  }
  assert(member_subjects_.size() == cluster_.consumers().size());
  if (states_ != nullptr) {
    const Topology& topology = cluster_.network().topology();
    for (std::size_t n = 0; n < topology.endpoint_count(); ++n) {
      const NodeId node(static_cast<std::uint32_t>(n));
      states_->nodes.push_back(topology.name(node));
      switch (topology.kind(node)) {
        case NodeKind::broker:
          states_->kinds.emplace_back("broker");
          break;
        case NodeKind::zookeeper:
          states_->kinds.emplace_back("zookeeper");
          break;
        default:
          states_->kinds.emplace_back(cluster_.producer_at(node) != nullptr ? "producer"
                                                                            : "consumer");
      }
    }
    for (const TopicPartition& tp : partitions_) {
      states_->partitions.push_back(layout.partition_name(tp));
      states_->replicas.emplace_back();
      for (BrokerId r : layout.replicas(tp))
        states_->replicas.back().push_back(layout.node_of(r).value());
    }
  }
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
  sample_partition_and_member_lag();
  if (states_ != nullptr) sample_states();
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

void SeriesSampler::sample_partition_and_member_lag() {
  // partition_lag: each partition's share of consumer_lag (the two add up, sample by sample).
  std::vector<std::vector<std::int64_t>> lags;  // by group, then partition
  for (std::size_t g = 0; g < group_partition_subjects_.size(); ++g) {
    lags.emplace_back();
    for (std::size_t p = 0; p < group_partition_subjects_[g].size(); ++p) {
      lags[g].push_back(cluster_.consumer_partition_lag(GroupIndex(static_cast<std::uint32_t>(g)),
                                                        static_cast<std::int32_t>(p)));
      row(SeriesMetric::partition_lag, group_partition_subjects_[g][p],
          static_cast<double>(lags[g].back()));
    }
  }
  // member_lag: what the member owns now (Consumer::owned_partitions, the same for both
  // coordinations; nothing while it is down or between revoking and its next assignment). A
  // partition owned by no member counts for none, and one that two members both believe they
  // own (one has not yet heard it lost it) counts for each: the members' lags need not add up
  // to the group's.
  const std::vector<std::unique_ptr<Consumer>>& members = cluster_.consumers();
  for (std::size_t m = 0; m < members.size(); ++m) {
    const std::vector<std::int64_t>& group = lags[members[m]->group().value()];
    std::int64_t total = 0;
    for (std::int32_t p : members[m]->owned_partitions()) {
      assert(p >= 0 && static_cast<std::size_t>(p) < group.size());
      total += group[static_cast<std::size_t>(p)];
    }
    row(SeriesMetric::member_lag, member_subjects_[m], static_cast<double>(total));
  }
}

}  // namespace kafkasim

namespace kafkasim {

void SeriesSampler::sample_states() {
  const ClusterLayout& layout = cluster_.layout();
  Transport<Message>& network = cluster_.network();
  ClusterState state;
  state.time_ms = time_ms_;
  if (const Broker* controller = cluster_.current_controller(); controller != nullptr)
    state.controller = static_cast<std::int32_t>(layout.node_of(controller->id()).value());
  const ZooKeeperServer& zookeeper = cluster_.zookeeper();
  for (std::size_t n = 0; n < states_->nodes.size(); ++n) {
    const NodeId node(static_cast<std::uint32_t>(n));
    const NodeState s = network.state(node);
    state.status.push_back(s == NodeState::up       ? NodeStatus::up
                           : s == NodeState::paused ? NodeStatus::paused
                                                    : NodeStatus::down);
    state.zk_session.push_back(node != layout.zookeeper && !zookeeper.sessions_of(node).empty());
  }
  for (const TopicPartition& tp : partitions_) {
    PartitionStatus p;
    if (const Broker* leader = cluster_.current_leader(tp); leader != nullptr) {
      const Partition* replica = leader->partition(tp);
      p.leader = static_cast<std::int32_t>(layout.node_of(leader->id()).value());
      if (replica != nullptr) {
        p.leader_epoch = replica->leader_epoch().value();
        for (BrokerId b : replica->isr())
          p.isr.push_back(layout.node_of(b).value());
      }
    }
    state.partitions.push_back(std::move(p));
  }
  states_->samples.push_back(std::move(state));
}

}  // namespace kafkasim
