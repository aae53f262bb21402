#include "kafkasim/kafka/controller.h"

#include <algorithm>

#include "kafkasim/kafka/broker.h"

namespace kafkasim {

namespace {

constexpr std::uint8_t kAutoRebalanceTimer = 1;

bool contains(const std::vector<BrokerId>& list, BrokerId broker) {
  return std::find(list.begin(), list.end(), broker) != list.end();
}

}  // namespace

Controller::Controller(Broker& broker, ControllerEpoch epoch, ZkVersion epoch_zk_version)
    : broker_(broker), epoch_(epoch), epoch_zk_version_(epoch_zk_version) {}

Controller::~Controller() {
  *alive_ = false;
}

void Controller::set_timer(Duration delay, std::uint8_t kind) {
  // The epoch in the payload tells a later controller on this broker to ignore our timers.
  const auto payload = (static_cast<std::uint64_t>(epoch_.value()) << 8) | kind;
  broker_.set_timer(delay, BrokerTimer::controller, payload);
}

void Controller::on_timer(std::uint64_t payload) {
  if (static_cast<std::int32_t>(payload >> 8) != epoch_.value() || !active_) return;
  if ((payload & 0xff) == kAutoRebalanceTimer) {
    enqueue([this](Done done) { auto_leader_rebalance(std::move(done)); });
    set_timer(broker_.cluster().broker_config.leader_imbalance_check_interval, kAutoRebalanceTimer);
  }
}

// --- Events -------------------------------------------------------------------------------

void Controller::enqueue(Event event) {
  events_.push_back(std::move(event));
  if (!running_) run_next();
}

void Controller::run_next() {
  if (events_.empty() || !active_) {
    running_ = false;
    return;
  }
  running_ = true;
  Event event = std::move(events_.front());
  events_.pop_front();
  std::weak_ptr<bool> alive = alive_;
  event([this, alive] {
    if (!alive.expired()) run_next();
  });
}

ZkCallback Controller::guard(std::function<void(const ZkResult&)> callback) {
  std::weak_ptr<bool> alive = alive_;
  return [alive, callback = std::move(callback)](const ZkResult& result) {
    if (!alive.expired()) callback(result);
  };
}

void Controller::resign() {
  // A write failed the /controller_epoch check: another controller took over
  // (ControllerMovedException). Stop acting; the broker learns who leads from /controller.
  active_ = false;
  events_.clear();
}

void Controller::on_failover() {
  enqueue([this](Done done) { failover(std::move(done)); });
  set_timer(broker_.cluster().broker_config.leader_imbalance_check_interval, kAutoRebalanceTimer);
}

void Controller::on_zk_watch_event(ZkEventType type, const std::string& path) {
  if (!active_) return;
  if (path == BrokerIdsZNode::path() && type == ZkEventType::node_children_changed) {
    enqueue([this](Done done) { on_broker_change(std::move(done)); });
  } else if (path == IsrChangeNotificationZNode::path() &&
             type == ZkEventType::node_children_changed) {
    enqueue([this](Done done) { on_isr_change_notification(std::move(done)); });
  }
}

void Controller::on_controlled_shutdown_request(NodeId from,
                                                const ControlledShutdownRequest& request) {
  enqueue(
      [this, from, request](Done done) { controlled_shutdown(from, request, std::move(done)); });
}

void Controller::on_broker_response(NodeId /*from*/, CorrelationId /*correlation_id*/) {
  // The controller's requests are fire-and-forget here: a broker that misses one because it
  // crashed gets the whole state again when it comes back (onBrokerStartup). Kafka's
  // ControllerChannelManager instead re-sends until the broker answers; see README.
}

void Controller::on_disconnected(NodeId /*peer*/) {}

// --- Failover -----------------------------------------------------------------------------

void Controller::failover(Done done) {
  ZkClient& zk = broker_.zk();
  // Watches first (registerZNodeChildChangeHandler), then the context.
  zk.get_children(IsrChangeNotificationZNode::path(), ZkWatch::watch, {});
  // KafkaController.initializeControllerContext: the live brokers with their epochs
  // (getAllBrokerAndEpochsInCluster), so that the first broker change can tell a broker that
  // bounced (re-registered with a new epoch) from one that stayed.
  read_broker_epochs([this, done](BrokerEpochs registered) {
    for (const auto& [b, epoch] : registered)
      live_brokers_.insert(b);
    broker_epochs_ = std::move(registered);
    // Topics: create the ones that do not exist yet (the run's stand-in for
    // kafka-topics.sh at boot), then read every partition's state.
    const ClusterLayout& layout = broker_.layout();
    for (const TopicLayout& topic : layout.topics) {
      TopicZNode::Assignment assignment;
      for (std::int32_t p = 0; p < topic.partitions; ++p) {
        assignment[p] = topic.assignment[static_cast<std::size_t>(p)];
      }
      broker_.zk().create(TopicZNode::path(topic.name), TopicZNode::encode(assignment),
                          ZkCreateMode::persistent, {});
    }
    read_states(layout.all_partitions(), [this, done] {
      // ReplicaStateMachine.startup: tell every live replica the current state.
      std::vector<TopicPartition> known;
      for (const auto& [tp, state] : states_)
        known.push_back(tp);
      send_update_metadata(live_list(), known);
      for (const TopicPartition& tp : known) {
        send_leader_and_isr(tp, live_replicas(tp));
      }
      // PartitionStateMachine.startup → triggerOnlinePartitionStateChange.
      initialize_new_partitions([this, done] {
        elect_offline_partitions([this, done] {
          // ReplicaStateMachine.startup also moves the replicas of dead brokers
          // to OfflineReplica, which takes them out of the ISRs (Kafka does it
          // before the elections; electing first, as onBrokerFailure does, gives
          // the same states): a follower that died with the old controller does
          // not stay in the ISR until its leader's lag check.
          std::set<BrokerId> dead;
          for (BrokerId b : broker_.layout().brokers) {
            if (!is_live(b)) dead.insert(b);
          }
          remove_replicas_from_isr(dead, [this, done] {
            // Notifications written while there was no controller.
            on_isr_change_notification(done);
          });
        });
      });
    });
  });
}

void Controller::read_broker_epochs(std::function<void(BrokerEpochs)> then) {
  // KafkaZkClient.getAllBrokerAndEpochsInCluster: the children of /brokers/ids (leaving the
  // watch that reports the next change), then each registration's czxid, its broker epoch.
  broker_.zk().get_children(
      BrokerIdsZNode::path(), ZkWatch::watch, guard([this, then](const ZkResult& ids) {
        auto epochs = std::make_shared<BrokerEpochs>();
        std::vector<BrokerId> listed;
        for (const std::string& child : ids.children) {
          if (auto id = BrokerIdZNode::parse_id(child)) listed.push_back(*id);
        }
        if (listed.empty()) {
          then({});
          return;
        }
        auto remaining = std::make_shared<std::size_t>(listed.size());
        for (BrokerId b : listed) {
          // A registration gone between the two reads is left out: its broker is dead.
          broker_.zk().get_data(BrokerIdZNode::path(b), ZkWatch::none,
                                guard([b, epochs, remaining, then](const ZkResult& r) {
                                  if (r.code == ZkCode::ok) (*epochs)[b] = r.stat.czxid;
                                  if (--*remaining == 0) then(std::move(*epochs));
                                }));
        }
      }));
}

void Controller::read_states(std::vector<TopicPartition> partitions, Done done) {
  if (partitions.empty()) {
    done();
    return;
  }
  auto remaining = std::make_shared<std::size_t>(partitions.size());
  for (const TopicPartition& tp : partitions) {
    const std::string& topic = broker_.layout().topic(tp.topic).name;
    broker_.zk().get_data(
        TopicPartitionStateZNode::path({topic, tp.partition}), ZkWatch::none,
        guard([this, tp, remaining, done](const ZkResult& result) {
          if (result.code == ZkCode::ok) {
            if (auto state = TopicPartitionStateZNode::decode(result.data, result.stat.version)) {
              states_[tp] = state->leader_and_isr;
              new_partitions_.erase(tp);
            }
          } else if (result.code == ZkCode::no_node && !states_.contains(tp)) {
            new_partitions_.insert(tp);
          }
          if (--*remaining == 0) done();
        }));
  }
}

// --- Writing partition state -----------------------------------------------------------------

void Controller::write_states(std::vector<StateWrite> writes, Done done) {
  if (writes.empty()) {
    done();
    return;
  }
  auto remaining = std::make_shared<std::size_t>(writes.size());
  for (auto& [tp, state, kind, why] : writes) {
    write_state(tp, state, kind, why, [remaining, done] {
      if (--*remaining == 0) done();
    });
  }
}

void Controller::write_and_announce(std::vector<StateWrite> writes, Announce announce, Done done) {
  // ControllerBrokerRequestBatch: after the writes, LeaderAndIsr to the partitions' live
  // replicas and, for leadership changes, UpdateMetadata to every live broker.
  std::vector<TopicPartition> written;
  for (const StateWrite& w : writes)
    written.push_back(std::get<0>(w));
  write_states(std::move(writes), [this, written, announce, done] {
    for (const TopicPartition& tp : written)
      send_leader_and_isr(tp, live_replicas(tp));
    if (announce == Announce::with_metadata && !written.empty()) {
      send_update_metadata(live_list(), written);
    }
    done();
  });
}

void Controller::write_state(TopicPartition tp, LeaderAndIsr state, ElectionKind kind,
                             std::string why, Done done) {
  // KafkaZkClient.updateLeaderAndIsr: setData guarded by the znode's version and by the
  // controller epoch's version, in one multi.
  const std::string& topic = broker_.layout().topic(tp.topic).name;
  const bool is_new = new_partitions_.contains(tp);
  std::vector<ZkMultiOp> ops;
  ops.push_back(ZkCheck{ControllerEpochZNode::path(), epoch_zk_version_});
  const LeaderIsrAndControllerEpoch data{state, epoch_};
  if (is_new) {
    ops.push_back(ZkCreate{TopicPartitionStateZNode::path({topic, tp.partition}),
                           TopicPartitionStateZNode::encode(data), ZkCreateMode::persistent});
  } else {
    ops.push_back(ZkSetData{TopicPartitionStateZNode::path({topic, tp.partition}),
                            TopicPartitionStateZNode::encode(data), state.zk_version});
  }
  broker_.zk().multi(
      std::move(ops), guard([this, tp, state, kind, why, done](const ZkResult& r) {
        if (r.code == ZkCode::ok) {
          LeaderAndIsr written = state;
          written.zk_version = r.results.size() > 1 ? r.results[1].stat.version : ZkVersion(0);
          const bool leader_changed = !states_.contains(tp) || states_[tp].leader != state.leader;
          const std::vector<BrokerId> old_isr =
              states_.contains(tp) ? states_[tp].isr : std::vector<BrokerId>{};
          states_[tp] = written;
          new_partitions_.erase(tp);
          if (leader_changed || kind != ElectionKind::clean) {
            broker_.observer().on_leader_election(broker_.id(), tp, state.leader,
                                                  state.leader_epoch, state.isr, kind, why,
                                                  broker_.now());
          } else if (old_isr != state.isr) {
            broker_.observer().on_controller_isr_change(broker_.id(), tp, old_isr, state.isr,
                                                        state.leader_epoch, why, broker_.now());
          }
          done();
          return;
        }
        const bool epoch_moved = !r.results.empty() && r.results[0].code != ZkCode::ok;
        if (epoch_moved) {
          resign();
          return;
        }
        // The leader changed the ISR meanwhile (a version conflict): re-read it; the next event
        // that needs this partition works from the fresh state (Kafka retries the same way).
        read_states({tp}, done);
      }));
}

// --- Broker changes -----------------------------------------------------------------------

void Controller::on_broker_change(Done done) {
  // BrokerChangeHandler → processBrokerChange, with broker epochs (the czxid of each
  // registration, KIP-380) so that a broker that bounced between two reads is seen to have.
  read_broker_epochs([this, done](BrokerEpochs current) {
    // processBrokerChange, in Kafka's order: new brokers start; bounced brokers fail and start
    // again; dead brokers fail.
    std::set<BrokerId> dead;
    std::set<BrokerId> started;
    std::set<BrokerId> bounced;
    for (BrokerId b : live_brokers_) {
      if (!current.contains(b)) dead.insert(b);
    }
    for (const auto& [b, czxid] : current) {
      if (!live_brokers_.contains(b)) {
        started.insert(b);
      } else if (broker_epochs_.contains(b) && broker_epochs_[b] != czxid) {
        bounced.insert(b);
      }
    }
    broker_epochs_ = std::move(current);
    for (BrokerId b : started)
      live_brokers_.insert(b);
    on_broker_startup(started, [this, dead, bounced, done] {
      for (BrokerId b : bounced)
        live_brokers_.erase(b);
      on_broker_failure(bounced, [this, dead, bounced, done] {
        for (BrokerId b : bounced)
          live_brokers_.insert(b);
        on_broker_startup(bounced, [this, dead, done] {
          for (BrokerId b : dead)
            live_brokers_.erase(b);
          on_broker_failure(dead, done);
        });
      });
    });
  });
}

void Controller::on_broker_failure(const std::set<BrokerId>& dead, Done done) {
  if (dead.empty()) {
    done();
    return;
  }
  for (BrokerId b : dead)
    shutting_down_.erase(b);
  // KafkaController.onReplicasBecomeOffline: elect new leaders for the partitions the dead
  // brokers led, then take the dead replicas out of the ISRs, then tell everyone.
  elect_offline_partitions([this, dead, done] {
    remove_replicas_from_isr(dead, [this, done] {
      std::vector<TopicPartition> all;
      for (const auto& [tp, state] : states_)
        all.push_back(tp);
      send_update_metadata(live_list(), all);
      done();
    });
  });
}

void Controller::on_broker_startup(const std::set<BrokerId>& started, Done done) {
  if (started.empty()) {
    done();
    return;
  }
  // KafkaController.onBrokerStartup: metadata to everyone, the full state of its replicas to the
  // new broker, then elections for partitions that had no live leader.
  std::vector<TopicPartition> all;
  for (const auto& [tp, state] : states_)
    all.push_back(tp);
  send_update_metadata(live_list(), all);
  for (const auto& [tp, state] : states_) {
    std::vector<BrokerId> to;
    for (BrokerId r : broker_.layout().replicas(tp)) {
      if (started.contains(r)) to.push_back(r);
    }
    if (!to.empty()) send_leader_and_isr(tp, to);
  }
  initialize_new_partitions([this, done] { elect_offline_partitions(done); });
}

// --- Partition state machine -----------------------------------------------------------------

bool Controller::leader_is_live(TopicPartition tp) const {
  const auto it = states_.find(tp);
  return it != states_.end() && it->second.leader != kNoBroker && is_live(it->second.leader);
}

void Controller::initialize_new_partitions(Done done) {
  // PartitionStateMachine: NewPartition → OnlinePartition (initializeLeaderAndIsrForPartitions):
  // the live replicas form the ISR and the first of them leads, at leader epoch 0.
  std::vector<StateWrite> writes;
  for (const TopicPartition& tp : new_partitions_) {
    const std::vector<BrokerId> live = live_replicas(tp);
    if (live.empty()) continue;  // stays new until a replica is alive
    const std::string& topic = broker_.layout().topic(tp.topic).name;
    broker_.zk().create(TopicPartitionsZNode::path(topic), "", ZkCreateMode::persistent, {});
    broker_.zk().create(TopicPartitionZNode::path({topic, tp.partition}), "",
                        ZkCreateMode::persistent, {});
    writes.emplace_back(
        tp, LeaderAndIsr{live.front(), LeaderEpoch(0), live, ZkVersion(0)}, ElectionKind::clean,
        "new partition: the first live replica of " + broker_names(broker_.layout().replicas(tp)));
  }
  write_and_announce(std::move(writes), Announce::with_metadata, std::move(done));
}

void Controller::elect_offline_partitions(Done done) {
  // PartitionStateMachine.doElectLeaderForPartitions reads the partitions' state from ZooKeeper
  // before it elects (getTopicPartitionStatesRaw): the leader may have changed the ISR since the
  // controller last heard (its ISR change notification can be lost with it, and an election
  // from a stale zkVersion would fail).
  std::vector<TopicPartition> offline;
  for (const auto& [tp, state] : states_) {
    if (!leader_is_live(tp)) offline.push_back(tp);
  }
  if (offline.empty()) {
    done();
    return;
  }
  read_states(std::move(offline), [this, done] { elect_read_partitions(done); });
}

void Controller::elect_read_partitions(Done done) {
  // PartitionStateMachine.triggerOnlinePartitionStateChange with the offline election
  // (Election.scala / PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection).
  std::vector<StateWrite> writes;
  for (const auto& [tp, state] : states_) {
    if (leader_is_live(tp)) continue;
    const std::vector<BrokerId>& assignment = broker_.layout().replicas(tp);
    const TopicLayout& topic = broker_.layout().topic(tp.topic);
    LeaderAndIsr next = state;
    next.leader_epoch = LeaderEpoch(state.leader_epoch.value() + 1);
    // The ISR by an init-capture: clang before 16 cannot capture a structured binding.
    const auto clean =
        std::find_if(assignment.begin(), assignment.end(),
                     [&, &isr = state.isr](BrokerId r) { return is_live(r) && contains(isr, r); });
    if (clean != assignment.end()) {
      next.leader = *clean;
      next.isr.clear();
      for (BrokerId r : state.isr) {
        if (is_live(r)) next.isr.push_back(r);
      }
      writes.emplace_back(tp, next, ElectionKind::clean,
                          broker_name(*clean) + " is the first live replica of the ISR " +
                              broker_names(state.isr) + " in assignment order " +
                              broker_names(assignment));
      continue;
    }
    if (!topic.unclean_leader_election_enable) continue;  // stays offline (reported by the run)
    const auto unclean =
        std::find_if(assignment.begin(), assignment.end(), [&](BrokerId r) { return is_live(r); });
    if (unclean == assignment.end()) continue;
    next.leader = *unclean;
    next.isr = {*unclean};
    writes.emplace_back(
        tp, next, ElectionKind::unclean,
        "no live replica of the ISR " + broker_names(state.isr) +
            "; unclean.leader.election.enable chose the first live replica broker-" +
            std::to_string(unclean->value()));
  }
  write_and_announce(std::move(writes), Announce::with_metadata, std::move(done));
}

void Controller::remove_replicas_from_isr(const std::set<BrokerId>& dead, Done done) {
  // ReplicaStateMachine.doRemoveReplicasFromIsr also reads the current states from ZooKeeper
  // first (getTopicPartitionStatesRaw).
  std::vector<TopicPartition> hosting;
  for (const auto& [tp, state] : states_) {
    for (BrokerId b : dead) {
      if (contains(broker_.layout().replicas(tp), b)) {
        hosting.push_back(tp);
        break;
      }
    }
  }
  if (hosting.empty()) {
    done();
    return;
  }
  read_states(std::move(hosting),
              [this, dead, done] { remove_read_replicas_from_isr(dead, done); });
}

void Controller::remove_read_replicas_from_isr(const std::set<BrokerId>& dead, Done done) {
  // ReplicaStateMachine: OfflineReplica → KafkaController.removeReplicasFromIsr. The replica
  // leaves the ISR unless it is the last member; a dead leader is replaced by "no leader".
  std::vector<StateWrite> writes;
  for (const auto& [tp, state] : states_) {
    LeaderAndIsr next = state;
    bool changed = false;
    for (BrokerId b : dead) {
      if (!contains(broker_.layout().replicas(tp), b)) continue;
      if (contains(next.isr, b) && next.isr.size() > 1) {
        std::erase(next.isr, b);
        changed = true;
      }
      if (next.leader == b) {
        next.leader = kNoBroker;
        changed = true;
      }
    }
    if (!changed) continue;
    next.leader_epoch = LeaderEpoch(state.leader_epoch.value() + 1);
    const ElectionKind kind =
        next.leader == kNoBroker ? ElectionKind::none_available : ElectionKind::clean;
    writes.emplace_back(tp, next, kind,
                        next.leader == kNoBroker
                            ? "no live replica of the ISR " + broker_names(state.isr) +
                                  " can lead and unclean election is off: the partition is offline"
                            : "dead replicas leave the ISR");
  }
  write_and_announce(std::move(writes), Announce::replicas_only, std::move(done));
}

// --- ISR change notifications ------------------------------------------------------------------

void Controller::on_isr_change_notification(Done done) {
  // IsrChangeNotificationHandler → processIsrChangeNotification: read the changed partitions,
  // refresh them from ZooKeeper, tell every broker (UpdateMetadata), delete the notifications.
  ZkClient& zk = broker_.zk();
  zk.get_children(
      IsrChangeNotificationZNode::path(), ZkWatch::watch, guard([this, done](const ZkResult& r) {
        if (r.children.empty()) {
          done();
          return;
        }
        auto changed = std::make_shared<std::set<TopicPartition>>();
        auto remaining = std::make_shared<std::size_t>(r.children.size());
        for (const std::string& child : r.children) {
          const std::string path = IsrChangeNotificationZNode::path() + "/" + child;
          broker_.zk().get_data(
              path, ZkWatch::none, guard([this, path, changed, remaining, done](const ZkResult& n) {
                if (n.code == ZkCode::ok) {
                  for (const ZkTopicPartition& ztp :
                       IsrChangeNotificationSequenceZNode::decode(n.data).value_or(
                           std::vector<ZkTopicPartition>{})) {
                    const std::int32_t t = broker_.layout().topic_index(ztp.topic);
                    if (t >= 0)
                      changed->insert({TopicIndex(static_cast<std::uint32_t>(t)), ztp.partition});
                  }
                }
                broker_.zk().remove(path, kAnyZkVersion, {});
                if (--*remaining > 0) return;
                std::vector<TopicPartition> tps(changed->begin(), changed->end());
                read_states(tps, [this, tps, done] {
                  send_update_metadata(live_list(), tps);
                  done();
                });
              }));
        }
      }));
}

// --- Controlled shutdown and preferred leaders ------------------------------------------------

void Controller::controlled_shutdown(NodeId from, ControlledShutdownRequest request, Done done) {
  const BrokerId id = request.broker_id;
  if (!is_live(id)) {
    broker_.send(
        from, ControlledShutdownResponse{request.correlation_id, Errors::broker_not_available, {}});
    done();
    return;
  }
  shutting_down_.insert(id);
  // Its replicated partitions, read afresh: the elections and the ISR removals below read the
  // partitions' state from ZooKeeper first (PartitionStateMachine.doElectLeaderForPartitions,
  // ReplicaStateMachine.doRemoveReplicasFromIsr → getTopicPartitionStatesRaw). The cached ISR
  // can be stale by an ISR change notification or more, and an election from a stale ISR can
  // find no candidate (found by the swarm: a controller shutting itself down spent all its
  // retries because its cache still held the ISR a pause had shrunk).
  std::vector<TopicPartition> on_broker;
  for (const auto& [tp, state] : states_) {
    const std::vector<BrokerId>& assignment = broker_.layout().replicas(tp);
    if (assignment.size() > 1 && contains(assignment, id)) on_broker.push_back(tp);
  }
  read_states(std::move(on_broker),
              [this, from, request, done] { move_leaders_off_shutting_down(from, request, done); });
}

void Controller::move_leaders_off_shutting_down(NodeId from, ControlledShutdownRequest request,
                                                Done done) {
  const BrokerId id = request.broker_id;
  // KafkaController.doControlledShutdown: move leadership of its replicated partitions to the
  // first live ISR replica not shutting down (ControlledShutdownPartitionLeaderElection); take
  // it out of the ISRs of the partitions it follows, and stop its fetchers there.
  std::vector<StateWrite> writes;
  std::vector<TopicPartition> followed;
  for (const auto& [tp, state] : states_) {
    const std::vector<BrokerId>& assignment = broker_.layout().replicas(tp);
    if (assignment.size() <= 1 || !contains(assignment, id)) continue;
    LeaderAndIsr next = state;
    next.leader_epoch = LeaderEpoch(state.leader_epoch.value() + 1);
    // Election.leaderForControlledShutdown drops every broker shutting down from the ISR of a
    // partition the broker led; where it follows, only its own replica goes offline
    // (ReplicaStateMachine OfflineReplica -> removeReplicasFromIsr): another broker of the set,
    // perhaps the leader, stays (found by the swarm: the ISR lost its leader).
    if (state.leader == id) {
      std::erase_if(next.isr, [&](BrokerId r) { return shutting_down_.contains(r); });
    } else {
      std::erase(next.isr, id);
    }
    if (state.leader == id) {
      const auto leader =
          std::find_if(assignment.begin(), assignment.end(), [&, &isr = state.isr](BrokerId r) {
            return is_live(r) && contains(isr, r) && !shutting_down_.contains(r);
          });
      if (leader == assignment.end()) continue;  // stays led by the broker: reported remaining
      next.leader = *leader;
      writes.emplace_back(tp, next, ElectionKind::controlled_shutdown,
                          broker_name(id) + " is shutting down; broker-" +
                              std::to_string(leader->value()) +
                              " is the first live ISR replica not shutting down");
    } else if (contains(state.isr, id) && state.isr.size() > 1) {
      followed.push_back(tp);
      writes.emplace_back(tp, next, ElectionKind::clean, "a replica shutting down leaves the ISR");
    }
  }
  StopReplicaRequest stop;
  stop.correlation_id = broker_.next_correlation_id();
  stop.controller_id = broker_.id();
  stop.controller_epoch = epoch_;
  stop.partitions = followed;
  if (!followed.empty()) broker_.send_to_broker(id, std::move(stop));
  write_states(std::move(writes), [this, from, request, id, done] {
    std::vector<TopicPartition> remaining;
    for (const auto& [tp, state] : states_) {
      send_leader_and_isr(tp, live_replicas(tp));
      if (state.leader == id && broker_.layout().replicas(tp).size() > 1) remaining.push_back(tp);
    }
    std::vector<TopicPartition> all;
    for (const auto& [tp, state] : states_)
      all.push_back(tp);
    send_update_metadata(live_list(), all);
    broker_.send(from, ControlledShutdownResponse{request.correlation_id, Errors::none, remaining});
    done();
  });
}

void Controller::auto_leader_rebalance(Done done) {
  // KafkaController.checkAndTriggerAutoLeaderRebalance: for each broker, the share of the
  // partitions it prefers to lead that another broker leads; above
  // leader.imbalance.per.broker.percentage, move those whose preferred replica is live and in
  // the ISR back to it (PreferredReplicaPartitionLeaderElection).
  const double threshold =
      broker_.cluster().broker_config.leader_imbalance_per_broker_percentage / 100.0;
  std::vector<StateWrite> writes;
  for (BrokerId b : live_brokers_) {
    if (shutting_down_.contains(b)) continue;
    std::vector<TopicPartition> preferred;
    std::vector<TopicPartition> not_led;
    for (const auto& [tp, state] : states_) {
      if (broker_.layout().replicas(tp).front() != b) continue;
      preferred.push_back(tp);
      if (state.leader != b) not_led.push_back(tp);
    }
    if (preferred.empty() ||
        static_cast<double>(not_led.size()) / static_cast<double>(preferred.size()) <= threshold) {
      continue;
    }
    for (const TopicPartition& tp : not_led) {
      const LeaderAndIsr& state = states_[tp];
      if (!contains(state.isr, b)) continue;
      LeaderAndIsr next = state;
      next.leader = b;
      next.leader_epoch = LeaderEpoch(state.leader_epoch.value() + 1);
      writes.emplace_back(tp, next, ElectionKind::preferred,
                          "auto.leader.rebalance: back to the preferred replica broker-" +
                              std::to_string(b.value()));
    }
  }
  write_and_announce(std::move(writes), Announce::with_metadata, std::move(done));
}

// --- Requests to brokers ------------------------------------------------------------------------

std::vector<BrokerId> Controller::live_replicas(TopicPartition tp) const {
  std::vector<BrokerId> live;
  for (BrokerId r : broker_.layout().replicas(tp)) {
    if (is_live(r)) live.push_back(r);
  }
  return live;
}

std::vector<BrokerId> Controller::live_list() const {
  return std::vector<BrokerId>(live_brokers_.begin(), live_brokers_.end());
}

LeaderAndIsrPartitionState Controller::partition_state(TopicPartition tp) const {
  const LeaderAndIsr& state = states_.at(tp);
  LeaderAndIsrPartitionState s;
  s.tp = tp;
  s.controller_epoch = epoch_;
  s.leader = state.leader;
  s.leader_epoch = state.leader_epoch;
  s.isr = state.isr;
  s.zk_version = state.zk_version;
  s.replicas = broker_.layout().replicas(tp);
  return s;
}

void Controller::send_leader_and_isr(TopicPartition tp, const std::vector<BrokerId>& to) {
  if (!active_ || !states_.contains(tp)) return;
  for (BrokerId b : to) {
    if (!is_live(b)) continue;
    LeaderAndIsrRequest request;
    request.correlation_id = broker_.next_correlation_id();
    request.controller_id = broker_.id();
    request.controller_epoch = epoch_;
    request.partition_states.push_back(partition_state(tp));
    broker_.send_to_broker(b, std::move(request));
  }
}

void Controller::send_update_metadata(const std::vector<BrokerId>& to,
                                      const std::vector<TopicPartition>& tps) {
  if (!active_) return;
  for (BrokerId b : to) {
    UpdateMetadataRequest request;
    request.correlation_id = broker_.next_correlation_id();
    request.controller_id = broker_.id();
    request.controller_epoch = epoch_;
    request.live_brokers = live_list();
    for (const TopicPartition& tp : tps) {
      if (states_.contains(tp)) request.partition_states.push_back(partition_state(tp));
    }
    broker_.send_to_broker(b, std::move(request));
  }
}

}  // namespace kafkasim
