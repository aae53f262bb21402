#include "kafkasim/protocol/kafka_types.h"

namespace kafkasim {

std::string broker_name(BrokerId broker) {
  return "broker-" + std::to_string(broker.value());
}

std::string broker_names(const std::vector<BrokerId>& brokers) {
  std::string text = "[";
  for (std::size_t i = 0; i < brokers.size(); ++i) {
    if (i > 0) text += ", ";
    text += broker_name(brokers[i]);
  }
  return text + "]";
}

std::string_view error_name(Errors error) {
  switch (error) {
    case Errors::none:
      return "NONE";
    case Errors::offset_out_of_range:
      return "OFFSET_OUT_OF_RANGE";
    case Errors::unknown_topic_or_partition:
      return "UNKNOWN_TOPIC_OR_PARTITION";
    case Errors::leader_not_available:
      return "LEADER_NOT_AVAILABLE";
    case Errors::not_leader_for_partition:
      return "NOT_LEADER_FOR_PARTITION";
    case Errors::request_timed_out:
      return "REQUEST_TIMED_OUT";
    case Errors::broker_not_available:
      return "BROKER_NOT_AVAILABLE";
    case Errors::stale_controller_epoch:
      return "STALE_CONTROLLER_EPOCH";
    case Errors::network_exception:
      return "NETWORK_EXCEPTION";
    case Errors::not_enough_replicas:
      return "NOT_ENOUGH_REPLICAS";
    case Errors::not_enough_replicas_after_append:
      return "NOT_ENOUGH_REPLICAS_AFTER_APPEND";
    case Errors::not_controller:
      return "NOT_CONTROLLER";
    case Errors::out_of_order_sequence_number:
      return "OUT_OF_ORDER_SEQUENCE_NUMBER";
    case Errors::invalid_producer_epoch:
      return "INVALID_PRODUCER_EPOCH";
    case Errors::duplicate_sequence_number:
      return "DUPLICATE_SEQUENCE_NUMBER";
    case Errors::fenced_leader_epoch:
      return "FENCED_LEADER_EPOCH";
    case Errors::unknown_leader_epoch:
      return "UNKNOWN_LEADER_EPOCH";
    case Errors::coordinator_load_in_progress:
      return "COORDINATOR_LOAD_IN_PROGRESS";
    case Errors::coordinator_not_available:
      return "COORDINATOR_NOT_AVAILABLE";
    case Errors::not_coordinator:
      return "NOT_COORDINATOR";
    case Errors::illegal_generation:
      return "ILLEGAL_GENERATION";
    case Errors::unknown_member_id:
      return "UNKNOWN_MEMBER_ID";
    case Errors::rebalance_in_progress:
      return "REBALANCE_IN_PROGRESS";
    case Errors::member_id_required:
      return "MEMBER_ID_REQUIRED";
  }
  return "UNKNOWN_SERVER_ERROR";
}

bool is_retriable(Errors error) {
  // In Errors.java these map to RetriableException subclasses (NotLeaderForPartitionException,
  // NotEnoughReplicasException, TimeoutException, NetworkException, ...).
  switch (error) {
    case Errors::unknown_topic_or_partition:
    case Errors::leader_not_available:
    case Errors::not_leader_for_partition:
    case Errors::request_timed_out:
    case Errors::network_exception:
    case Errors::not_enough_replicas:
    case Errors::not_enough_replicas_after_append:
    case Errors::not_controller:
    case Errors::fenced_leader_epoch:
    case Errors::unknown_leader_epoch:
    case Errors::coordinator_load_in_progress:
    case Errors::coordinator_not_available:
    case Errors::not_coordinator:
      return true;
    default:
      return false;
  }
}

}  // namespace kafkasim
