// The group coordinator's requests and its group state machine (GroupCoordinator.scala,
// GroupMetadata.scala, DelayedJoin.scala, DelayedHeartbeat.scala; Kafka 2.4). Static membership
// (group.instance.id), transactional commits and group deletion are left out: the model's members
// are dynamic consumers of one topic.
#include "kafkasim/kafka/group_coordinator.h"

#include <algorithm>
#include <cassert>
#include <cstdio>

#include "kafkasim/core/java_string_hash.h"
#include "kafkasim/kafka/broker.h"

namespace kafkasim {

std::int32_t offsets_partition_for(const std::string& group, std::int32_t partitions) {
  assert(partitions > 0);
  // groupId.hashCode, then Utils.abs(n) = n & 0x7fffffff, so that Integer.MIN_VALUE maps to 0,
  // not to itself.
  const std::uint32_t hash = static_cast<std::uint32_t>(java_string_hash(group)) & 0x7fffffffu;
  return static_cast<std::int32_t>(hash % static_cast<std::uint32_t>(partitions));
}

GroupCoordinator::GroupCoordinator(Broker& broker, TopicIndex offsets_topic,
                                   GroupRecordStore& store, std::uint64_t seed)
    : broker_(broker),
      offsets_topic_(offsets_topic),
      store_(store),
      rng_(Rng::stream(seed, "group-coordinator/" + broker_name(broker.id()))) {}

void GroupCoordinator::send(NodeId to, Message message) {
  broker_.send(to, std::move(message));
}

void GroupCoordinator::note(const Group& group, const std::string& line) {
  broker_.observer().on_group_event(broker_.id(), group.id, line, broker_.now());
}

bool GroupCoordinator::is_local(std::int32_t partition) const {
  return owned_partitions_.contains(partition);
}

std::optional<Errors> GroupCoordinator::validate_group_status(const std::string& group) const {
  const std::int32_t partition =
      offsets_partition_for(group, broker_.layout().topic(offsets_topic_).partitions);
  if (loading_partitions_.contains(partition)) return Errors::coordinator_load_in_progress;
  if (!is_local(partition)) return Errors::not_coordinator;
  return std::nullopt;
}

GroupCoordinator::Group* GroupCoordinator::find(const std::string& group) {
  const auto it = groups_.find(group);
  return it == groups_.end() ? nullptr : &it->second;
}

std::optional<Offset> GroupCoordinator::committed_offset(const std::string& group,
                                                         TopicPartition tp) const {
  const auto it = groups_.find(group);
  if (it == groups_.end()) return std::nullopt;
  const auto offset = it->second.offsets.find(tp);
  if (offset == it->second.offsets.end()) return std::nullopt;
  return offset->second;
}

GroupCoordinator::Group& GroupCoordinator::get_or_create(const std::string& group) {
  auto [it, inserted] = groups_.try_emplace(group);
  if (inserted) {
    it->second.id = group;
    it->second.partition =
        offsets_partition_for(group, broker_.layout().topic(offsets_topic_).partitions);
  }
  return it->second;
}

// --- FindCoordinator ----------------------------------------------------------------------------

void GroupCoordinator::handle_find_coordinator(NodeId from, const FindCoordinatorRequest& request) {
  // KafkaApis.handleFindCoordinatorRequest: the leader of the group's partition, as this broker's
  // metadata cache knows it; COORDINATOR_NOT_AVAILABLE without a live one. (Kafka creates
  // __consumer_offsets here on the first request; the model creates it at the start of the run.)
  const std::int32_t partition =
      offsets_partition_for(request.key, broker_.layout().topic(offsets_topic_).partitions);
  const PartitionMetadata m =
      broker_.metadata().partition_metadata(TopicPartition{offsets_topic_, partition});
  FindCoordinatorResponse response{request.correlation_id, Errors::none, m.leader};
  if (m.error != Errors::none || m.leader == kNoBroker) {
    response.error = Errors::coordinator_not_available;
    response.node_id = kNoBroker;
  }
  send(from, response);
}

// --- JoinGroup ----------------------------------------------------------------------------------

void GroupCoordinator::handle_join_group(NodeId from, const JoinGroupRequest& request) {
  auto error = [&](Errors e, std::string member_id) {
    JoinGroupResponse response;
    response.correlation_id = request.correlation_id;
    response.error = e;
    response.member_id = std::move(member_id);
    send(from, response);
  };
  if (const auto status = validate_group_status(request.group_id)) {
    error(*status, request.member_id);
    return;
  }
  const bool unknown = request.member_id.empty();
  Group* existing = find(request.group_id);
  if (existing == nullptr && !unknown) {
    // handleJoinGroup: a member id for a group that does not exist.
    error(Errors::unknown_member_id, request.member_id);
    return;
  }
  Group& group = get_or_create(request.group_id);
  if (group.state == GroupState::dead) {
    error(Errors::coordinator_not_available, request.member_id);
    return;
  }
  if (unknown) {
    // doUnknownJoinGroup with requireKnownMemberId (JoinGroup v4+, KIP-394): the member gets an
    // id (GroupMetadata.generateMemberId: clientId-UUID; here 64 random bits) and must join again
    // with it; it is pending until then, for at most its session timeout.
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "%016llx", static_cast<unsigned long long>(rng_.next_u64()));
    const std::string new_id = request.client_id + "-" + uuid;
    group.pending_members.insert(new_id);
    // addPendingMemberExpiration: a DelayedHeartbeat on the pending id.
    const std::uint64_t timer = ++next_id_;
    heartbeat_timers_.emplace(timer, std::pair{group.id, new_id});
    broker_.set_timer(request.session_timeout, BrokerTimer::group_coordinator, timer,
                      static_cast<std::uint32_t>(Timer::heartbeat));
    error(Errors::member_id_required, new_id);
    return;
  }
  if (group.pending_members.contains(request.member_id)) {
    add_member_and_rebalance(group, from, request, request.member_id);
    return;
  }
  const auto it = group.members.find(request.member_id);
  if (it == group.members.end()) {
    error(Errors::unknown_member_id, request.member_id);
    return;
  }
  Member& member = it->second;
  member.client = from;
  switch (group.state) {
    case GroupState::preparing_rebalance:
      // updateMemberAndRebalance.
      member.awaiting_join = request.correlation_id;
      member.topic = request.topic;
      member.user_data = request.user_data;
      maybe_prepare_rebalance(group, "member " + member.member_id + " rejoined");
      try_complete_join(group);
      return;
    case GroupState::completing_rebalance:
    case GroupState::stable: {
      // The same metadata (MemberMetadata.matches: topic and userData) from a follower: the
      // current generation's answer; the leader's JoinGroup (or new metadata) starts a rebalance.
      if (group.leader == member.member_id || member.topic != request.topic ||
          member.user_data != request.user_data) {
        member.awaiting_join = request.correlation_id;
        member.topic = request.topic;
        member.user_data = request.user_data;
        maybe_prepare_rebalance(group, "member " + member.member_id + " (the leader) rejoined");
        try_complete_join(group);
        return;
      }
      JoinGroupResponse response;
      response.correlation_id = request.correlation_id;
      response.generation_id = group.generation;
      response.leader = group.leader;
      response.member_id = member.member_id;
      send(from, response);
      return;
    }
    case GroupState::empty:
    case GroupState::dead:
      error(Errors::unknown_member_id, request.member_id);
      return;
  }
}

