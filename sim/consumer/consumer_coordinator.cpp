// A member of a group run by Kafka 2.4's group coordinator (clients/.../consumer/internals/
// AbstractCoordinator.java, ConsumerCoordinator.java, Heartbeat.java; KafkaConsumer.poll).
//
// The application's poll() runs the group (ConsumerCoordinator.poll): it finds the coordinator
// (FindCoordinator), joins when a rejoin is needed (onJoinPrepare commits what was processed and
// revokes every partition; JoinGroup, the leader computes the assignment; SyncGroup hands it out;
// the committed offsets are fetched, OffsetFetch) and commits every auto.commit.interval.ms. While
// the coordinator is unknown or a join is under way, poll() returns nothing: the member processes
// nothing. The heartbeat thread sends a Heartbeat every heartbeat.interval.ms while the member is
// stable; an answer REBALANCE_IN_PROGRESS asks the next poll() to rejoin. A member that has not
// called poll() for max.poll.interval.ms leaves the group (maybeLeaveGroup) from the heartbeat
// thread: its partitions go to the others, and its next commit is refused.
#include <algorithm>
#include <cassert>

#include "kafkasim/consumer/consumer.h"
#include "kafkasim/consumer/consumer_partition_assignor.h"

namespace kafkasim {

template <class Request>
CorrelationId Consumer::send_to_coordinator(Request request, RequestKind kind,
                                            std::optional<Duration> timeout) {
  assert(coordinator_ >= 0);  // a group request goes to a known coordinator
  const auto broker = static_cast<std::size_t>(coordinator_);
  request.correlation_id = add_in_flight(broker, kind, timeout);
  const CorrelationId id = request.correlation_id;
  send_to_broker(broker, std::move(request));
  return id;
}

namespace {

/// AbstractCoordinator.JOIN_GROUP_TIMEOUT_LAPSE: a JoinGroup may wait the whole rebalance.
constexpr Duration kJoinGroupTimeoutLapse = std::chrono::milliseconds(5000);

bool coordinator_error(Errors error) {
  return error == Errors::not_coordinator || error == Errors::coordinator_not_available;
}

}  // namespace

void Consumer::send_to_broker(std::size_t broker, Message message) {
  const std::uint32_t bytes = wire_size(message);
  transport_.send(placement_.node, placement_.brokers[broker].node, std::move(message), bytes);
}

std::optional<Consumer::InFlight> Consumer::take_in_flight(CorrelationId id) {
  const auto it = in_flight_.find(id.value());
  if (it == in_flight_.end()) return std::nullopt;
  InFlight request = it->second;
  engine_.cancel(request.timeout);
  in_flight_.erase(it);
  return request;
}

void Consumer::set_holding(bool holding) {
  if (holding == holding_) return;
  holding_ = holding;
  listener_.on_holding(placement_.group, placement_.member, holding, engine_.now());
}

void Consumer::start_coordinated() {
  // The client id: the member's node name. A restarted process is a new member (no member id).
  consumer_id_ = placement_.node_name;
  last_poll_ = engine_.now();
  next_auto_commit_ = engine_.now() + spec_.config.auto_commit_interval;
  maybe_update_metadata();
  poll();
}

// --- The coordinator ----------------------------------------------------------------------------

bool Consumer::ensure_group() {
  if (coordinator_ < 0) {
    lookup_coordinator();
    return false;
  }
  if (join_in_flight_) return false;
  if (rejoin_needed_ || member_state_ != MemberState::stable) {
    join_prepare();
    return false;
  }
  return true;
}

void Consumer::lookup_coordinator() {
  // AbstractCoordinator.lookupCoordinator: FindCoordinator to the least loaded node (the model:
  // the bootstrap brokers in turn, so that a dead one is passed over after its failure).
  if (find_in_flight_ || !is_up()) return;
  const std::size_t broker = bootstrap_next_++ % placement_.brokers.size();
  if (engine_.now() < reconnect_after_[broker]) {
    engine_.set_timer(reconnect_after_[broker], actor(),
                      timer_cookie(TimerKind::coordinator_retry));
    return;
  }
  find_in_flight_ = true;
  FindCoordinatorRequest request{add_in_flight(broker, RequestKind::find_coordinator), spec_.group};
  send_to_broker(broker, std::move(request));
}

void Consumer::on_find_coordinator_response(const FindCoordinatorResponse& response) {
  if (!take_in_flight(response.correlation_id)) return;
  find_in_flight_ = false;
  std::int32_t found = -1;
  for (std::size_t i = 0; i < placement_.brokers.size(); ++i) {
    if (placement_.brokers[i].id == response.node_id) found = static_cast<std::int32_t>(i);
  }
  if (response.error != Errors::none || found < 0) {
    // "Coordinator discovery failed, refreshing metadata"; the next try after retry.backoff.ms.
    set_timer(kConsumerRetryBackoff, TimerKind::coordinator_retry);
    return;
  }
  coordinator_ = found;
  // The timeline hears of a coordinator once, not at every rediscovery of the same one.
  if (found != noted_coordinator_) {
    note("found its group coordinator: " + broker_name(response.node_id) + " (FindCoordinator)");
    noted_coordinator_ = found;
    noted_dead_ = false;
  }
  last_heartbeat_ok_ = engine_.now();
  if (member_state_ == MemberState::stable) schedule_heartbeat(Duration{0});
  if (offsets_pending_) {
    send_offset_fetch();
    return;
  }
  poll();
}

void Consumer::coordinator_dead(const std::string& why) {
  // AbstractCoordinator.markCoordinatorUnknown: forget it and disconnect; requests to it fail.
  // The member keeps its generation and member id, and finds the coordinator again.
  if (coordinator_ < 0) return;
  const std::size_t broker = static_cast<std::size_t>(coordinator_);
  if (!noted_dead_) {
    note("marks its group coordinator " + broker_name(placement_.brokers[broker].id) +
         " unknown (" + why + ") and looks it up again");
    noted_dead_ = true;
  }
  coordinator_ = -1;
  for (auto it = in_flight_.begin(); it != in_flight_.end();) {
    const RequestKind kind = it->second.kind;
    const bool group = kind == RequestKind::join_group || kind == RequestKind::sync_group ||
                       kind == RequestKind::heartbeat || kind == RequestKind::offset_commit ||
                       kind == RequestKind::offset_fetch || kind == RequestKind::leave_group;
    if (group && it->second.broker == broker) {
      engine_.cancel(it->second.timeout);
      it = in_flight_.erase(it);
    } else {
      ++it;
    }
  }
  heartbeat_in_flight_ = false;
  commit_in_flight_ = false;
  if (join_in_flight_ && !offsets_pending_) {
    // The join starts over (JoinGroup again) once the coordinator is found.
    join_in_flight_ = false;
    if (member_state_ == MemberState::rebalancing) rejoin_needed_ = true;
  }
  // ensureCoordinatorReady: the next FindCoordinator after retry.backoff.ms.
  set_timer(kConsumerRetryBackoff, TimerKind::coordinator_retry);
}

// --- Joining ------------------------------------------------------------------------------------

void Consumer::join_prepare() {
  join_in_flight_ = true;
  // ConsumerCoordinator.onJoinPrepare: commit what was processed (maybeAutoCommitOffsetsSync),
  // while still a member of the generation, then revoke every partition.
  if (member_state_ == MemberState::stable && spec_.config.enable_auto_commit) {
    send_offset_commit(true);
    if (commit_in_flight_) return;  // the answer goes on
  }
  stop_fetching();
  polled_.clear();
  if (!owned_.empty()) note("revokes its partitions before rejoining");
  owned_.clear();
  set_holding(false);
  member_state_ = MemberState::rebalancing;
  send_join_group();
}

void Consumer::send_join_group() {
  if (coordinator_ < 0) {
    join_in_flight_ = false;
    lookup_coordinator();
    return;
  }
  rejoin_needed_ = false;
  member_state_ = MemberState::rebalancing;
  JoinGroupRequest request;
  request.group_id = spec_.group;
  request.session_timeout = spec_.config.session_timeout;
  request.rebalance_timeout = spec_.config.max_poll_interval;
  request.member_id = member_id_;
  request.client_id = placement_.node_name;
  request.topic = placement_.topic;
  request.user_data = sticky_user_data_;
  send_to_coordinator(std::move(request), RequestKind::join_group,
                      std::max(spec_.config.request_timeout,
                               spec_.config.max_poll_interval + kJoinGroupTimeoutLapse));
}

void Consumer::on_join_group_response(const JoinGroupResponse& response) {
  if (!take_in_flight(response.correlation_id)) return;
  switch (response.error) {
    case Errors::none:
      break;
    case Errors::member_id_required:
      // KIP-394: join again with the member id the coordinator gave.
      member_id_ = response.member_id;
      send_join_group();
      return;
    case Errors::unknown_member_id:
    case Errors::illegal_generation:
      note("JoinGroup answered " + std::string(error_name(response.error)) +
           ": joins again as a new member");
      reset_generation();
      send_join_group();
      return;
    case Errors::not_coordinator:
    case Errors::coordinator_not_available:
      join_in_flight_ = false;
      rejoin_needed_ = true;
      coordinator_dead("JoinGroup answered " + std::string(error_name(response.error)));
      return;
    default:
      // COORDINATOR_LOAD_IN_PROGRESS, REBALANCE_IN_PROGRESS: try again after retry.backoff.ms.
      join_in_flight_ = false;
      rejoin_needed_ = true;
      set_timer(kConsumerRetryBackoff, TimerKind::coordinator_retry);
      return;
  }
  member_id_ = response.member_id;
  group_generation_ = response.generation_id;
  send_sync_group(response);
}

void Consumer::send_sync_group(const JoinGroupResponse& response) {
  SyncGroupRequest request;
  request.group_id = spec_.group;
  request.generation_id = group_generation_;
  request.member_id = member_id_;
  if (response.leader == member_id_) {
    // onJoinLeader → ConsumerCoordinator.performAssignment: the leader runs the assignor over
    // the members' subscriptions, member ids sorted (consumer_partition_assignor.h).
    std::vector<AssignorMember> members;
    for (const JoinGroupResponseMember& m : response.members)
      members.push_back({m.member_id, m.user_data});
    std::sort(members.begin(), members.end(), [](const AssignorMember& a, const AssignorMember& b) {
      return a.member_id < b.member_id;
    });
    const GroupAssignment assignment =
        consumer_assign(spec_.config.partition_assignment_strategy, members, placement_.partitions);
    for (std::size_t i = 0; i < members.size(); ++i) {
      SyncGroupRequestAssignment a{members[i].member_id, {}};
      for (const std::int32_t p : assignment[i])
        a.partitions.push_back(TopicPartition{placement_.topic, p});
      request.assignments.push_back(std::move(a));
    }
    note("leads generation " + std::to_string(group_generation_) + " of " +
         std::to_string(members.size()) + " member(s): computed the " +
         std::string(to_string(spec_.config.partition_assignment_strategy)) + " assignment");
  }
  send_to_coordinator(std::move(request), RequestKind::sync_group);
}

void Consumer::on_sync_group_response(const SyncGroupResponse& response) {
  if (!take_in_flight(response.correlation_id)) return;
  if (response.error != Errors::none) {
    join_in_flight_ = false;
    rejoin_needed_ = true;
    if (coordinator_error(response.error)) {
      coordinator_dead("SyncGroup answered " + std::string(error_name(response.error)));
      return;
    }
    if (response.error == Errors::unknown_member_id ||
        response.error == Errors::illegal_generation) {
      reset_generation();
    }
    poll();
    return;
  }
  // onJoinComplete: the assignment; the positions come from the committed offsets.
  member_state_ = MemberState::stable;
  // HeartbeatThread.enable → Heartbeat.resetTimeouts: the session, heartbeat and poll timers
  // start again.
  last_heartbeat_ok_ = engine_.now();
  last_poll_ = engine_.now();
  next_heartbeat_at_ = engine_.now() + spec_.config.heartbeat_interval;
  schedule_heartbeat(Duration{0});
  pending_assignment_.clear();
  for (const TopicPartition& tp : response.partitions)
    pending_assignment_.push_back(tp.partition);
  std::sort(pending_assignment_.begin(), pending_assignment_.end());
  // StickyAssignor.onAssignment: the assignment and its generation, for the next JoinGroup's
  // userData (kept across a reset generation; a new process starts without).
  if (spec_.config.partition_assignment_strategy == AssignmentStrategy::sticky)
    sticky_user_data_ = {pending_assignment_, group_generation_};
  std::string owned_text;
  for (const std::int32_t p : pending_assignment_) {
    owned_text +=
        (owned_text.empty() ? "" : ", ") + placement_.topic_name + "-" + std::to_string(p);
  }
  note("joined generation " + std::to_string(group_generation_) + " (SyncGroup): owns " +
       (owned_text.empty() ? "nothing" : owned_text));
  ++counters_.rebalances;
  if (pending_assignment_.empty()) {
    join_in_flight_ = false;
    poll();
    return;
  }
  offsets_pending_ = true;
  send_offset_fetch();
}

void Consumer::send_offset_fetch() {
  if (coordinator_ < 0) {
    lookup_coordinator();
    return;
  }
  // ConsumerCoordinator.fetchCommittedOffsets: while an OffsetFetch for the same partitions and
  // generation is pending (pendingCommittedOffsetRequest), wait for its answer; a second one
  // would be answered twice, and the second answer found the partitions already taken.
  for (const auto& entry : in_flight_)
    if (entry.second.kind == RequestKind::offset_fetch) return;
  OffsetFetchRequest request;
  request.group_id = spec_.group;
  for (const std::int32_t p : pending_assignment_)
    request.partitions.push_back(TopicPartition{placement_.topic, p});
  send_to_coordinator(std::move(request), RequestKind::offset_fetch);
}

void Consumer::on_offset_fetch_response(const OffsetFetchResponse& response) {
  if (!take_in_flight(response.correlation_id)) return;
  if (response.error != Errors::none) {
    if (coordinator_error(response.error)) {
      coordinator_dead("OffsetFetch answered " + std::string(error_name(response.error)));
    } else {
      set_timer(kConsumerRetryBackoff, TimerKind::coordinator_retry);
    }
    return;
  }
  if (!offsets_pending_) return;  // the join it served is over (one OffsetFetch at a time)
  offsets_pending_ = false;
  join_in_flight_ = false;
  owned_.clear();
  for (const std::int32_t partition : pending_assignment_) {
    OwnedPartition p;
    p.partition = partition;
    for (const OffsetFetchResponsePartition& answer : response.partitions) {
      if (answer.tp.partition == partition) p.position = answer.committed_offset;
    }
    p.consumed = p.position;
    p.checkpointed = p.position;
    owned_.push_back(std::move(p));
  }
  pending_assignment_.clear();
  set_holding(!owned_.empty());
  poll();
}

void Consumer::reset_generation() {
  // AbstractCoordinator.resetGeneration: no member id, no generation; the next join is a new
  // member's.
  member_id_.clear();
  group_generation_ = -1;
  member_state_ = MemberState::unjoined;
  rejoin_needed_ = true;
}

void Consumer::request_rejoin(const std::string& why) {
  if (!rejoin_needed_) note(why + ": it will rejoin at its next poll()");
  rejoin_needed_ = true;
  if (idle_) poll();
}

// --- Heartbeats ---------------------------------------------------------------------------------

void Consumer::schedule_heartbeat(Duration delay) {
  engine_.cancel(heartbeat_timer_);
  heartbeat_timer_ = set_timer(delay, TimerKind::heartbeat);
}

void Consumer::on_heartbeat_timer() {
  // AbstractCoordinator.HeartbeatThread.run.
  heartbeat_timer_ = TimerId{};
  if (member_state_ != MemberState::stable || !is_up()) return;
  const Instant now = engine_.now();
  if (coordinator_ < 0) {
    lookup_coordinator();
    schedule_heartbeat(kConsumerRetryBackoff);
    return;
  }
  if (now - last_heartbeat_ok_ > spec_.config.session_timeout) {
    coordinator_dead("no heartbeat answer within session.timeout.ms");
    schedule_heartbeat(kConsumerRetryBackoff);
    return;
  }
  if (now - last_poll_ > spec_.config.max_poll_interval) {
    // "consumer poll timeout has expired. This means the time between subsequent calls to
    // poll() was longer than the configured max.poll.interval.ms" → maybeLeaveGroup.
    ++counters_.poll_timeouts;
    send_leave_group("max.poll.interval.ms (" +
                     std::to_string(spec_.config.max_poll_interval.count() / 1'000'000) +
                     " ms) exceeded since its last poll()");
    return;
  }
  if (now >= next_heartbeat_at_ && !heartbeat_in_flight_) {
    send_heartbeat();
    next_heartbeat_at_ = now + spec_.config.heartbeat_interval;
  }
  // The next look: the next heartbeat, or the poll timeout if it comes first (the thread wakes
  // at least every retry.backoff.ms, so it notices the poll timeout at once).
  const Instant next = std::min(next_heartbeat_at_, last_poll_ + spec_.config.max_poll_interval +
                                                        std::chrono::milliseconds(1));
  schedule_heartbeat(std::max(next - now, Duration(std::chrono::milliseconds(1))));
}

void Consumer::send_heartbeat() {
  HeartbeatRequest request;
  request.group_id = spec_.group;
  request.generation_id = group_generation_;
  request.member_id = member_id_;
  heartbeat_in_flight_ = true;
  send_to_coordinator(std::move(request), RequestKind::heartbeat);
}

void Consumer::on_heartbeat_response(const HeartbeatResponse& response) {
  if (!take_in_flight(response.correlation_id)) return;
  heartbeat_in_flight_ = false;
  switch (response.error) {
    case Errors::none:
      last_heartbeat_ok_ = engine_.now();
      return;
    case Errors::rebalance_in_progress:
      // The heartbeat counts (the coordinator kept the session alive); the next poll() rejoins.
      last_heartbeat_ok_ = engine_.now();
      request_rejoin("heartbeat answered REBALANCE_IN_PROGRESS");
      return;
    case Errors::illegal_generation:
    case Errors::unknown_member_id:
      note("heartbeat answered " + std::string(error_name(response.error)) +
           ": it is no longer a member of generation " + std::to_string(group_generation_));
      reset_generation();
      if (idle_) poll();
      return;
    default:
      if (coordinator_error(response.error)) {
        coordinator_dead("heartbeat answered " + std::string(error_name(response.error)));
      }
      return;
  }
}

// --- Commits and leaving ------------------------------------------------------------------------

void Consumer::send_offset_commit(bool before_join) {
  if (coordinator_ < 0 || commit_in_flight_) return;
  // ConsumerCoordinator.sendOffsetCommitRequest: the member's generation and id; a member that is
  // not stable has none and the commit fails at once ("not part of an active group").
  if (member_state_ != MemberState::stable) return;
  OffsetCommitRequest request;
  request.group_id = spec_.group;
  request.generation_id = group_generation_;
  request.member_id = member_id_;
  for (const OwnedPartition& p : owned_) {
    if (p.consumed < 0 || p.consumed == p.checkpointed) continue;
    request.partitions.push_back({TopicPartition{placement_.topic, p.partition}, p.consumed});
  }
  if (request.partitions.empty()) return;
  commit_in_flight_ = true;
  ++counters_.commits;
  const CorrelationId id = send_to_coordinator(std::move(request), RequestKind::offset_commit);
  // The answer of a commit before a join (onJoinPrepare) lets the join go on.
  if (before_join) in_flight_.at(id.value()).before_join = true;
}

void Consumer::on_offset_commit_response(const OffsetCommitResponse& response) {
  const std::optional<InFlight> request = take_in_flight(response.correlation_id);
  if (!request) return;
  commit_in_flight_ = false;
  Errors error = Errors::none;
  for (const OffsetCommitResponsePartition& p : response.partitions) {
    if (p.error != Errors::none) error = p.error;
  }
  if (error == Errors::none) {
    for (const OffsetCommitResponsePartition& p : response.partitions) {
      if (OwnedPartition* owned_p = owned(p.tp.partition))
        owned_p->checkpointed = owned_p->consumed;
    }
  } else if (error == Errors::illegal_generation || error == Errors::unknown_member_id) {
    // CommitFailedException: the group rebalanced without this member; what it processed
    // since its last commit will be processed again by the partitions' new owners.
    ++counters_.fenced_commits;
    note("offset commit refused (" + std::string(error_name(error)) + ", generation " +
         std::to_string(group_generation_) + "): fenced, it joins again as a new member");
    reset_generation();
  } else if (error == Errors::rebalance_in_progress) {
    request_rejoin("offset commit answered REBALANCE_IN_PROGRESS");
  } else if (coordinator_error(error)) {
    coordinator_dead("offset commit answered " + std::string(error_name(error)));
  }
  if (request->before_join && join_in_flight_) {
    stop_fetching();
    polled_.clear();
    if (!owned_.empty()) note("revokes its partitions before rejoining");
    owned_.clear();
    set_holding(false);
    member_state_ = MemberState::rebalancing;
    send_join_group();
  }
}

void Consumer::send_leave_group(const std::string& why) {
  // AbstractCoordinator.maybeLeaveGroup: LeaveGroup if a member of a generation, then
  // resetGeneration. Its partitions stay with the application until its next poll().
  if (coordinator_ >= 0 && !member_id_.empty()) {
    LeaveGroupRequest request;
    request.group_id = spec_.group;
    request.member_id = member_id_;
    send_to_coordinator(std::move(request), RequestKind::leave_group);
  }
  note("leaves the group (LeaveGroup): " + why);
  reset_generation();
  engine_.cancel(heartbeat_timer_);
}

}  // namespace kafkasim
