#include "invariant_checker.h"

#include <algorithm>
#include <cassert>

#include "cluster.h"
#include "kafkasim/consumer/zk_group_dirs.h"
#include "kafkasim/kafka/controller.h"
#include "kafkasim/kafka/group_coordinator.h"

namespace kafkasim {

namespace {

// --- The per-event checks, each over the sample of one event -----------------------------

class OneLeaderPerEpoch final : public EventCheck {
 public:
  std::string_view name() const override { return invariant_name::kOneLeaderPerEpoch; }
  void check(const EventSample& sample) override {
    // The leaders come in partition order: check each partition's run of them.
    for (auto first = sample.leaders.begin(); first != sample.leaders.end();) {
      const auto last = std::find_if(first, sample.leaders.end(), [&](const auto& l) {
        return l.partition != first->partition;
      });
      views_.clear();
      for (auto it = first; it != last; ++it)
        views_.push_back(it->view);
      check_one_leader_per_epoch(sample.partition_names[first->partition], views_, sample.now);
      first = last;
    }
  }

 private:
  std::vector<LeaderView> views_;  // scratch
};

/// Remembers each replica's mark (leading, epoch, high watermark) from the previous event.
class HighWatermarkMonotonic final : public EventCheck {
 public:
  std::string_view name() const override { return invariant_name::kHighWatermarkMonotonic; }
  void check(const EventSample& sample) override {
    marks_.resize(sample.partition_names.size() * sample.brokers);
    for (const EventSample::Leader& l : sample.leaders) {
      check_high_watermark_monotonic(sample.partition_names[l.partition], marks_[slot(sample, l)],
                                     l.view, sample.now);
    }
    // A replica that does not lead now starts afresh when it leads again.
    std::fill(marks_.begin(), marks_.end(), LeaderMark{});
    for (const EventSample::Leader& l : sample.leaders)
      marks_[slot(sample, l)] = LeaderMark{true, l.view.epoch, l.view.high_watermark};
  }

 private:
  static std::size_t slot(const EventSample& s, const EventSample::Leader& l) {
    return l.partition * s.brokers + l.broker;
  }
  std::vector<LeaderMark> marks_;  // [partition * brokers + broker]
};

/// Remembers which ISR followers lost their log tail in a power loss (see check_high_watermark_
/// bound): each broker's power losses, and per replica whether it has left the ISR since.
class HighWatermarkBound final : public EventCheck {
 public:
  HighWatermarkBound(const ClusterLayout& layout, FollowerBound followers)
      : layout_(layout), followers_(followers) {}
  std::string_view name() const override { return invariant_name::kHighWatermarkBound; }
  void check(const EventSample& sample) override {
    const std::size_t brokers = sample.brokers;
    power_losses_seen_.resize(brokers);
    lost_tail_.resize(sample.partition_names.size() * brokers);
    for (std::size_t b = 0; b < brokers; ++b) {
      if (sample.power_losses[b] == power_losses_seen_[b]) continue;
      power_losses_seen_[b] = sample.power_losses[b];
      for (std::size_t p = 0; p < sample.partition_names.size(); ++p)
        lost_tail_[p * brokers + b] = true;
    }
    for (const EventSample::Leader& l : sample.leaders) {
      // A follower that lost its tail is held to the bound again once it has left the ISR: to
      // rejoin, it must catch up with the high watermark (Partition.maybeExpandIsr). Its
      // catching up while still in the ISR cannot be told apart from the leader's stale view
      // of it before its first fetch after the restart, so it stays exempt until then.
      exempt_.clear();
      for (const FollowerState& f : l.view.followers) {
        const std::size_t slot = l.partition * brokers + layout_.broker_position(f.broker);
        if (!lost_tail_[slot]) continue;
        if (std::find(l.view.isr.begin(), l.view.isr.end(), f.broker) == l.view.isr.end()) {
          lost_tail_[slot] = false;
        } else {
          exempt_.push_back(f.broker);
        }
      }
      check_high_watermark_bound(sample.partition_names[l.partition], l.view, sample.now,
                                 followers_, exempt_);
    }
  }

