#include "invariant_checker.h"

#include <algorithm>
#include <cassert>

#include "cluster.h"
#include "kafkasim/kafka/controller.h"

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

}  // namespace

void check_settled_state(Cluster& cluster) {
  // Committed data first: a replica that disagrees with its leader is the deeper fault, and
  // often the reason it cannot rejoin the ISR.
  constexpr void (*kChecks[])(Cluster&) = {check_committed_data, check_liveness};
  for (const auto check : kChecks)
    check(cluster);
}

}  // namespace kafkasim
