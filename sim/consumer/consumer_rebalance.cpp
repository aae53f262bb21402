// The ZooKeeper group protocol of a member (ZookeeperConsumerConnector.scala, Kafka 0.8.2-2.x:
// registerConsumerInZK, ZKRebalancerListener.syncedRebalance / rebalance /
// reflectPartitionOwnershipDecision, ZKSessionExpireListener, commitOffsetToZooKeeper).
//
// Every ZooKeeper request of one session is answered in order, so an attempt sends its reads
// together and moves on at the last answer. Answers that belong to an attempt given up (a newer
// one began, the session expired, the process restarted) are recognised by the attempt's
// generation and ignored.
#include <algorithm>

#include "kafkasim/consumer/consumer.h"
#include "kafkasim/consumer/partition_assignor.h"
#include "kafkasim/kafka/zk_data.h"

namespace kafkasim {

// --- Membership -----------------------------------------------------------------------------

void Consumer::on_zk_session_event(ZkSessionEvent event) {
  switch (event) {
    case ZkSessionEvent::session_established:
      // The first session, or a new one after an expiry (ZKSessionExpireListener.
      // handleNewSession): register again and rebalance.
      register_in_zk();
      begin_rebalance(session_expired_before_ ? "a new ZooKeeper session after the old one expired"
                                              : "it joined the group");
      break;
    case ZkSessionEvent::expired:
      // The ephemeral registration and claims are gone, and maybe already taken by others:
      // resetState forgets the partitions without committing them.
      note("learned that its ZooKeeper session expired: it drops its partitions");
      stop_fetching();
      polled_.clear();
      owned_.clear();
      set_holding(false);
      registered_ = false;
      session_expired_before_ = true;
      rebalancing_ = rebalance_again_ = waiting_for_processing_ = false;
      ++generation_;
      break;
    case ZkSessionEvent::reconnected:
    case ZkSessionEvent::disconnected:
    case ZkSessionEvent::closed:
      break;  // zkclient reconnects by itself; nothing for the consumer to do
  }
}

void Consumer::register_in_zk() {
  // ZkUtils.createEphemeralPathExpectConflict creates the missing parents first, from
  // ZkUtils.ConsumersPath down (brokers create /consumers too, but a member may come first); the
  // owners and offsets directories of the topic are made here too (makeSurePersistentPathExists).
  for (const std::string& path :
       {std::string("/consumers"), dirs_.consumer_dir(), dirs_.consumer_registry_dir(),
        dirs_.consumer_owners_dir(), dirs_.consumer_owner_dir(), dirs_.consumer_offsets_dir(),
        dirs_.consumer_offset_dir()}) {
    zk_.create(path, "", ZkCreateMode::persistent, {});
  }
  zk_.create(dirs_.consumer_registry_dir() + "/" + consumer_id_,
             encode_consumer_registration(placement_.topic_name, engine_.now()),
             ZkCreateMode::ephemeral, {});
  registered_ = true;
}

void Consumer::on_zk_watch_event(ZkEventType type, const std::string& path) {
  // ZKRebalancerListener.handleChildChange (the members, and the brokers as KAFKA_REFERENCE.md
  // has it: Kafka 0.7 watched them through /brokers/topics/T, 0.8-2.x only when it found no
  // broker) and ZKTopicPartitionChangeListener.handleDataChange (the topic's partitions).
  const bool members =
      type == ZkEventType::node_children_changed && path == dirs_.consumer_registry_dir();
  const bool brokers = type == ZkEventType::node_children_changed && path == BrokerIdsZNode::path();
  const bool topic = path == TopicZNode::path(placement_.topic_name);
  if (members)
    begin_rebalance("the group's members changed (" + path + ")");
  else if (brokers)
    begin_rebalance("the brokers changed (" + path + ")");
  else if (topic)
    begin_rebalance("the topic's partitions changed (" + path + ")");
}

// --- Rebalance --------------------------------------------------------------------------------

void Consumer::begin_rebalance(std::string cause) {
  if (!registered_) return;
  // The watcher executor runs one syncedRebalance at a time; an event meanwhile runs another.
  if (rebalancing_) {
    rebalance_again_ = true;
    next_rebalance_cause_ = std::move(cause);
    return;
  }
  rebalancing_ = true;
  rebalance_cause_ = std::move(cause);
  attempts_ = 0;
  start_attempt();
}

void Consumer::start_attempt() {
  ++generation_;
  // closeFetchers: fetchers stop and the queues are cleared so that no record of a partition
  // this member may lose is handed out. The record in processing finishes first: the old
  // consumer's iterator has already moved its consumed offset past it, so the commit below
  // covers it either way.
  stop_fetching();
  polled_.clear();
  idle_ = false;
  set_holding(false);
  if (processing_) {
    waiting_for_processing_ = true;
    return;
  }
  continue_attempt();
}

void Consumer::continue_attempt() {
  waiting_for_processing_ = false;
  // closeFetchersForQueues commits before the partitions are released, so the next owner
  // starts where this member stopped; then releasePartitionOwnership.
  if (spec_.config.enable_auto_commit) commit_offsets();
  forget_ownership();
  attempt_ = Attempt{};
  attempt_.generation = generation_;
  attempt_.answers_pending = 3;
  const std::uint64_t generation = generation_;
  auto answered = [this, generation](const ZkResult& result, auto store) {
    if (generation != generation_) return;
    if (result.code != ZkCode::ok) attempt_.failed = true;
    if (result.code == ZkCode::ok) store(result);
    if (--attempt_.answers_pending == 0) on_group_read(generation);
  };
  // AssignmentContext: the members (sorted), the topic's partitions, and the live brokers.
  zk_.get_children(dirs_.consumer_registry_dir(), ZkWatch::watch,
                   [answered, this](const ZkResult& r) {
                     answered(r, [this](const ZkResult& ok) { attempt_.members = ok.children; });
                   });
  zk_.get_children(BrokerIdsZNode::path(), ZkWatch::watch, [answered, this](const ZkResult& r) {
    answered(r, [this](const ZkResult& ok) {
      attempt_.brokers = static_cast<std::int32_t>(ok.children.size());
    });
  });
  zk_.get_data(
      TopicZNode::path(placement_.topic_name), ZkWatch::watch, [answered, this](const ZkResult& r) {
        answered(r, [this](const ZkResult& ok) {
          const auto assignment = TopicZNode::decode(ok.data);
          attempt_.partitions = assignment ? static_cast<std::int32_t>(assignment->size()) : 0;
        });
      });
}

void Consumer::on_group_read(std::uint64_t generation) {
  if (attempt_.failed) {
    finish_attempt(false);
    return;
  }
  if (attempt_.brokers == 0) {
    // "no brokers found when trying to rebalance": nothing to own until a broker registers.
    finish_attempt(true);
    return;
  }
  std::vector<std::string> threads;
  for (const std::string& member : attempt_.members)
    threads.push_back(member + "-0");
  std::sort(threads.begin(), threads.end());
  const auto me = std::find(threads.begin(), threads.end(), thread_id());
  if (me == threads.end()) {
    finish_attempt(false);  // our registration is not visible: try again
    return;
  }
  const GroupAssignment assignment =
      assign_partitions(spec_.config.partition_assignment_strategy, threads, placement_.topic_name,
                        attempt_.partitions);
  attempt_.assigned = assignment[static_cast<std::size_t>(me - threads.begin())];
  if (attempt_.assigned.empty()) {
    finish_attempt(true);
    return;
  }
  // fetchOffsets, from /consumers/G/offsets/T/P; a missing node means "no offset".
  attempt_.offsets.assign(attempt_.assigned.size(), -1);
  attempt_.answers_pending = static_cast<std::int32_t>(attempt_.assigned.size());
  for (std::size_t i = 0; i < attempt_.assigned.size(); ++i) {
    zk_.get_data(dirs_.offset_path(attempt_.assigned[i]), ZkWatch::none,
                 [this, generation, i](const ZkResult& r) {
                   if (generation != generation_) return;
                   if (r.code == ZkCode::ok) {
                     attempt_.offsets[i] = decode_committed_offset(r.data).value_or(-1);
                   } else if (r.code != ZkCode::no_node) {
                     attempt_.failed = true;
                   }
                   if (--attempt_.answers_pending == 0) on_offsets_read(generation);
                 });
  }
}

void Consumer::on_offsets_read(std::uint64_t generation) {
  if (attempt_.failed) {
    finish_attempt(false);
    return;
  }
  // reflectPartitionOwnershipDecision: claim every assigned partition with an ephemeral node.
  attempt_.claimed.assign(attempt_.assigned.size(), false);
  attempt_.answers_pending = static_cast<std::int32_t>(attempt_.assigned.size());
  for (std::size_t i = 0; i < attempt_.assigned.size(); ++i) {
    zk_.create(dirs_.owner_path(attempt_.assigned[i]), thread_id(), ZkCreateMode::ephemeral,
               [this, generation, i](const ZkResult& r) {
                 if (generation != generation_) return;
                 attempt_.claimed[i] = r.code == ZkCode::ok;
                 if (--attempt_.answers_pending == 0) on_claims_answered(generation);
               });
  }
}

void Consumer::on_claims_answered(std::uint64_t /*generation*/) {
  const bool all = std::all_of(attempt_.claimed.begin(), attempt_.claimed.end(),
                               [](bool claimed) { return claimed; });
  if (!all) {
    // "waiting for the partition ownership to be deleted": give back what was claimed.
    for (std::size_t i = 0; i < attempt_.assigned.size(); ++i) {
      if (attempt_.claimed[i])
        zk_.remove(dirs_.owner_path(attempt_.assigned[i]), kAnyZkVersion, {});
    }
    finish_attempt(false);
    return;
  }
  for (std::size_t i = 0; i < attempt_.assigned.size(); ++i) {
    OwnedPartition p;
    p.partition = attempt_.assigned[i];
    p.position = attempt_.offsets[i];
    p.consumed = attempt_.offsets[i];
    p.checkpointed = attempt_.offsets[i];
    owned_.push_back(std::move(p));
  }
  finish_attempt(true);
}

void Consumer::finish_attempt(bool success) {
  if (success) {
    ++counters_.rebalances;
    rebalancing_ = false;
    set_holding(!owned_.empty());
    std::string owned_text;
    for (const OwnedPartition& p : owned_) {
      owned_text += (owned_text.empty() ? "" : ", ") + placement_.topic_name + "-" +
                    std::to_string(p.partition);
    }
    note("rebalanced (" + std::to_string(attempt_.members.size()) + " member(s)): owns " +
         (owned_text.empty() ? "nothing" : owned_text) + "; cause: " + rebalance_cause_);
    if (rebalance_again_) {
      rebalance_again_ = false;
      begin_rebalance(std::move(next_rebalance_cause_));
      return;
    }
    poll();
    return;
  }
  ++counters_.failed_rebalances;
  if (++attempts_ < kRebalanceMaxRetries) {
    // syncedRebalance: Thread.sleep(rebalance.backoff.ms), then the next try.
    set_timer(kRebalanceBackoff, TimerKind::rebalance_backoff,
              static_cast<std::uint32_t>(generation_));
    return;
  }
  // ConsumerRebalanceFailedException: the watcher thread logs it; the member owns nothing until
  // the next change in the group.
  rebalancing_ = false;
  note("gave up rebalancing after " + std::to_string(kRebalanceMaxRetries) +
       " attempts (a partition stayed owned): owns nothing; cause: " + rebalance_cause_);
  if (rebalance_again_) {
    rebalance_again_ = false;
    begin_rebalance(std::move(next_rebalance_cause_));
  }
}

void Consumer::forget_ownership() {
  for (const OwnedPartition& p : owned_)
    zk_.remove(dirs_.owner_path(p.partition), kAnyZkVersion, {});
  owned_.clear();
}

void Consumer::commit_offsets() {
  // commitOffsetToZooKeeper: only offsets that moved since the last write
  // (ZkUtils.updatePersistentPath: setData, or create when the node is missing).
  for (OwnedPartition& p : owned_) {
    if (p.consumed < 0 || p.consumed == p.checkpointed) continue;
    const std::string path = dirs_.offset_path(p.partition);
    const std::string data = std::to_string(p.consumed);
    zk_.set_data(path, data, kAnyZkVersion, [this, path, data](const ZkResult& r) {
      if (r.code == ZkCode::no_node) zk_.create(path, data, ZkCreateMode::persistent, {});
    });
    p.checkpointed = p.consumed;
    ++counters_.commits;
  }
}

}  // namespace kafkasim
