#include "invariants.h"

#include <algorithm>
#include <cstdio>

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
      violated(invariant_name::kOneLeaderPerEpoch,
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
  violated(invariant_name::kHighWatermarkMonotonic,
           partition_text(partition) + ": leader " + broker_name(leader.broker) +
               " in leader epoch " + std::to_string(leader.epoch.value()) +
               " moved its high watermark back from " + std::to_string(before.high_watermark) +
               " to " + std::to_string(leader.high_watermark),
           now);
}

void check_high_watermark_bound(std::string_view partition, const LeaderView& leader, Instant now,
                                FollowerBound followers, std::span<const BrokerId> lost_tail) {
  const std::string_view invariant = invariant_name::kHighWatermarkBound;
  // Worded only on a breach: this check runs after every event, for every partition.
  const auto who = [&] {
    return partition_text(partition) + ": leader " + broker_name(leader.broker) +
           " in leader epoch " + std::to_string(leader.epoch.value()) + " has high watermark " +
           std::to_string(leader.high_watermark);
  };
  if (leader.high_watermark > leader.log_end_offset) {
    violated(invariant,
             who() + " above its own log end offset " + std::to_string(leader.log_end_offset), now);
  }
  if (followers == FollowerBound::not_an_invariant) return;
  for (const FollowerState& f : leader.followers) {
    if (f.log_end_offset < 0) continue;  // not fetched from this leader yet: unknown
    if (std::find(leader.isr.begin(), leader.isr.end(), f.broker) == leader.isr.end()) continue;
    if (leader.high_watermark <= f.log_end_offset) continue;
    if (std::find(lost_tail.begin(), lost_tail.end(), f.broker) != lost_tail.end()) continue;
    violated(invariant,
             who() + " above the log end offset " + std::to_string(f.log_end_offset) +
                 " of ISR member " + broker_name(f.broker),
             now);
  }
}

void check_leader_in_isr(std::string_view partition, const LeaderView& leader, Instant now) {
  if (std::find(leader.isr.begin(), leader.isr.end(), leader.broker) != leader.isr.end()) return;
  std::string isr;
  for (BrokerId b : leader.isr)
    isr += (isr.empty() ? "" : ", ") + broker_name(b);
  violated(invariant_name::kLeaderInIsr,
           partition_text(partition) + ": leader " + broker_name(leader.broker) +
               " in leader epoch " + std::to_string(leader.epoch.value()) + " is not in its ISR [" +
               isr + "]",
           now);
}

void check_one_controller_per_epoch(std::span<const ControllerView> controllers, Instant now) {
  for (std::size_t i = 0; i < controllers.size(); ++i) {
    for (std::size_t j = i + 1; j < controllers.size(); ++j) {
      if (controllers[i].epoch != controllers[j].epoch) continue;
      violated(invariant_name::kOneControllerPerEpoch,
               "controller: " + broker_name(controllers[i].broker) + " and " +
                   broker_name(controllers[j].broker) +
                   " are both active controllers with controller epoch " +
                   std::to_string(controllers[i].epoch.value()),
               now);
    }
  }
}

void check_liveness(std::string_view partition, const LeaderView* leader,
                    std::span<const BrokerId> replicas, std::span<const BrokerId> down,
                    Producers producers, Instant now) {
  const std::string_view invariant = invariant_name::kLiveness;
  if (leader == nullptr) {
    violated(invariant, partition_text(partition) + ": no live leader", now);
  }
  if (!down.empty()) {
    violated(invariant,
             partition_text(partition) + ": replicas " + broker_names({down.begin(), down.end()}) +
                 " not up",
             now);
  }
  const std::string who = partition_text(partition) + ": leader " + broker_name(leader->broker) +
                          " in leader epoch " + std::to_string(leader->epoch.value());
  for (BrokerId replica : replicas) {
    if (std::find(leader->isr.begin(), leader->isr.end(), replica) != leader->isr.end()) continue;
    violated(invariant,
             who + " has ISR " + broker_names({leader->isr.begin(), leader->isr.end()}) +
                 " without replica " + broker_name(replica),
             now);
  }
  if (producers == Producers::idle && leader->high_watermark != leader->log_end_offset) {
    violated(invariant,
             who + " has high watermark " + std::to_string(leader->high_watermark) +
                 " below its log end offset " + std::to_string(leader->log_end_offset),
             now);
  }
}

void check_committed_data(std::string_view partition, BrokerId leader,
                          const std::deque<RecordBatch>& leader_log, BrokerId replica,
                          const std::deque<RecordBatch>& replica_log, Offset high_watermark,
                          Instant now) {
  const std::optional<Offset> diverged = first_divergence(leader_log, replica_log, high_watermark);
  if (!diverged) return;
  violated(invariant_name::kCommittedData,
           partition_text(partition) + ": " + broker_name(replica) + " differs from leader " +
               broker_name(leader) + " at offset " + std::to_string(*diverged) +
               ", below the high watermark " + std::to_string(high_watermark),
           now);
}

// --- Consumer groups -----------------------------------------------------------------------------

void check_committed_offset_bound(std::string_view group, std::string_view partition,
                                  Offset committed, Offset highest_high_watermark, Instant now) {
  if (committed <= highest_high_watermark) return;
  violated(invariant_name::kCommittedOffsetBound,
           "group " + std::string(group) + " committed offset " + std::to_string(committed) +
               " of " + partition_text(partition) + ", whose high watermark never passed " +
               std::to_string(highest_high_watermark),
           now);
}

void check_committed_offset_monotonic(std::string_view group, std::string_view partition,
                                      Offset before, Offset committed, Instant now) {
  if (committed >= before) return;
  violated(invariant_name::kCommittedOffsetMonotonic,
           "group " + std::string(group) + " moved its committed offset of " +
               partition_text(partition) + " back from " + std::to_string(before) + " to " +
               std::to_string(committed),
           now);
}

void check_one_owner_per_partition(std::string_view group, std::string_view partition,
                                   std::span<const std::string> owners, Instant now) {
  if (owners.size() == 1) return;
  std::string who;
  for (const std::string& owner : owners)
    who += (who.empty() ? "" : ", ") + owner;
  violated(invariant_name::kOneOwnerPerPartition,
           partition_text(partition) + " is owned by " + std::to_string(owners.size()) +
               " live members of group " + std::string(group) +
               (owners.empty() ? std::string() : " (" + who + ")"),
           now);
}

}  // namespace kafkasim
