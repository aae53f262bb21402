#include "cluster.h"

#include <algorithm>

#include "kafkasim/kafka/controller.h"
#include "kafkasim/kafka/replica_assignment.h"
#include "kafkasim/run/cluster_run.h"
#include "kafkasim/run/load_change_notes.h"
#include "replica_divergence.h"

namespace kafkasim {

namespace {

std::vector<NodeDecl> node_decls(const Scenario& scenario) {
  std::vector<NodeDecl> decls;
  for (const BrokerSpec& b : scenario.cluster.brokers)
    decls.push_back({b.node_name(), NodeKind::broker});
  decls.push_back({"zookeeper", NodeKind::zookeeper});
  for (const ProducerSpec& p : scenario.producers)
    decls.push_back({p.name, NodeKind::client});
  for (const ConsumerGroupSpec& g : scenario.consumers) {
    for (std::int32_t i = 0; i < g.members; ++i)
      decls.push_back({g.member_name(i), NodeKind::client});
  }
  return decls;
}

}  // namespace

Scenario shifted_by_boot(const Scenario& scenario) {
  Scenario shifted = scenario;
  for (ProducerSpec& p : shifted.producers) {
    p.start += kBootTime;
    if (p.stop) *p.stop += kBootTime;
    for (RateChange& change : p.rate_changes)
      change.at += kBootTime;
  }
  for (ConsumerGroupSpec& g : shifted.consumers)
    g.start += kBootTime;
  for (Fault& fault : shifted.faults) {
    std::visit(
        [](auto& f) {
          f.at += kBootTime;
          if (f.until) *f.until += kBootTime;
        },
        fault);
  }
  return shifted;
}

ClusterLayout Cluster::make_layout(const Scenario& scenario, const Topology& topology,
                                   std::uint64_t seed) {
  ClusterLayout layout;
  const BrokerConfig& broker_config = scenario.cluster.broker_config;
  for (const BrokerSpec& b : scenario.cluster.brokers) {
    layout.brokers.push_back(b.id);
    layout.broker_nodes.push_back(topology.at(b.node_name()));
  }
  layout.zookeeper = topology.at("zookeeper");
  for (const TopicSpec& t : scenario.topics) {
    TopicLayout topic;
    topic.name = t.name;
    topic.partitions = t.partitions;
    if (t.assignment) {
      topic.assignment = *t.assignment;
    } else {
      // AdminUtils.assignReplicasToBrokers, with its random start from the run's seed.
      Rng rng = Rng::stream(seed, "assignment/" + t.name);
      topic.assignment = assign_replicas_to_brokers(scenario.cluster.brokers, t.partitions,
                                                    t.replication_factor, rng);
    }
    topic.min_insync_replicas = t.config.effective_min_insync_replicas(broker_config);
    topic.unclean_leader_election_enable =
        t.config.effective_unclean_leader_election_enable(broker_config);
    topic.flush_messages = t.config.effective_flush_messages(broker_config);
    topic.flush_interval = t.config.effective_flush_interval(broker_config);
    layout.topics.push_back(std::move(topic));
  }
  return layout;
}

ClusterLayout Cluster::with_consumer_offsets(const ClusterLayout& layout, const Scenario& scenario,
                                             std::uint64_t seed) {
  ClusterLayout full = layout;
  const bool coordinated = std::any_of(
      scenario.consumers.begin(), scenario.consumers.end(),
      [](const ConsumerGroupSpec& g) { return g.coordination == GroupCoordination::coordinator; });
  if (!coordinated) return full;
  // KafkaApis.getOrCreateInternalTopic → createInternalTopic (2.4): offsets.topic.num.partitions
  // partitions of offsets.topic.replication.factor replicas, placed as any topic's
  // (AdminUtils.assignReplicasToBrokers), the broker's min.insync.replicas and unclean election
  // (GroupCoordinator.offsetsTopicConfigs sets neither). Kafka creates it at the first
  // FindCoordinator, and refuses while fewer brokers are alive than the replication factor; the
  // model creates it with the scenario's topics, its replication factor capped at the brokers
  // there are.
  const BrokerConfig& config = scenario.cluster.broker_config;
  TopicLayout topic;
  topic.name = kConsumerOffsetsTopic;
  topic.partitions = config.offsets_topic_num_partitions;
  const auto brokers = static_cast<std::int32_t>(scenario.cluster.brokers.size());
  Rng rng = Rng::stream(seed, std::string("assignment/") + kConsumerOffsetsTopic);
  topic.assignment =
      assign_replicas_to_brokers(scenario.cluster.brokers, topic.partitions,
                                 std::min(config.offsets_topic_replication_factor, brokers), rng);
  topic.min_insync_replicas = config.min_insync_replicas;
  topic.unclean_leader_election_enable = config.unclean_leader_election_enable;
  topic.flush_messages = config.log_flush_interval_messages;
  topic.flush_interval = config.log_flush_interval();
  full.topics.push_back(std::move(topic));
  return full;
}

void Cluster::ZkSessionNotes::on_session_ended(ZkSessionId /*session*/, NodeId client,
                                               ZkSessionEnd why) {
  if (why == ZkSessionEnd::closed_by_client) return;
  if (const Consumer* consumer = cluster_.consumer_at(client)) {
    // The group's members see it leave only now (their /consumers/G/ids watch fires).
    cluster_.ledger().note(cluster_.engine().now(),
                           "ZooKeeper expired the session of " +
                               cluster_.network().topology().name(consumer->node()) +
                               ": its /consumers registration and partition claims are gone");
    return;
  }
  const Broker* broker = cluster_.broker_at(client);
  if (broker == nullptr) return;
  cluster_.ledger().note(cluster_.engine().now(), "session expired", cluster_.layout().zookeeper,
                         "ZooKeeper expired the session of broker-" +
                             std::to_string(broker->id().value()) +
                             (why == ZkSessionEnd::expired_by_fault
                                  ? " (zk_session_expire fault)"
                                  : " (no ping within zookeeper.session.timeout.ms)") +
                             ": its /brokers/ids registration is gone");
}

Cluster::Cluster(const Scenario& scenario, AckMode mode, std::uint64_t seed,
                 ProducerListener* also_tell)
    : scenario_(scenario) {
  const std::vector<NodeDecl> decls = node_decls(scenario);
  Topology topology = Topology::build(decls, scenario.network);
  layout_ = make_layout(scenario, topology, seed);
  broker_layout_ = with_consumer_offsets(layout_, scenario, seed);
  network_ = std::make_unique<Transport<Message>>(engine_, std::move(topology), seed);
  zookeeper_ = std::make_unique<ZooKeeperServer>(engine_, *network_, layout_.zookeeper,
                                                 scenario.cluster.zookeeper_tick_time);
  std::vector<std::string> producer_names;
  for (const ProducerSpec& p : scenario.producers)
    producer_names.push_back(p.name);
  ledger_ = std::make_unique<Ledger>(
      layout_, producer_names, Instant::start() + kBootTime,
      [this](TopicPartition tp, Offset offset) { return holders(tp, offset); });
  ProducerListener* run_listener = ledger_.get();
  if (!scenario.consumers.empty()) {
    // The consumer ledger notes each send() time on the way to the Ledger.
    consumer_ledger_ = std::make_unique<ConsumerLedger>(
        layout_, scenario.producers.size(), scenario.consumers, Instant::start() + kBootTime,
        *ledger_, [this](TopicPartition tp) { return high_watermark(tp); });
    run_listener = consumer_ledger_.get();
    lag_sampler_ =
        std::make_unique<LagSampler>(engine_, *consumer_ledger_, Instant::start() + kBootTime);
  }
  if (also_tell != nullptr) {
    producer_tee_ = std::make_unique<ProducerListenerTee>(*run_listener, *also_tell);
  }
  ProducerListener& producer_listener =
      producer_tee_ ? static_cast<ProducerListener&>(*producer_tee_) : *run_listener;
  zookeeper_->set_observer(&zk_session_notes_);
  broker_observer_ = std::make_unique<InternalTopicFilter>(
      *ledger_, static_cast<std::uint32_t>(layout_.topics.size()));
  for (const BrokerSpec& spec : scenario.cluster.brokers) {
    BrokerEnvironment env{
        engine_,
        *network_,
        broker_layout_,
        scenario.cluster,
        *broker_observer_,
        seed,
        broker_layout_.topics.size() > layout_.topics.size() ? &group_records_ : nullptr};
    brokers_.push_back(std::make_unique<Broker>(env, spec));
  }
  std::vector<BrokerAddress> addresses;
  for (std::size_t i = 0; i < layout_.brokers.size(); ++i) {
    addresses.push_back({layout_.brokers[i], layout_.broker_nodes[i]});
  }
  for (std::size_t i = 0; i < scenario.producers.size(); ++i) {
    const ProducerSpec& spec = scenario.producers[i];
    const auto topic = static_cast<std::uint32_t>(layout_.topic_index(spec.topic));
    ProducerPlacement placement{ProducerIndex(static_cast<std::uint32_t>(i)),
                                TopicIndex(topic),
                                layout_.topics[topic].partitions,
                                network_->topology().at(spec.name),
                                addresses,
                                mode,
                                seed,
                                Instant::start() + kBootTime + scenario.duration,
                                scenario.cluster.broker_config.socket_receive_buffer_bytes};
    producers_.push_back(
        std::make_unique<Producer>(engine_, *network_, spec, placement, producer_listener));
    network_->attach(placement.node, *producers_.back());
    if (spec.config.enable_idempotence && !producers_.back()->idempotent()) {
      // The loader warned (check_clients.cpp); the run says it too, where its mode is known.
      ledger_->timeline().note(Instant::start() + kBootTime, "idempotence off", placement.node,
                               spec.name + " sends without idempotence in this run: acks=" +
                                   (mode == AckMode::none ? "0" : "1") + " (mode " +
                                   std::string(to_string(mode)) +
                                   "), and Kafka accepts enable.idempotence only with acks=all");
    }
  }
  std::vector<NodeId> producer_nodes;
  for (const auto& producer : producers_)
    producer_nodes.push_back(producer->node());
  schedule_load_change_notes(scenario.producers, producer_nodes, Instant::start() + kBootTime,
                             Instant::start() + kBootTime + scenario.duration, ledger_->timeline());
  add_consumers(addresses, seed);
  processes_.assign(network_->topology().endpoint_count(), nullptr);
  processes_[zookeeper_->node().value()] = zookeeper_.get();
  for (auto& broker : brokers_)
    processes_[broker->node().value()] = broker.get();
  for (auto& producer : producers_)
    processes_[producer->node().value()] = producer.get();
  for (auto& consumer : consumers_)
    processes_[consumer->node().value()] = consumer.get();
  for (auto& broker : brokers_)
    broker->start();
}

void Cluster::add_consumers(const std::vector<BrokerAddress>& addresses, std::uint64_t seed) {
  for (std::size_t g = 0; g < scenario_.consumers.size(); ++g) {
    const ConsumerGroupSpec& spec = scenario_.consumers[g];
    const auto topic = static_cast<std::uint32_t>(layout_.topic_index(spec.topic));
    for (std::int32_t m = 0; m < spec.members; ++m) {
      const std::string name = spec.member_name(m);
      ConsumerPlacement placement{GroupIndex(static_cast<std::uint32_t>(g)),
                                  m,
                                  TopicIndex(topic),
                                  spec.topic,
                                  layout_.topics[topic].partitions,
                                  network_->topology().at(name),
                                  name,
                                  layout_.zookeeper,
                                  addresses,
                                  seed};
      consumers_.push_back(
          std::make_unique<Consumer>(engine_, *network_, spec, placement, *consumer_ledger_));
      consumers_.back()->schedule_start(spec.start);
    }
  }
}

Cluster::LagSampler::LagSampler(Engine& engine, ConsumerLedger& ledger, Instant first)
    : engine_(engine), ledger_(ledger), actor_(engine.add_actor(*this)) {
  engine_.set_timer(first, actor_, TimerCookie{});
}

void Cluster::LagSampler::on_timer(TimerCookie /*cookie*/) {
  ledger_.sample_lags(engine_.now());
  engine_.set_timer_after(kLagSampleInterval, actor_, TimerCookie{});
}

Consumer* Cluster::consumer_at(NodeId node) {
  for (auto& c : consumers_) {
    if (c->node() == node) return c.get();
  }
  return nullptr;
}

Offset Cluster::high_watermark(TopicPartition tp) {
  if (Broker* leader = current_leader(tp)) return leader->partition(tp)->high_watermark();
  Offset hw = 0;
  for (auto& b : brokers_) {
    if (const Partition* p = b->partition(tp)) hw = std::max(hw, p->high_watermark());
  }
  return hw;
}

std::int64_t Cluster::consumer_lag(GroupIndex group) const {
  if (!consumer_ledger_ || group.value() >= scenario_.consumers.size()) return 0;
  return consumer_ledger_->lag(group);
}

std::int64_t Cluster::consumer_partition_lag(GroupIndex group, std::int32_t partition) const {
  if (!consumer_ledger_ || group.value() >= scenario_.consumers.size()) return 0;
  return consumer_ledger_->partition_lag(group, partition);
}

void Cluster::start_producers() {
  for (auto& producer : producers_)
    producer->start_sending();
}

Broker* Cluster::broker(BrokerId id) {
  for (auto& b : brokers_) {
    if (b->id() == id) return b.get();
  }
  return nullptr;
}

Broker* Cluster::broker_at(NodeId node) {
  for (auto& b : brokers_) {
    if (b->node() == node) return b.get();
  }
  return nullptr;
}

Producer* Cluster::producer_at(NodeId node) {
  for (std::size_t i = 0; i < producers_.size(); ++i) {
    if (network_->topology().at(scenario_.producers[i].name) == node) return producers_[i].get();
  }
  return nullptr;
}

Process* Cluster::process_at(NodeId node) {
  return node.value() < processes_.size() ? processes_[node.value()] : nullptr;
}

Broker* Cluster::current_leader(TopicPartition tp) {
  Broker* best = nullptr;
  for (auto& b : brokers_) {
    if (!b->is_up()) continue;
    const Partition* p = b->partition(tp);
    if (p == nullptr || !p->is_leader()) continue;
    if (best == nullptr || p->leader_epoch() > best->partition(tp)->leader_epoch()) best = b.get();
  }
  return best;
}

Broker* Cluster::current_controller() {
  for (auto& b : brokers_) {
    if (b->is_up() && b->is_controller()) return b.get();
  }
  return nullptr;
}

std::uint64_t Cluster::holders(TopicPartition tp, Offset offset) {
  const std::vector<BrokerId>& replicas = layout_.replicas(tp);
  std::uint64_t mask = 0;
  for (std::size_t r = 0; r < replicas.size() && r < 64; ++r) {
    const Broker* b = broker(replicas[r]);
    if (b == nullptr) continue;
    const Partition* p = b->partition(tp);
    if (p != nullptr && p->log().log_end_offset() > offset) mask |= std::uint64_t{1} << r;
  }
  return mask;
}

void Cluster::diverged_offsets(TopicPartition tp, const Broker& leader, PartitionReport& report) {
  // Every live replica against the leader, below the leader's high watermark: what a consumer
  // reads there depends on which replica leads after the next failover.
  const Partition& led = *leader.partition(tp);
  std::vector<OffsetRange> ranges;
  for (BrokerId r : layout_.replicas(tp)) {
    const Broker* b = broker(r);
    if (b == nullptr || b == &leader || !b->is_up() || b->partition(tp) == nullptr) continue;
    const std::vector<OffsetRange> differ = divergent_ranges(
        led.log().batches(), b->partition(tp)->log().batches(), led.high_watermark());
    if (differ.empty()) continue;
    report.diverged_replicas.push_back(broker_name(r));
    ranges.insert(ranges.end(), differ.begin(), differ.end());
  }
  report.diverged_offsets = offsets_covered(ranges);
}

RunResult Cluster::finish(AckMode mode, std::uint64_t seed) {
  RunResult result;
  result.acks = mode;
  result.seed = seed;
  const std::vector<TopicPartition> all = layout_.all_partitions();
  std::vector<const std::deque<RecordBatch>*> logs;
  std::vector<Offset> hws;
  for (const TopicPartition& tp : all) {
    Broker* leader = current_leader(tp);
    logs.push_back(leader ? &leader->partition(tp)->log().batches() : nullptr);
    hws.push_back(leader ? leader->partition(tp)->high_watermark() : 0);
  }
  if (consumer_ledger_) consumer_ledger_->note_open_backlogs(engine_.now());
  ledger_->finish(logs, hws, engine_.now(), result);
  if (consumer_ledger_) consumer_ledger_->finish(result);
  const std::int32_t offsets_topic = broker_layout_.topic_index(kConsumerOffsetsTopic);
  for (std::size_t g = 0; g < result.consumer_groups.size(); ++g) {
    ConsumerGroupReport& report = result.consumer_groups[g];
    if (scenario_.consumers[g].coordination == GroupCoordination::zookeeper || offsets_topic < 0) {
      report.coordinator = "zookeeper";
      continue;
    }
    const TopicPartition tp{
        TopicIndex(static_cast<std::uint32_t>(offsets_topic)),
        offsets_partition_for(report.group, broker_layout_.topics.back().partitions)};
    const Broker* leader = current_leader(tp);
    report.coordinator = leader ? broker_name(leader->id()) : "none";
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    PartitionReport& report = result.partitions[i];
    Broker* leader = current_leader(all[i]);
    report.leader = leader ? broker_name(leader->id()) : "none";
    if (leader) {
      for (BrokerId b : leader->partition(all[i])->isr()) {
        report.isr.push_back(broker_name(b));
      }
      report.high_watermark = leader->partition(all[i])->high_watermark();
    }
    for (BrokerId r : layout_.replicas(all[i])) {
      const Broker* b = broker(r);
      report.replicas.push_back(
          {broker_name(r), b ? b->partition(all[i])->log().log_end_offset() : 0});
    }
    if (leader) diverged_offsets(all[i], *leader, report);
    result.diverged_offsets += report.diverged_offsets;
  }
  result.events = engine_.events_processed();
  return result;
}

}  // namespace kafkasim
