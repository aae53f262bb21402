// A broker and ZooKeeper: its registration, the controller election, and what it does when its
// session comes and goes (KafkaServer.startup, KafkaZkClient.registerBroker,
// KafkaController.elect / registerControllerAndIncrementControllerEpoch, Kafka 2.4).
#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/controller.h"
#include "kafkasim/kafka/zk_data.h"

namespace kafkasim {

void Broker::on_zk_session_event(ZkSessionEvent event) {
  switch (event) {
    case ZkSessionEvent::session_established:
      env_.observer.on_zk_session(id_, false, now());
      // A new session owns no ephemeral node and no watch: register again, then watch
      // /controller and take part in the election (KafkaServer.startup; after an expiry, the
      // RegisterBrokerAndReelect event of KafkaController). The election waits for the
      // registration (see register_broker).
      register_broker();
      break;
    case ZkSessionEvent::expired:
      env_.observer.on_zk_session(id_, true, now());
      // KafkaController.processExpire: the controller resigns; its /controller node is gone.
      drop_controller();
      break;
    case ZkSessionEvent::closed:
      if (shutting_down_) finish_controlled_shutdown();
      break;
    case ZkSessionEvent::reconnected:
    case ZkSessionEvent::disconnected:
      break;
  }
}

void Broker::register_broker() {
  // KafkaZkClient.registerBroker → checkedEphemeralCreate: a node left by this broker's previous
  // session (a restart within the session timeout) makes the create fail with NODEEXISTS. Kafka
  // then fails its startup and an operator restarts it; here the broker tries again every
  // second until the old session has expired and its node is gone.
  const ZkSessionId session = zk_.session_id();
  // KafkaZkClient.createTopLevelPaths: the persistent paths every broker makes sure of.
  for (const std::string& path : persistent_zk_paths()) {
    zk_.create(path, "", ZkCreateMode::persistent, {});
  }
  zk_.create(BrokerIdZNode::path(id_),
             BrokerIdZNode::encode(BrokerInfo::registration(id_, broker_rack(), now())),
             ZkCreateMode::ephemeral, [this, session](const ZkResult& result) {
               if (zk_.session_id() != session) return;
               // KafkaServer.startup registers the broker before it starts the controller
               // (KafkaController.startup → elect): a broker never becomes controller while
               // it is not registered, so a new controller counts itself among the live.
               if (result.code == ZkCode::ok) {
                 started_up_ = true;
                 elect_controller();
                 return;
               }
               if (result.code != ZkCode::node_exists) return;
               set_timer(std::chrono::seconds(1), BrokerTimer::register_retry, 0);
             });
}

void Broker::elect_controller() {
  // KafkaController.elect: read /controller (leaving a watch); if nobody is controller, create it
  // together with the epoch bump, atomically (multi), and become controller.
  zk_.get_data(ControllerZNode::path(), ZkWatch::watch, [this](const ZkResult& result) {
    if (result.code == ZkCode::ok) {
      on_controller_znode(ControllerZNode::decode(result.data));
      return;
    }
    if (result.code != ZkCode::no_node) return;
    // The watch of a failed read does not stay: watch the node's creation instead.
    zk_.exists(ControllerZNode::path(), ZkWatch::watch, {});
    zk_.get_data(ControllerEpochZNode::path(), ZkWatch::none, [this](const ZkResult& epoch) {
      ControllerEpoch current(0);
      ZkVersion version = kAnyZkVersion;
      std::vector<ZkMultiOp> ops;
      if (epoch.code == ZkCode::ok) {
        current = ControllerEpochZNode::decode(epoch.data).value_or(ControllerEpoch(0));
        version = epoch.stat.version;
        ops.push_back(ZkCreate{ControllerZNode::path(), ControllerZNode::encode(id_, now()),
                               ZkCreateMode::ephemeral});
        ops.push_back(ZkSetData{ControllerEpochZNode::path(),
                                ControllerEpochZNode::encode(ControllerEpoch(current.value() + 1)),
                                version});
      } else {
        // KafkaController.maybeCreateControllerEpochZNode: the first controller creates it.
        ops.push_back(ZkCreate{ControllerZNode::path(), ControllerZNode::encode(id_, now()),
                               ZkCreateMode::ephemeral});
        ops.push_back(ZkCreate{ControllerEpochZNode::path(),
                               ControllerEpochZNode::encode(ControllerEpoch(1)),
                               ZkCreateMode::persistent});
      }
      const ControllerEpoch next(current.value() + 1);
      zk_.multi(std::move(ops), [this, next](const ZkResult& created) {
        if (created.code == ZkCode::ok) {
          const ZkVersion epoch_version =
              created.results.size() > 1 ? created.results[1].stat.version : ZkVersion(0);
          become_controller(next, epoch_version);
        } else {
          // Someone else won the race (ControllerMovedException): learn who.
          zk_.get_data(ControllerZNode::path(), ZkWatch::watch, [this](const ZkResult& again) {
            if (again.code == ZkCode::ok) on_controller_znode(ControllerZNode::decode(again.data));
          });
        }
      });
    });
  });
}

void Broker::on_controller_znode(std::optional<BrokerId> controller) {
  // KafkaController.maybeResign: someone else holds /controller.
  if (controller != id_) drop_controller();
}

void Broker::drop_controller() {
  if (!controller_) return;
  // The requests its queue held are answered NOT_CONTROLLER (ControllerEventManager.clearAndPut
  // → KafkaController.preemptControlledShutdown; a request processed after maybeResign fails
  // the same way in doControlledShutdown), so no connection stays muted on an unanswered one.
  controller_->preempt_controlled_shutdowns();
  controller_.reset();
}

void Broker::become_controller(ControllerEpoch epoch, ZkVersion epoch_zk_version) {
  env_.observer.on_controller_elected(id_, epoch, now());
  controller_ = std::make_unique<Controller>(*this, epoch, epoch_zk_version);
  controller_->on_failover();
}

void Broker::on_zk_watch_event(ZkEventType type, const std::string& path) {
  if (path == ControllerZNode::path()) {
    if (type == ZkEventType::node_deleted) {
      // KafkaController's ControllerChangeHandler.handleDeletion → Reelect.
      drop_controller();
      elect_controller();
    } else {
      zk_.get_data(ControllerZNode::path(), ZkWatch::watch, [this](const ZkResult& result) {
        if (result.code == ZkCode::ok) on_controller_znode(ControllerZNode::decode(result.data));
        if (result.code == ZkCode::no_node) elect_controller();
      });
    }
    return;
  }
  if (controller_) controller_->on_zk_watch_event(type, path);
}

std::optional<std::string> Broker::broker_rack() const {
  for (const BrokerSpec& spec : env_.cluster.brokers) {
    if (spec.id == id_) return spec.rack;
  }
  return std::nullopt;
}

}  // namespace kafkasim