void GroupCoordinator::add_member_and_rebalance(Group& group, NodeId from,
                                                const JoinGroupRequest& request,
                                                const std::string& member_id) {
  Member member;
  member.member_id = member_id;
  member.client = from;
  member.session_timeout = request.session_timeout;
  member.rebalance_timeout = request.rebalance_timeout;
  member.topic = request.topic;
  member.user_data = request.user_data;
  member.is_new = true;
  member.awaiting_join = request.correlation_id;
  // "update the newMemberAdded flag to indicate that the join group can be further delayed"
  if (group.state == GroupState::preparing_rebalance && group.generation == 0) {
    group.new_member_added = true;
  }
  if (group.members.empty()) group.leader = member_id;
  auto [it, inserted] = group.members.emplace(member_id, std::move(member));
  assert(inserted);
  // A new member's JoinGroup waits at most NewMemberJoinTimeoutMs.
  schedule_heartbeat_expiration(group, it->second, kNewMemberJoinTimeout);
  group.pending_members.erase(member_id);
  note(group, "member " + member_id + " joins (JoinGroup)");
  maybe_prepare_rebalance(group, "member " + member_id + " joined");
  try_complete_join(group);
}

Duration GroupCoordinator::rebalance_timeout(const Group& group) const {
  Duration timeout{0};
  for (const auto& [id, member] : group.members)
    timeout = std::max(timeout, member.rebalance_timeout);
  return timeout;
}

