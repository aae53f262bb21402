#include "invariants.h"

#include <algorithm>
#include <cstdio>

#include "cluster.h"
#include "kafkasim/kafka/controller.h"
#include "kafkasim/run/cluster_run.h"

namespace kafkasim {

namespace {

/// The simulated time, both from the engine's start and from the scenario's (after the boot).
std::string time_text(Instant now) {
  char text[96];
  std::snprintf(text, sizeof text, "at virtual time %.6f ms (scenario time %.6f ms)", to_ms(now),
                to_ms(now - kBootTime));
  return text;
}

[[noreturn]] void violated(std::string_view invariant, const std::string& detail, Instant now) {
  throw InvariantViolation("invariant violated: " + std::string(invariant) + ": " + detail + ", " +
                           time_text(now));
}

std::string partition_text(std::string_view partition) {
  return "partition " + std::string(partition);
}

}  // namespace

void check_one_leader_per_epoch(std::string_view partition, std::span<const LeaderView> leaders,
                                Instant now) {
  // Few leaders per partition (usually one): the pairwise loop is the cheapest.
  for (std::size_t i = 0; i < leaders.size(); ++i) {
    for (std::size_t j = i + 1; j < leaders.size(); ++j) {
      if (leaders[i].epoch != leaders[j].epoch) continue;
      violated("one leader per partition per leader epoch",
               partition_text(partition) + ": " + broker_name(leaders[i].broker) + " and " +
                   broker_name(leaders[j].broker) + " both lead with leader epoch " +
                   std::to_string(leaders[i].epoch.value()),
               now);
    }
  }
}

void check_high_watermark_monotonic(std::string_view partition, const LeaderMark& before,
                                    const LeaderView& leader, Instant now) {
  // A new epoch (or leadership regained after a gap) starts a new history: only a replica that
  // led in this same epoch at the previous event is held to its previous high watermark.
  if (!before.leading || before.epoch != leader.epoch) return;
  if (leader.high_watermark >= before.high_watermark) return;
  violated("the leader's high watermark never decreases",
           partition_text(partition) + ": leader " + broker_name(leader.broker) +
               " in leader epoch " + std::to_string(leader.epoch.value()) +
               " moved its high watermark back from " + std::to_string(before.high_watermark) +
               " to " + std::to_string(leader.high_watermark),
           now);
}

void check_high_watermark_bound(std::string_view partition, const LeaderView& leader, Instant now,
                                FollowerBound followers, std::span<const BrokerId> lost_tail) {
  const std::string_view invariant =
      "the leader's high watermark never exceeds the smallest log end offset of its ISR";
  const std::string who = partition_text(partition) + ": leader " + broker_name(leader.broker) +
                          " in leader epoch " + std::to_string(leader.epoch.value()) +
                          " has high watermark " + std::to_string(leader.high_watermark);
  if (leader.high_watermark > leader.log_end_offset) {
    violated(invariant,
             who + " above its own log end offset " + std::to_string(leader.log_end_offset), now);
  }
  if (followers == FollowerBound::not_an_invariant) return;
  for (const FollowerState& f : leader.followers) {
    if (f.log_end_offset < 0) continue;  // not fetched from this leader yet: unknown
    if (std::find(leader.isr.begin(), leader.isr.end(), f.broker) == leader.isr.end()) continue;
    if (leader.high_watermark <= f.log_end_offset) continue;
    if (std::find(lost_tail.begin(), lost_tail.end(), f.broker) != lost_tail.end()) continue;
    violated(invariant,
             who + " above the log end offset " + std::to_string(f.log_end_offset) +
                 " of ISR member " + broker_name(f.broker),
             now);
  }
}

void check_leader_in_isr(std::string_view partition, const LeaderView& leader, Instant now) {
  if (std::find(leader.isr.begin(), leader.isr.end(), leader.broker) != leader.isr.end()) return;
  std::string isr;
  for (BrokerId b : leader.isr)
    isr += (isr.empty() ? "" : ", ") + broker_name(b);
  violated("the leader is in its own ISR",
           partition_text(partition) + ": leader " + broker_name(leader.broker) +
               " in leader epoch " + std::to_string(leader.epoch.value()) + " is not in its ISR [" +
               isr + "]",
           now);
}

void check_one_controller_per_epoch(std::span<const ControllerView> controllers, Instant now) {
  for (std::size_t i = 0; i < controllers.size(); ++i) {
    for (std::size_t j = i + 1; j < controllers.size(); ++j) {
      if (controllers[i].epoch != controllers[j].epoch) continue;
      violated("one controller per controller epoch",
               "controller: " + broker_name(controllers[i].broker) + " and " +
                   broker_name(controllers[j].broker) +
                   " are both active controllers with controller epoch " +
                   std::to_string(controllers[i].epoch.value()),
               now);
    }
  }
}

InvariantChecker::InvariantChecker(Cluster& cluster)
    : cluster_(cluster), partitions_(cluster.layout().all_partitions()) {
  for (const TopicPartition& tp : partitions_) {
    names_.push_back(cluster.layout().topics[tp.topic.value()].name + "-" +
                     std::to_string(tp.partition));
  }
  marks_.resize(partitions_.size() * cluster.brokers().size());
  power_losses_seen_.resize(cluster.brokers().size());
  lost_tail_.resize(partitions_.size() * cluster.brokers().size());
  if (cluster.scenario().cluster.truncation == Truncation::high_watermark) {
    follower_bound_ = FollowerBound::not_an_invariant;
  }
}

void InvariantChecker::after_event(void* context) {
  static_cast<InvariantChecker*>(context)->check();
}

void InvariantChecker::check() {
  const Instant now = cluster_.engine().now();
  const std::vector<std::unique_ptr<Broker>>& brokers = cluster_.brokers();
  for (std::size_t b = 0; b < brokers.size(); ++b) {
    if (brokers[b]->power_losses() == power_losses_seen_[b]) continue;
    power_losses_seen_[b] = brokers[b]->power_losses();
    for (std::size_t p = 0; p < partitions_.size(); ++p)
      lost_tail_[p * brokers.size() + b] = true;
  }
  for (std::size_t p = 0; p < partitions_.size(); ++p) {
    leaders_.clear();
    for (std::size_t b = 0; b < brokers.size(); ++b) {
      LeaderMark& mark = marks_[p * brokers.size() + b];
      const Partition* replica =
          brokers[b]->is_up() ? brokers[b]->partition(partitions_[p]) : nullptr;
      if (replica == nullptr || !replica->is_leader()) {
        mark = LeaderMark{};
        continue;
      }
      const LeaderView view{brokers[b]->id(),
                            replica->leader_epoch(),
                            replica->high_watermark(),
                            replica->log().log_end_offset(),
                            replica->isr(),
                            replica->followers()};
      check_high_watermark_monotonic(names_[p], mark, view, now);
      // A follower that lost its tail is held to the bound again once it has left the ISR: to
      // rejoin, it must catch up with the high watermark (Partition.maybeExpandIsr). Its
      // catching up while still in the ISR cannot be told apart from the leader's stale view
      // of it before its first fetch after the restart, so it stays exempt until then.
      exempt_.clear();
      for (const FollowerState& f : view.followers) {
        const std::size_t slot = p * brokers.size() + cluster_.layout().broker_position(f.broker);
        if (!lost_tail_[slot]) continue;
        if (std::find(view.isr.begin(), view.isr.end(), f.broker) == view.isr.end()) {
          lost_tail_[slot] = false;
        } else {
          exempt_.push_back(f.broker);
        }
      }
      check_high_watermark_bound(names_[p], view, now, follower_bound_, exempt_);
      check_leader_in_isr(names_[p], view, now);
      mark = LeaderMark{true, view.epoch, view.high_watermark};
      leaders_.push_back(view);
    }
    check_one_leader_per_epoch(names_[p], leaders_, now);
  }
  controllers_.clear();
  for (const auto& broker : brokers) {
    if (broker->is_up() && broker->is_controller()) {
      controllers_.push_back({broker->id(), broker->controller()->epoch()});
    }
  }
  check_one_controller_per_epoch(controllers_, now);
}

}  // namespace kafkasim
