#include "kafkasim/protocol/zookeeper_protocol.h"

namespace kafkasim {

std::string_view zk_code_name(ZkCode code) {
  switch (code) {
    case ZkCode::ok:
      return "OK";
    case ZkCode::runtime_inconsistency:
      return "RUNTIMEINCONSISTENCY";
    case ZkCode::connection_loss:
      return "CONNECTIONLOSS";
    case ZkCode::bad_arguments:
      return "BADARGUMENTS";
    case ZkCode::no_node:
      return "NONODE";
    case ZkCode::bad_version:
      return "BADVERSION";
    case ZkCode::no_children_for_ephemerals:
      return "NOCHILDRENFOREPHEMERALS";
    case ZkCode::node_exists:
      return "NODEEXISTS";
    case ZkCode::not_empty:
      return "NOTEMPTY";
    case ZkCode::session_expired:
      return "SESSIONEXPIRED";
  }
  return "SYSTEMERROR";
}

std::string_view zk_event_name(ZkEventType type) {
  switch (type) {
    case ZkEventType::node_created:
      return "NodeCreated";
    case ZkEventType::node_deleted:
      return "NodeDeleted";
    case ZkEventType::node_data_changed:
      return "NodeDataChanged";
    case ZkEventType::node_children_changed:
      return "NodeChildrenChanged";
  }
  return "None";
}

}  // namespace kafkasim