bool GroupCoordinator::has_all_members_joined(const Group& group) const {
  for (const auto& [id, member] : group.members) {
    if (!member.awaiting_join) return false;
  }
  return group.pending_members.empty();
}

void GroupCoordinator::maybe_prepare_rebalance(Group& group, const std::string& reason) {
  // GroupMetadata.canRebalance: from Stable, CompletingRebalance or Empty.
  if (group.state == GroupState::stable || group.state == GroupState::completing_rebalance ||
      group.state == GroupState::empty) {
    prepare_rebalance(group, reason);
  }
}

void GroupCoordinator::prepare_rebalance(Group& group, const std::string& reason) {
  if (group.state == GroupState::completing_rebalance) {
    reset_and_propagate_assignment_error(group, Errors::rebalance_in_progress);
  }
  const Duration delay = broker_.cluster().broker_config.group_initial_rebalance_delay;
  const std::uint64_t timer = ++next_id_;
  group.join_timer = timer;
  join_timers_.emplace(timer, group.id);
  if (group.state == GroupState::empty) {
    // InitialDelayedJoin: an empty group's first rebalance waits group.initial.rebalance.delay.ms
    // for more members, again while members keep coming, up to the rebalance timeout.
    group.initial_join = true;
    group.join_delay = delay;
    group.join_remaining = std::max(rebalance_timeout(group) - delay, Duration{0});
    broker_.set_timer(delay, BrokerTimer::group_coordinator, timer,
                      static_cast<std::uint32_t>(Timer::join));
  } else {
    // DelayedJoin: done when every member has rejoined, or at the rebalance timeout
    // (max.poll.interval.ms of the consumers).
    group.initial_join = false;
    broker_.set_timer(rebalance_timeout(group), BrokerTimer::group_coordinator, timer,
                      static_cast<std::uint32_t>(Timer::join));
  }
  group.state = GroupState::preparing_rebalance;
  note(group, "prepares a rebalance of generation " + std::to_string(group.generation) + " (" +
                  reason + ")");
}

void GroupCoordinator::try_complete_join(Group& group) {
  // DelayedJoin.tryComplete (an InitialDelayedJoin completes only at its time).
  if (group.state != GroupState::preparing_rebalance || group.initial_join) return;
  if (has_all_members_joined(group)) on_complete_join(group);
}

void GroupCoordinator::on_join_timer(Group& group) {
  if (group.state != GroupState::preparing_rebalance) return;
  if (group.initial_join && group.new_member_added && group.join_remaining != Duration{0}) {
    // InitialDelayedJoin.onComplete: new members came meanwhile; wait again.
    group.new_member_added = false;
    const Duration configured = broker_.cluster().broker_config.group_initial_rebalance_delay;
    const Duration delay = std::min(configured, group.join_remaining);
    group.join_remaining = std::max(group.join_remaining - group.join_delay, Duration{0});
    group.join_delay = delay;
    const std::uint64_t timer = ++next_id_;
    group.join_timer = timer;
    join_timers_.emplace(timer, group.id);
    broker_.set_timer(delay, BrokerTimer::group_coordinator, timer,
                      static_cast<std::uint32_t>(Timer::join));
    return;
  }
  on_complete_join(group);
}

