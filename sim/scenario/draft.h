// Private to the loader: a scenario while it is being read. Every list element keeps the JSON
// Pointer it came from, and whether all its required values could be read, so that the
// cross-reference checks (checks.cpp) can point at the right place and skip elements whose
// errors were already reported, and every problem of the file is reported in one pass.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "json_reader.h"
#include "kafkasim/scenario/load_limits.h"
#include "kafkasim/scenario/scenario.h"

namespace kafkasim::scenario_detail {

template <class T>
struct Item {
  T value;
  std::string pointer;   // e.g. "/topics/0"
  bool complete = true;  // every required value was read and valid
};

struct Draft {
  Scenario scenario;
  bool duration_known = false;
  bool brokers_known = false;
  std::string brokers_pointer = "/cluster/brokers";
  std::vector<Item<LinkSpec>> links;
  std::vector<Item<std::string>> switches;
  std::vector<Item<TopicSpec>> topics;
  std::vector<Item<ProducerSpec>> producers;
  std::vector<Item<ConsumerGroupSpec>> consumers;
  std::vector<Item<Fault>> faults;
};

/// True when reading `value` added no error to `diagnostics` since `errors_before`.
inline bool no_new_errors(const Diagnostics& diagnostics, std::size_t errors_before) {
  return diagnostics.error_count() == errors_before;
}

// One function per section; each reports into `diagnostics` and fills `draft`.
void read_top_level(const Json& root, Draft& draft, Diagnostics& diagnostics);
void read_cluster(const Json* value, Draft& draft, Diagnostics& diagnostics);
void read_network(const Json* value, Draft& draft, Diagnostics& diagnostics);
void read_topics(const Json* value, Draft& draft, Diagnostics& diagnostics);
void read_producers(const Json* value, Draft& draft, Diagnostics& diagnostics);
void read_consumers(const Json* value, Draft& draft, Diagnostics& diagnostics);
void read_faults(const Json* value, Draft& draft, Diagnostics& diagnostics);
void read_lesson(const Json* value, Draft& draft, Diagnostics& diagnostics);

/// Warns when a client's zookeeper.session.timeout.ms (`asked`, at `pointer`) falls outside
/// ZooKeeper's [2, 20] x tickTime, to which the server clamps it.
void check_session_timeout(Duration asked, Duration tick_time, const std::string& pointer,
                           Diagnostics& diagnostics);

/// Reports every element of `value` that is not an array as such; gives nullptr then.
const Json* as_array(const Json* value, const std::string& pointer, Diagnostics& diagnostics,
                     std::string_view expected);

enum class NodeKind { broker, zookeeper, producer, consumer_member, network_switch };

/// Every node name the scenario defines, with its kind (names defined twice keep the first).
std::map<std::string, NodeKind> node_catalog(const Draft& draft);

// Cross-reference checks, after every section was read.
void check_names(Draft& draft, Diagnostics& diagnostics);
void check_topics(const Draft& draft, Diagnostics& diagnostics);
void check_clients(const Draft& draft, Diagnostics& diagnostics);
void check_faults(const Draft& draft, Diagnostics& diagnostics);
void check_network(Draft& draft, Diagnostics& diagnostics);
/// The sizes of load_limits.h that need the whole scenario: messages per run, replicas.
void check_limits(const Draft& draft, const LoadLimits& limits, Diagnostics& diagnostics);

}  // namespace kafkasim::scenario_detail