 private:
  const ClusterLayout& layout_;
  FollowerBound followers_;
  std::vector<std::uint32_t> power_losses_seen_;  // by broker position
  /// [partition * brokers + broker]: that replica lost power and has not left its ISR since.
  std::vector<bool> lost_tail_;
  std::vector<BrokerId> exempt_;  // scratch: one partition's lost-tail ISR followers
};

class LeaderInIsr final : public EventCheck {
 public:
  std::string_view name() const override { return invariant_name::kLeaderInIsr; }
  void check(const EventSample& sample) override {
    for (const EventSample::Leader& l : sample.leaders)
      check_leader_in_isr(sample.partition_names[l.partition], l.view, sample.now);
  }
};

class OneControllerPerEpoch final : public EventCheck {
 public:
  std::string_view name() const override { return invariant_name::kOneControllerPerEpoch; }
  void check(const EventSample& sample) override {
    check_one_controller_per_epoch(sample.controllers, sample.now);
  }
};

/// Remembers the highest high watermark each partition has had: a consumer reads only below it.
class CommittedOffsetBound final : public EventCheck {
 public:
  std::string_view name() const override { return invariant_name::kCommittedOffsetBound; }
  void check(const EventSample& sample) override {
    highest_.resize(sample.partition_names.size(), 0);
    for (const EventSample::Leader& l : sample.leaders)
      highest_[l.partition] = std::max(highest_[l.partition], l.view.high_watermark);
    for (const EventSample::GroupOffsets& g : sample.groups) {
      for (std::size_t i = 0; i < g.partitions.size(); ++i) {
        if (g.committed[i] < 0) continue;
        check_committed_offset_bound(g.group, sample.partition_names[g.partitions[i]],
                                     g.committed[i], highest_[g.partitions[i]], sample.now);
      }
    }
  }

 private:
  std::vector<Offset> highest_;  // by partition index
};

/// Remembers each group's last known committed offset of each partition.
class CommittedOffsetMonotonic final : public EventCheck {
 public:
  std::string_view name() const override { return invariant_name::kCommittedOffsetMonotonic; }
  void check(const EventSample& sample) override {
    last_.resize(sample.groups.size());
    for (std::size_t g = 0; g < sample.groups.size(); ++g) {
      const EventSample::GroupOffsets& group = sample.groups[g];
      last_[g].resize(group.partitions.size(), -1);
      for (std::size_t i = 0; i < group.partitions.size(); ++i) {
        // Unknown now (a coordinator loading the group, or none): the next one read is held to
        // the last one known.
        if (group.committed[i] < 0) continue;
        // Only the group coordinator's commits are fenced (see invariant 8 in invariants.h).
        if (group.coordinator && !sample.loss_possible) {
          check_committed_offset_monotonic(group.group, sample.partition_names[group.partitions[i]],
                                           last_[g][i], group.committed[i], sample.now);
        }
        last_[g][i] = group.committed[i];
      }
    }
  }