void GroupCoordinator::on_complete_join(Group& group) {
  // GroupCoordinator.onCompleteJoin: members that did not rejoin are removed.
  group.join_timer = 0;
  group.initial_join = false;
  std::vector<std::string> failed;
  for (const auto& [id, member] : group.members) {
    if (!member.awaiting_join) failed.push_back(id);
  }
  for (const std::string& id : failed) {
    note(group, "removes member " + id + ": it did not rejoin within the rebalance timeout");
    group.members.erase(id);
  }
  // maybeElectNewJoinedLeader: a leader that did not rejoin is replaced by a member that did.
  if (!group.members.empty() && !group.members.contains(group.leader)) {
    group.leader = group.members.begin()->first;
  }
  // initNextGeneration.
  ++group.generation;
  if (group.members.empty()) {
    group.state = GroupState::empty;
    group.leader.clear();
    note(group, "is empty at generation " + std::to_string(group.generation));
    GroupRecord record;
    record.group = group.id;
    record.is_metadata = true;
    record.generation = group.generation;
    append_for_group(group, std::move(record), pending_for(group, true));
    return;
  }
  group.state = GroupState::completing_rebalance;
  note(group, "completes the join of generation " + std::to_string(group.generation) + " (" +
                  std::to_string(group.members.size()) + " member(s), leader " + group.leader +
                  ")");
  for (auto& [id, member] : group.members) {
    JoinGroupResponse response;
    response.correlation_id = *member.awaiting_join;
    response.generation_id = group.generation;
    response.leader = group.leader;
    response.member_id = id;
    if (id == group.leader) {
      for (const auto& [other_id, other] : group.members)
        response.members.push_back({other_id, other.topic, other.user_data});
    }
    member.awaiting_join.reset();
    send(member.client, std::move(response));
    schedule_heartbeat_expiration(group, member, member.session_timeout);
    member.is_new = false;
  }
}

std::optional<Errors> GroupCoordinator::member_error(const Group* group,
                                                     const std::string& member_id,
                                                     std::int32_t generation_id) const {
  // The checks handleSyncGroup and handleHeartbeat share (GroupCoordinator.scala, Kafka 2.4), in
  // their order: an unknown member, a dead group, another generation.
  if (group == nullptr || !group->members.contains(member_id)) return Errors::unknown_member_id;
  if (group->state == GroupState::dead) return Errors::coordinator_not_available;
  if (generation_id != group->generation) return Errors::illegal_generation;
  return std::nullopt;
}

// --- SyncGroup ----------------------------------------------------------------------------------

void GroupCoordinator::handle_sync_group(NodeId from, const SyncGroupRequest& request) {
  auto answer = [&](Errors e) { send(from, SyncGroupResponse{request.correlation_id, e, {}}); };
  if (const auto status = validate_group_status(request.group_id)) {
    // "The coordinator is loading ... return rebalance in progress" (handleSyncGroup).
    answer(*status == Errors::coordinator_load_in_progress ? Errors::rebalance_in_progress
                                                           : *status);
    return;
  }
  Group* group = find(request.group_id);
  if (const auto error = member_error(group, request.member_id, request.generation_id)) {
    answer(*error);
    return;
  }
  Member& member = group->members.at(request.member_id);
  member.client = from;
  switch (group->state) {
    case GroupState::empty:
      answer(Errors::unknown_member_id);
      return;
    case GroupState::preparing_rebalance:
      answer(Errors::rebalance_in_progress);
      return;
    case GroupState::completing_rebalance: {
      member.awaiting_sync = request.correlation_id;
      if (request.member_id != group->leader) return;
      // The leader's assignment: missing members get an empty one; the group is stored
      // (storeGroup) and the assignment handed out once the append is acknowledged.
      for (auto& [id, m] : group->members)
        m.assignment.clear();
      for (const SyncGroupRequestAssignment& a : request.assignments) {
        if (auto it = group->members.find(a.member_id); it != group->members.end()) {
          it->second.assignment = a.partitions;
        }
      }
      GroupRecord record;
      record.group = group->id;
      record.is_metadata = true;
      record.generation = group->generation;
      record.leader = group->leader;
      for (const auto& [id, m] : group->members) {
        record.members.push_back({id, m.client, m.session_timeout, m.rebalance_timeout, m.topic,
                                  m.user_data, m.assignment});
      }
      note(*group, "received the assignment of generation " + std::to_string(group->generation) +
                       " from its leader (SyncGroup); stores it in " +
                       std::string(kConsumerOffsetsTopic) + "-" + std::to_string(group->partition));
      append_for_group(*group, std::move(record), pending_for(*group, true));
      return;
    }
    case GroupState::stable:
      send(from, SyncGroupResponse{request.correlation_id, Errors::none, member.assignment});
      schedule_heartbeat_expiration(*group, member, member.session_timeout);
      return;
    case GroupState::dead:
      return;
  }
}

