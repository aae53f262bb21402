// The controller's event queue and how its events run: Kafka 2.4's
// core/src/main/scala/kafka/controller/ControllerEventManager.scala (put, the event thread that
// takes one event at a time) and KafkaController.process (one handler per event; a
// ControllerMovedException makes the controller resign). See controller.h for plans and steps.
#include "kafkasim/kafka/controller.h"

#include <cassert>
#include <utility>

#include "kafkasim/kafka/broker.h"

namespace kafkasim {

Controller::Controller(Broker& broker, ControllerEpoch epoch, ZkVersion epoch_zk_version)
    : broker_(broker),
      epoch_(epoch),
      epoch_zk_version_(epoch_zk_version),
      channels_(broker, epoch) {}

// --- What the broker forwards -------------------------------------------------------------------

void Controller::on_failover() {
  put(Startup{});
  // KafkaController.onControllerFailover: `if (config.autoLeaderRebalanceEnable)
  // scheduleAutoLeaderRebalanceTask(delay = 5, unit = TimeUnit.SECONDS)`: the first check comes
  // 5 s after the failover, whatever leader.imbalance.check.interval.seconds says; the later ones
  // are scheduled by the check itself (process(const AutoPreferredReplicaLeaderElection&)).
  if (broker_.cluster().broker_config.auto_leader_rebalance_enable) {
    schedule(ControllerTimer::auto_leader_rebalance, kFirstAutoLeaderRebalanceDelay);
  }
}

void Controller::on_zk_watch_event(ZkEventType type, const std::string& path) {
  // BrokerChangeHandler and IsrChangeNotificationHandler.handleChildChange.
  if (type != ZkEventType::node_children_changed) return;
  if (path == BrokerIdsZNode::path()) {
    put(BrokerChange{});
  } else if (path == IsrChangeNotificationZNode::path()) {
    put(IsrChangeNotification{});
  }
}

void Controller::on_controlled_shutdown_request(NodeId from,
                                                const ControlledShutdownRequest& request) {
  put(ControlledShutdown{from, request});
}

void Controller::on_timer(std::uint64_t payload) {
  // A timer of an earlier controller on this broker carries its epoch: not ours to act on.
  if (static_cast<std::int32_t>(payload >> 8) != epoch_.value() || !active_) return;
  const auto timer = static_cast<ControllerTimer>(payload & 0xff);
  assert(timer == ControllerTimer::auto_leader_rebalance);
  if (timer == ControllerTimer::auto_leader_rebalance) put(AutoPreferredReplicaLeaderElection{});
}

void Controller::schedule(ControllerTimer timer, Duration delay) {
  // The epoch in the payload tells a later controller on this broker to ignore our timers.
  const auto payload =
      (static_cast<std::uint64_t>(epoch_.value()) << 8) | static_cast<std::uint8_t>(timer);
  broker_.set_timer(delay, BrokerTimer::controller, payload);
}

// --- The event queue
// ------------------------------------------------------------------------------

void Controller::put(Event event) {
  // Every process* of KafkaController starts with `if (!isActive) return`.
  if (!active_) return;
  events_.push_back(std::move(event));
  if (!running_ && awaiting_ == 0) run();
}

void Controller::run() {
  // ControllerEventThread.doWork, with a plan's steps in place of Kafka's blocking calls: the
  // plan of one event runs to its end, waiting for ZooKeeper where a step asked it, before the
  // next event starts.
  assert(!running_);
  running_ = true;
  while (active_ && awaiting_ == 0) {
    if (!plan_.empty()) {
      Step step = std::move(plan_.front());
      plan_.pop_front();
      std::visit([this](const auto& s) { perform(s); }, step);
      if (active_) send_requests_to_brokers();
    } else if (!events_.empty()) {
      assert(plan_.empty());  // an event starts when its predecessor's plan is done
      Event event = std::move(events_.front());
      events_.pop_front();
      std::visit([this](const auto& e) { process(e); }, event);
      if (active_) send_requests_to_brokers();
    } else {
      break;
    }
  }
  running_ = false;
}

void Controller::then(std::vector<Step> steps) {
  plan_.insert(plan_.begin(), std::make_move_iterator(steps.begin()),
               std::make_move_iterator(steps.end()));
}

// --- ZooKeeper
// ------------------------------------------------------------------------------------

void Controller::ask_zk(ZkOp op, Awaited awaited) {
  assert(active_);
  ++awaiting_;  // first: the answer may come before submit returns
  Broker& broker = broker_;
  broker_.zk().submit(std::move(op),
                      [&broker, epoch = epoch_, awaited = std::move(awaited)](
                          const ZkResult& result) { deliver(broker, epoch, awaited, result); });
}

void Controller::deliver(Broker& broker, ControllerEpoch epoch, const Awaited& awaited,
                         const ZkResult& result) {
  // The broker may have dropped this controller (it crashed, its session expired, /controller
  // moved) or made a new one since: the answer is only for the controller of that epoch, and
  // only while it is active (a resigned controller has forgotten its plan).
  Controller* controller = broker.controller_.get();
  if (controller == nullptr || controller->epoch_ != epoch || !controller->active_) return;
  controller->on_answer(awaited, result);
}

void Controller::on_answer(const Awaited& awaited, const ZkResult& result) {
  assert(active_ && awaiting_ > 0);
  std::visit([&](const auto& a) { on_reply(a, result); }, awaited);
  if (!active_) return;  // the answer made it resign
  send_requests_to_brokers();
  --awaiting_;
  if (awaiting_ == 0 && !running_) run();
}

void Controller::resign() {
  // A write failed the /controller_epoch check: another controller took over
  // (ControllerMovedException → maybeResign). Stop acting and forget what was planned; the
  // broker learns who leads from /controller. A controlled shutdown it held is answered
  // NOT_CONTROLLER (doControlledShutdown's ControllerMovedException once !isActive).
  preempt_controlled_shutdowns();
  active_ = false;
  events_.clear();
  plan_.clear();
  awaiting_ = 0;
  leader_and_isr_batch_.clear();
  // onControllerResignation → controllerChannelManager.shutdown(): nothing queued is sent.
  channels_.shutdown();
}

}  // namespace kafkasim
