#include "kafkasim/run/cluster_states.h"

#include <nlohmann/json.hpp>

#include "kafkasim/run/run_result.h"

namespace kafkasim {

std::string cluster_states_json(const std::vector<RunResult>& runs) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const RunResult& run : runs) {
    const ClusterStates& states = run.cluster_states;
    nlohmann::ordered_json samples = nlohmann::ordered_json::array();
    for (const ClusterState& s : states.samples) {
      // Compact: a letter per node's status and a digit per node's session, as strings.
      std::string status;
      std::string zk;
      for (NodeStatus n : s.status)
        status += n == NodeStatus::up ? 'u' : n == NodeStatus::paused ? 'p' : 'd';
      for (bool live : s.zk_session)
        zk += live ? '1' : '0';
      nlohmann::ordered_json partitions = nlohmann::ordered_json::array();
      for (const PartitionStatus& p : s.partitions)
        partitions.push_back({p.leader, p.leader_epoch, p.isr});
      samples.push_back({{"t", s.time_ms},
                         {"controller", s.controller},
                         {"status", status},
                         {"zk", zk},
                         {"partitions", partitions}});
    }
    out.push_back({{"acks", to_string(run.acks)},
                   {"seed", run.seed},
                   {"nodes", states.nodes},
                   {"kinds", states.kinds},
                   {"partitions", states.partitions},
                   {"replicas", states.replicas},
                   {"samples", samples}});
  }
  return out.dump();
}

}  // namespace kafkasim