void GroupCoordinator::reset_and_propagate_assignment_error(Group& group, Errors error) {
  for (auto& [id, member] : group.members) {
    member.assignment.clear();
    if (member.awaiting_sync) {
      send(member.client, SyncGroupResponse{*member.awaiting_sync, error, {}});
      member.awaiting_sync.reset();
    }
  }
}

void GroupCoordinator::propagate_assignment(Group& group) {
  for (auto& [id, member] : group.members) {
    if (member.awaiting_sync) {
      send(member.client,
           SyncGroupResponse{*member.awaiting_sync, Errors::none, member.assignment});
      member.awaiting_sync.reset();
      schedule_heartbeat_expiration(group, member, member.session_timeout);
    }
  }
}

// --- Heartbeats and leaving ---------------------------------------------------------------------

void GroupCoordinator::schedule_heartbeat_expiration(Group& group, Member& member,
                                                     Duration timeout) {
  // completeAndScheduleNextExpiration: the DelayedHeartbeat in force is replaced by one at
  // now + timeout.
  const std::uint64_t timer = ++next_id_;
  member.heartbeat_timer = timer;
  heartbeat_timers_.emplace(timer, std::pair{group.id, member.member_id});
  broker_.set_timer(timeout, BrokerTimer::group_coordinator, timer,
                    static_cast<std::uint32_t>(Timer::heartbeat));
}

void GroupCoordinator::on_heartbeat_expired(std::uint64_t id) {
  const auto it = heartbeat_timers_.find(id);
  if (it == heartbeat_timers_.end()) return;
  const auto [group_id, member_id] = it->second;
  heartbeat_timers_.erase(it);
  Group* group = find(group_id);
  if (group == nullptr || group->state == GroupState::dead) return;
  if (group->pending_members.contains(member_id)) {
    // A pending member that never joined with its id (removePendingMemberAndUpdateGroup).
    group->pending_members.erase(member_id);
    try_complete_join(*group);
    return;
  }
  const auto m = group->members.find(member_id);
  if (m == group->members.end() || m->second.heartbeat_timer != id) return;
  // MemberMetadata.shouldKeepAlive: a member waiting for the answer to its JoinGroup (a new
  // member only until NewMemberJoinTimeoutMs) or to its SyncGroup is alive.
  if ((m->second.awaiting_join && !m->second.is_new) || m->second.awaiting_sync) {
    schedule_heartbeat_expiration(*group, m->second, m->second.session_timeout);
    return;
  }
  // DelayedHeartbeat.onExpiration → onMemberFailure.
  note(*group, "expires member " + member_id + ": no heartbeat within its session timeout (" +
                   std::to_string(m->second.session_timeout.count() / 1'000'000) + " ms)");
  remove_member_and_update_group(*group, member_id, "member " + member_id + " failed");
}

void GroupCoordinator::remove_member_and_update_group(Group& group, const std::string& member_id,
                                                      const std::string& reason) {
  const auto it = group.members.find(member_id);
  if (it == group.members.end()) return;
  // "New members may timeout with a pending JoinGroup": answered UNKNOWN_MEMBER_ID first.
  if (it->second.awaiting_join) {
    JoinGroupResponse response;
    response.correlation_id = *it->second.awaiting_join;
    response.error = Errors::unknown_member_id;
    send(it->second.client, response);
  }
  group.members.erase(it);
  switch (group.state) {
    case GroupState::dead:
    case GroupState::empty:
      return;
    case GroupState::stable:
    case GroupState::completing_rebalance:
      maybe_prepare_rebalance(group, reason);
      return;
    case GroupState::preparing_rebalance:
      try_complete_join(group);
      return;
  }
}

