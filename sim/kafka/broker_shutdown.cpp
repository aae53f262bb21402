// Controlled shutdown (KafkaServer.controlledShutdown, controlled.shutdown.enable): before it
// stops, a broker asks the controller to move its leaders away, retrying up to
// controlled.shutdown.max.retries times, controlled.shutdown.retry.backoff.ms apart, while
// partitions remain; then it closes its ZooKeeper session (its registration goes at once) and
// stops, with its high watermarks checkpointed and its logs flushed. Also the time-based log
// flusher (LogManager.flushDirtyLogs).
#include "kafkasim/kafka/broker.h"

namespace kafkasim {

void Broker::shutdown() {
  if (!is_up() || shutting_down_) return;
  shutting_down_ = true;
  controlled_shutdown_attempts_ = 0;
  controlled_shutdown_remaining_.reset();
  controlled_shutdown_clean_ = false;
  if (!env_.cluster.broker_config.controlled_shutdown_enable) {
    zk_.close();
    return;
  }
  send_controlled_shutdown_request();
}

void Broker::send_controlled_shutdown_request() {
  if (!is_up() || !shutting_down_) return;
  // KafkaServer.doControlledShutdown: controlled.shutdown.max.retries attempts in all (the loop
  // runs while remainingRetries > 0, decrementing first), with the backoff after each failed
  // one, the last included; then the broker shuts down uncleanly.
  if (controlled_shutdown_attempts_ >=
      static_cast<std::uint32_t>(env_.cluster.broker_config.controlled_shutdown_max_retries)) {
    zk_.close();
    return;
  }
  ++controlled_shutdown_attempts_;
  const BrokerId controller = metadata_.controller();
  if (controller == kNoBroker) {
    // No controller known (metadataCache.getControllerId is empty): the attempt fails.
    set_timer(env_.cluster.broker_config.controlled_shutdown_retry_backoff,
              BrokerTimer::controlled_shutdown, 0);
    return;
  }
  controlled_shutdown_request_ = next_correlation_id();
  controlled_shutdown_target_ = env_.layout.node_of(controller);
  send(controlled_shutdown_target_, ControlledShutdownRequest{controlled_shutdown_request_, id_});
  // NetworkClientUtils.sendAndReceive gives up after request.timeout.ms (an IOException in
  // doControlledShutdown: the attempt failed). Without this, a request the controller never
  // answers (it resigned with the request in its queue) would hold the broker forever.
  set_timer(env_.cluster.broker_config.request_timeout, BrokerTimer::controlled_shutdown_timeout,
            static_cast<std::uint64_t>(controlled_shutdown_request_.value()));
}

void Broker::on_controlled_shutdown_response(const ControlledShutdownResponse& response) {
  if (!shutting_down_ || response.correlation_id != controlled_shutdown_request_) return;
  controlled_shutdown_request_ = CorrelationId(0);
  controlled_shutdown_remaining_ = response.remaining_partitions.size();
  if (response.error == Errors::none && response.remaining_partitions.empty()) {
    controlled_shutdown_clean_ = true;
    zk_.close();
    return;
  }
  controlled_shutdown_attempt_failed();  // leaders remain: back off, then try again
}

void Broker::on_controlled_shutdown_disconnected(NodeId peer) {
  if (controlled_shutdown_request_.value() == 0 || peer != controlled_shutdown_target_) return;
  controlled_shutdown_attempt_failed();
}

void Broker::on_controlled_shutdown_timeout(std::uint64_t correlation_id) {
  if (!shutting_down_ || controlled_shutdown_request_.value() == 0 ||
      static_cast<std::uint64_t>(controlled_shutdown_request_.value()) != correlation_id) {
    return;  // answered (or failed otherwise) in time
  }
  controlled_shutdown_attempt_failed();
}

void Broker::controlled_shutdown_attempt_failed() {
  controlled_shutdown_request_ = CorrelationId(0);
  set_timer(env_.cluster.broker_config.controlled_shutdown_retry_backoff,
            BrokerTimer::controlled_shutdown, 0);
}

void Broker::finish_controlled_shutdown() {
  // KafkaServer.shutdown, after the controlled shutdown: ReplicaManager.shutdown(checkpointHW =
  // true) writes every partition's high watermark to replication-offset-checkpoint, and
  // LogManager.shutdown flushes every log (`log.flush()`, "to ensure latest possible recovery
  // point") before closing it. So a broker restarted after a shutdown starts from the high
  // watermark it stopped at, not from the last periodic checkpoint, and a later power loss finds
  // its logs on disk.
  for (auto& [tp, h] : partitions_) {
    h.checkpointed_high_watermark = h.partition.high_watermark();
    h.partition.log().flush();
  }
  // The session is closed; the process exits. Its page cache stays (a clean exit loses nothing).
  env_.observer.on_shutdown_complete(id_, controlled_shutdown_attempts_, controlled_shutdown_clean_,
                                     controlled_shutdown_remaining_, now());
  crash(CrashKind::process);
}

void Broker::flush_dirty_logs() {
  // LogManager.flushDirtyLogs: every log whose last flush is older than its flush.ms.
  for (auto& [tp, h] : partitions_) {
    PartitionLog& log = h.partition.log();
    const auto since = log.dirty_since();
    if (since && now() - *since >= env_.layout.topic(tp.topic).flush_interval) log.flush();
  }
}

}  // namespace kafkasim