 private:
  std::vector<std::vector<Offset>> last_;  // by group, then position in its partitions
};

}  // namespace

InvariantChecker::InvariantChecker(Cluster& cluster)
    : cluster_(cluster), partitions_(cluster.layout().all_partitions()) {
  for (const TopicPartition& tp : partitions_)
    sample_.partition_names.push_back(cluster.layout().partition_name(tp));
  sample_.brokers = cluster.brokers().size();
  // The high-watermark bound by the followers is a leader-epoch invariant (see FollowerBound).
  const FollowerBound followers =
      cluster.scenario().cluster.truncation == Truncation::high_watermark
          ? FollowerBound::not_an_invariant
          : FollowerBound::checked;
  checks_.push_back(std::make_unique<HighWatermarkMonotonic>());
  checks_.push_back(std::make_unique<HighWatermarkBound>(cluster.layout(), followers));
  checks_.push_back(std::make_unique<LeaderInIsr>());
  checks_.push_back(std::make_unique<OneLeaderPerEpoch>());
  checks_.push_back(std::make_unique<OneControllerPerEpoch>());
  const Scenario& scenario = cluster.scenario();
  if (scenario.consumers.empty()) return;
  unclean_allowed_ = scenario.cluster.broker_config.unclean_leader_election_enable;
  for (const TopicSpec& topic : scenario.topics) {
    unclean_allowed_ = unclean_allowed_ || topic.config.effective_unclean_leader_election_enable(
                                               scenario.cluster.broker_config);
  }
  const ClusterLayout& brokers_layout = cluster.broker_layout();
  const std::int32_t offsets_topic = brokers_layout.topic_index(kConsumerOffsetsTopic);
  for (const ConsumerGroupSpec& spec : scenario.consumers) {
    EventSample::GroupOffsets& sampled = sample_.groups.emplace_back();
    GroupStore& store = stores_.emplace_back();
    sampled.group = spec.group;
    store.zookeeper = spec.coordination == GroupCoordination::zookeeper;
    sampled.coordinator = !store.zookeeper;
    const TopicIndex topic(static_cast<std::uint32_t>(cluster.layout().topic_index(spec.topic)));
    ZkGroupTopicDirs dirs;
    dirs.group = spec.group;
    dirs.topic = spec.topic;
    for (std::int32_t p = 0; p < cluster.layout().topic(topic).partitions; ++p) {
      const TopicPartition tp{topic, p};
      sampled.partitions.push_back(cluster.layout().partition_index(tp));
      store.partitions.push_back(tp);
      store.offset_paths.push_back(dirs.offset_path(p));
    }
    sampled.committed.assign(sampled.partitions.size(), -1);
    if (!store.zookeeper && offsets_topic >= 0) {
      const TopicIndex offsets(static_cast<std::uint32_t>(offsets_topic));
      store.offsets_partition = TopicPartition{
          offsets, offsets_partition_for(spec.group, brokers_layout.topic(offsets).partitions)};
    }
  }
  checks_.push_back(std::make_unique<CommittedOffsetBound>());
  checks_.push_back(std::make_unique<CommittedOffsetMonotonic>());
}

void InvariantChecker::sample_group(std::size_t g) {
  const GroupStore& store = stores_[g];
  std::vector<Offset>& committed = sample_.groups[g].committed;
  if (store.zookeeper) {
    for (std::size_t i = 0; i < committed.size(); ++i) {
      const Znode* node = cluster_.zookeeper().tree().find(store.offset_paths[i]);
      committed[i] = node != nullptr ? decode_committed_offset(node->data).value_or(-1) : -1;
    }
    return;
  }
  // The coordinator's offsets cache: the current leader of the group's __consumer_offsets
  // partition, once it has loaded the group.
  const Broker* leader = cluster_.current_leader(store.offsets_partition);
  const GroupCoordinator* coordinator = leader != nullptr ? leader->group_coordinator() : nullptr;
  for (std::size_t i = 0; i < committed.size(); ++i) {
    committed[i] = coordinator != nullptr
                       ? coordinator->committed_offset(sample_.groups[g].group, store.partitions[i])
                             .value_or(-1)
                       : -1;
  }
}

void InvariantChecker::after_event(void* context) {
  static_cast<InvariantChecker*>(context)->check();
}

std::vector<std::string_view> InvariantChecker::names() const {
  std::vector<std::string_view> names;
  for (const auto& check : checks_)
    names.push_back(check->name());
  return names;
}

void InvariantChecker::take_sample() {
  const std::vector<std::unique_ptr<Broker>>& brokers = cluster_.brokers();
  sample_.now = cluster_.engine().now();
  sample_.leaders.clear();
  for (std::size_t p = 0; p < partitions_.size(); ++p) {
    for (std::size_t b = 0; b < brokers.size(); ++b) {
      const Partition* replica =
          brokers[b]->is_up() ? brokers[b]->partition(partitions_[p]) : nullptr;
      if (replica == nullptr || !replica->is_leader()) continue;
      sample_.leaders.push_back(
          {p, b,
           LeaderView{brokers[b]->id(), replica->leader_epoch(), replica->high_watermark(),
                      replica->log().log_end_offset(), replica->isr(), replica->followers()}});
    }
  }
  sample_.controllers.clear();
  sample_.power_losses.resize(brokers.size());
  for (std::size_t b = 0; b < brokers.size(); ++b) {
    const Broker& broker = *brokers[b];
    sample_.power_losses[b] = broker.power_losses();
    if (broker.is_up() && broker.is_controller())
      sample_.controllers.push_back({broker.id(), broker.controller()->epoch()});
  }
  if (stores_.empty()) return;
  sample_.loss_possible = unclean_allowed_ ||
                          cluster_.scenario().cluster.truncation == Truncation::high_watermark ||
                          std::any_of(sample_.power_losses.begin(), sample_.power_losses.end(),
                                      [](std::uint32_t losses) { return losses > 0; });
  for (std::size_t g = 0; g < stores_.size(); ++g)
    sample_group(g);
}

void InvariantChecker::check() {
  take_sample();
  for (const auto& check : checks_)
    check->check(sample_);
}

// --- After settling ----------------------------------------------------------------------

namespace {

LeaderView view_of(const Broker& broker, const Partition& replica) {
  return LeaderView{broker.id(),
                    replica.leader_epoch(),
                    replica.high_watermark(),
                    replica.log().log_end_offset(),
                    replica.isr(),
                    replica.followers()};
}

void check_liveness(Cluster& cluster) {
  const Instant now = cluster.engine().now();
  // A producer with a backlog (sync falls behind in the flagship) still appends: its leader's
  // high watermark trails the log end by a fetch round, which says nothing of liveness.
  const Producers producers =
      cluster.ledger().counters().pending() == 0 ? Producers::idle : Producers::busy;
  for (const TopicPartition& tp : cluster.layout().all_partitions()) {
    std::vector<BrokerId> down;
    for (BrokerId r : cluster.layout().replicas(tp)) {
      const Broker* b = cluster.broker(r);
      if (b == nullptr || !b->is_up()) down.push_back(r);
    }
    const Broker* leader = cluster.current_leader(tp);
    std::optional<LeaderView> view;
    if (leader != nullptr) view = view_of(*leader, *leader->partition(tp));
    check_liveness(cluster.layout().partition_name(tp), view ? &*view : nullptr,
                   cluster.layout().replicas(tp), down, producers, now);
  }
}

void check_committed_data(Cluster& cluster) {
  // Not an invariant under the rule before 0.11 (see check_committed_data in invariants.h).
  if (cluster.scenario().cluster.truncation == Truncation::high_watermark) return;
  const Instant now = cluster.engine().now();
  for (const TopicPartition& tp : cluster.layout().all_partitions()) {
    const Broker* leader = cluster.current_leader(tp);
    if (leader == nullptr) continue;  // liveness's to report
    const Partition& led = *leader->partition(tp);
    for (BrokerId r : cluster.layout().replicas(tp)) {
      const Broker* b = cluster.broker(r);
      if (b == nullptr || b == leader || !b->is_up() || b->partition(tp) == nullptr) continue;
      check_committed_data(cluster.layout().partition_name(tp), leader->id(), led.log().batches(),
                           r, b->partition(tp)->log().batches(), led.high_watermark(), now);
    }
  }
}

void check_group_owners(Cluster& cluster) {
  const Instant now = cluster.engine().now();
  const Scenario& scenario = cluster.scenario();
  for (std::size_t g = 0; g < scenario.consumers.size(); ++g) {
    const ConsumerGroupSpec& spec = scenario.consumers[g];
    // The live members of the group, and what each owns.
    std::vector<const Consumer*> live;
    for (const auto& consumer : cluster.consumers()) {
      if (consumer->group().value() == static_cast<std::uint32_t>(g) && consumer->is_up())
        live.push_back(consumer.get());
    }
    if (live.empty()) continue;
    const TopicIndex topic(static_cast<std::uint32_t>(cluster.layout().topic_index(spec.topic)));
    std::vector<std::vector<std::string>> owners(
        static_cast<std::size_t>(cluster.layout().topic(topic).partitions));
    for (const Consumer* member : live) {
      for (const std::int32_t p : member->owned_partitions())
        owners[static_cast<std::size_t>(p)].push_back(member->consumer_id());
    }
    for (std::size_t p = 0; p < owners.size(); ++p) {
      check_one_owner_per_partition(
          spec.group,
          cluster.layout().partition_name(TopicPartition{topic, static_cast<std::int32_t>(p)}),
          owners[p], now);
    }
  }
}

}  // namespace

void check_settled_state(Cluster& cluster) {
  // Committed data first: a replica that disagrees with its leader is the deeper fault, and
  // often the reason it cannot rejoin the ISR.
  constexpr void (*kChecks[])(Cluster&) = {check_committed_data, check_liveness,
                                           check_group_owners};
  for (const auto check : kChecks)
    check(cluster);
}

}  // namespace kafkasim