void GroupCoordinator::handle_heartbeat(NodeId from, const HeartbeatRequest& request) {
  auto answer = [&](Errors e) { send(from, HeartbeatResponse{request.correlation_id, e}); };
  if (const auto status = validate_group_status(request.group_id)) {
    // "the group is still loading, so respond just blindly".
    answer(*status == Errors::coordinator_load_in_progress ? Errors::none : *status);
    return;
  }
  Group* group = find(request.group_id);
  if (const auto error = member_error(group, request.member_id, request.generation_id)) {
    answer(*error);
    return;
  }
  Member& member = group->members.at(request.member_id);
  switch (group->state) {
    case GroupState::empty:
      answer(Errors::unknown_member_id);
      return;
    case GroupState::completing_rebalance:
      answer(Errors::rebalance_in_progress);
      return;
    case GroupState::preparing_rebalance:
      schedule_heartbeat_expiration(*group, member, member.session_timeout);
      answer(Errors::rebalance_in_progress);
      return;
    case GroupState::stable:
      schedule_heartbeat_expiration(*group, member, member.session_timeout);
      answer(Errors::none);
      return;
    case GroupState::dead:
      return;
  }
}

void GroupCoordinator::handle_leave_group(NodeId from, const LeaveGroupRequest& request) {
  if (const auto status = validate_group_status(request.group_id)) {
    send(from, LeaveGroupResponse{request.correlation_id, *status});
    return;
  }
  Group* group = find(request.group_id);
  if (group == nullptr || !group->members.contains(request.member_id)) {
    send(from, LeaveGroupResponse{request.correlation_id, Errors::unknown_member_id});
    return;
  }
  note(*group, "member " + request.member_id + " leaves the group (LeaveGroup)");
  remove_member_and_update_group(*group, request.member_id,
                                 "member " + request.member_id + " left");
  send(from, LeaveGroupResponse{request.correlation_id, Errors::none});
}

// --- Offsets ------------------------------------------------------------------------------------

void GroupCoordinator::handle_offset_commit(NodeId from, const OffsetCommitRequest& request) {
  auto answer = [&](Errors e) {
    OffsetCommitResponse response{request.correlation_id, {}};
    for (const OffsetCommitRequestPartition& p : request.partitions)
      response.partitions.push_back({p.tp, e});
    send(from, response);
  };
  if (const auto status = validate_group_status(request.group_id)) {
    answer(*status);
    return;
  }
  Group* group = find(request.group_id);
  // handleCommitOffsets / doCommitOffsets: only the current generation's members commit.
  Errors fenced = Errors::none;
  if (group == nullptr) {
    fenced = Errors::illegal_generation;
  } else if (group->state == GroupState::dead) {
    answer(Errors::coordinator_not_available);
    return;
  } else if (!group->members.contains(request.member_id)) {
    fenced = Errors::unknown_member_id;
  } else if (request.generation_id != group->generation) {
    fenced = Errors::illegal_generation;
  } else if (group->state == GroupState::completing_rebalance) {
    answer(Errors::rebalance_in_progress);
    return;
  }
  if (fenced != Errors::none) {
    if (group != nullptr) {
      note(*group, "fences an offset commit of " + request.member_id + " (generation " +
                       std::to_string(request.generation_id) +
                       "): " + std::string(error_name(fenced)));
    }
    answer(fenced);
    return;
  }
  Member& member = group->members.at(request.member_id);
  schedule_heartbeat_expiration(*group, member, member.session_timeout);
  GroupRecord record;
  record.group = group->id;
  PendingAppend pending = pending_for(*group, false);
  pending.client = from;
  pending.correlation_id = request.correlation_id;
  pending.member_id = request.member_id;
  for (const OffsetCommitRequestPartition& p : request.partitions) {
    record.offsets.emplace_back(p.tp, p.committed_offset);
    pending.offsets.emplace_back(p.tp, p.committed_offset);
  }
  append_for_group(*group, std::move(record), std::move(pending));
}

void GroupCoordinator::handle_offset_fetch(NodeId from, const OffsetFetchRequest& request) {
  OffsetFetchResponse response{request.correlation_id, Errors::none, {}};
  if (const auto status = validate_group_status(request.group_id)) {
    response.error = *status;
    send(from, response);
    return;
  }
  const Group* group = find(request.group_id);
  for (const TopicPartition& tp : request.partitions) {
    Offset offset = -1;
    if (group != nullptr) {
      if (const auto it = group->offsets.find(tp); it != group->offsets.end()) offset = it->second;
    }
    response.partitions.push_back({tp, offset});
  }
  send(from, response);
}

// --- Appends to __consumer_offsets --------------------------------------------------------------

void GroupCoordinator::append_for_group(const Group& group, GroupRecord record,
                                        PendingAppend pending) {
  const std::size_t records =
      record.is_metadata ? 1 : std::max<std::size_t>(1, record.offsets.size());
  const std::uint64_t id = ++next_id_;
  appends_.emplace(id, std::move(pending));
  RecordBatch batch;
  batch.producer = kGroupRecordProducer;
  batch.first_sequence = store_.add(std::move(record));
  batch.record_count = static_cast<std::uint32_t>(records);
  // A record's key (group, topic, partition) and value (offset, metadata, timestamps): ~100 B.
  batch.size_bytes = static_cast<std::uint32_t>(61 + 100 * records);
  broker_.append_for_coordinator(TopicPartition{offsets_topic_, group.partition}, batch, id);
}

void GroupCoordinator::on_append_done(std::uint64_t append, Errors error) {
  const auto it = appends_.find(append);
  if (it == appends_.end()) return;
  PendingAppend pending = std::move(it->second);
  appends_.erase(it);
  Group* group = find(pending.group);
  // GroupMetadataManager.storeGroup / storeOffsets: the append's error as the client sees it.
  Errors mapped = error;
  switch (error) {
    case Errors::unknown_topic_or_partition:
    case Errors::not_enough_replicas:
    case Errors::not_enough_replicas_after_append:
    case Errors::request_timed_out:
      mapped = Errors::coordinator_not_available;
      break;
    case Errors::not_leader_for_partition:
      mapped = Errors::not_coordinator;
      break;
    default:
      break;
  }
  if (pending.is_metadata) {
    // The SyncGroup callback of storeGroup: still this generation, still completing.
    if (group == nullptr || group->state != GroupState::completing_rebalance ||
        group->generation != pending.generation) {
      return;
    }
    if (mapped != Errors::none) {
      reset_and_propagate_assignment_error(*group, mapped);
      maybe_prepare_rebalance(*group, "error when storing the group assignment during SyncGroup");
      return;
    }
    group->state = GroupState::stable;
    note(*group, "is stable at generation " + std::to_string(group->generation) +
                     " (assignment stored, SyncGroup answered)");
    propagate_assignment(*group);
    return;
  }
  OffsetCommitResponse response{pending.correlation_id, {}};
  for (const auto& [tp, offset] : pending.offsets) {
    response.partitions.push_back({tp, mapped});
    if (mapped == Errors::none && group != nullptr) group->offsets[tp] = offset;
  }
  send(pending.client, std::move(response));
}

// --- Loading and unloading ----------------------------------------------------------------------

void GroupCoordinator::on_became_leader(std::int32_t partition) {
  // handleGroupImmigration → GroupMetadataManager.loadGroupsForPartition: scheduled on the
  // group-metadata-manager thread; requests meanwhile get COORDINATOR_LOAD_IN_PROGRESS. The
  // model reads the log after one handler thread's time.
  if (owned_partitions_.contains(partition) || loading_partitions_.contains(partition)) return;
  loading_partitions_.insert(partition);
  const std::uint64_t timer = ++next_id_;
  load_timers_.emplace(timer, partition);
  broker_.set_timer(broker_.cluster().fetch_time_ms.sample_ms(broker_.rng()),
                    BrokerTimer::group_coordinator, timer, static_cast<std::uint32_t>(Timer::load));
}

void GroupCoordinator::load_partition(std::int32_t partition) {
  loading_partitions_.erase(partition);
  const Partition* p = broker_.partition(TopicPartition{offsets_topic_, partition});
  if (p == nullptr || !p->is_leader()) return;  // it moved on meanwhile
  owned_partitions_.insert(partition);
  // doLoadGroupsAndOffsets: every batch from the log start to the log end (not the high
  // watermark), the latest record of each key winning.
  std::map<std::string, const GroupRecord*> metadata;
  std::map<std::string, std::map<TopicPartition, Offset>> offsets;
  for (const RecordBatch& batch : p->log().batches()) {
    if (batch.producer != kGroupRecordProducer) continue;
    const GroupRecord& record = store_.at(batch.first_sequence);
    if (record.is_metadata) {
      metadata[record.group] = &record;
    } else {
      // A batch cut by a truncation keeps its first records.
      const std::size_t kept = std::min<std::size_t>(batch.record_count, record.offsets.size());
      for (std::size_t i = 0; i < kept; ++i)
        offsets[record.group][record.offsets[i].first] = record.offsets[i].second;
    }
  }
  std::set<std::string> names;
  for (const auto& [name, r] : metadata)
    names.insert(name);
  for (const auto& [name, o] : offsets)
    names.insert(name);
  for (const std::string& name : names) {
    if (offsets_partition_for(name, broker_.layout().topic(offsets_topic_).partitions) !=
        partition) {
      continue;
    }
    Group& group = get_or_create(name);
    group = Group{};
    group.id = name;
    group.partition = partition;
    if (const auto it = offsets.find(name); it != offsets.end()) group.offsets = it->second;
    if (const auto it = metadata.find(name); it != metadata.end()) {
      const GroupRecord& r = *it->second;
      group.generation = r.generation;
      group.leader = r.leader;
      group.state = r.members.empty() ? GroupState::empty : GroupState::stable;
      for (const GroupMemberRecord& m : r.members) {
        Member member;
        member.member_id = m.member_id;
        member.client = m.client;
        member.session_timeout = m.session_timeout;
        member.rebalance_timeout = m.rebalance_timeout;
        member.topic = m.topic;
        member.user_data = m.user_data;
        member.assignment = m.assignment;
        group.members.emplace(m.member_id, std::move(member));
      }
    }
    // onGroupLoaded: every member's session starts now.
    for (auto& [id, member] : group.members)
      schedule_heartbeat_expiration(group, member, member.session_timeout);
    note(group, "loaded from " + std::string(kConsumerOffsetsTopic) + "-" +
                    std::to_string(partition) + ": generation " + std::to_string(group.generation) +
                    ", " + std::to_string(group.members.size()) + " member(s), " +
                    std::to_string(group.offsets.size()) + " committed offset(s)");
  }
}

void GroupCoordinator::unload_group(Group& group) {
  // onGroupUnloaded: the group is dead here; members waiting for a JoinGroup or SyncGroup answer
  // are told NOT_COORDINATOR.
  for (auto& [id, member] : group.members) {
    if (member.awaiting_join) {
      JoinGroupResponse response;
      response.correlation_id = *member.awaiting_join;
      response.error = Errors::not_coordinator;
      response.member_id = id;
      send(member.client, response);
    }
    if (member.awaiting_sync) {
      send(member.client, SyncGroupResponse{*member.awaiting_sync, Errors::not_coordinator, {}});
    }
  }
}

void GroupCoordinator::on_resigned(std::int32_t partition) {
  // handleGroupEmigration → removeGroupsForPartition.
  loading_partitions_.erase(partition);
  if (!owned_partitions_.erase(partition)) return;
  for (auto it = groups_.begin(); it != groups_.end();) {
    if (it->second.partition != partition) {
      ++it;
      continue;
    }
    unload_group(it->second);
    note(it->second, "unloaded: this broker no longer leads " + std::string(kConsumerOffsetsTopic) +
                         "-" + std::to_string(partition));
    it = groups_.erase(it);
  }
}

void GroupCoordinator::reset() {
  groups_.clear();
  owned_partitions_.clear();
  loading_partitions_.clear();
  heartbeat_timers_.clear();
  join_timers_.clear();
  load_timers_.clear();
  appends_.clear();
}

void GroupCoordinator::on_timer(std::uint32_t kind, std::uint64_t id) {
  switch (static_cast<Timer>(kind)) {
    case Timer::heartbeat:
      on_heartbeat_expired(id);
      return;
    case Timer::join: {
      const auto it = join_timers_.find(id);
      if (it == join_timers_.end()) return;
      const std::string group_id = it->second;
      join_timers_.erase(it);
      Group* group = find(group_id);
      if (group != nullptr && group->join_timer == id) on_join_timer(*group);
      return;
    }
    case Timer::load: {
      const auto it = load_timers_.find(id);
      if (it == load_timers_.end()) return;
      const std::int32_t partition = it->second;
      load_timers_.erase(it);
      if (loading_partitions_.contains(partition)) load_partition(partition);
      return;
    }
  }
}

}  // namespace kafkasim
