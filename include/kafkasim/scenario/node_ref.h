// How a fault names the node it hits (SPEC.md "Node names"): a node name, or a role resolved
// when the fault starts, `leader-of:<topic>-<partition>` or `controller`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kafkasim {

struct NodeRef {
  enum class Kind {
    node,        // a fixed node: broker-<id>, zookeeper, a producer, <group>-<index>, a switch
    leader_of,   // the broker leading `topic`-`partition` when the fault starts
    controller,  // the broker that is controller when the fault starts
  };
  Kind kind = Kind::node;
  std::string node;            // Kind::node only
  std::string topic;           // Kind::leader_of only
  std::int32_t partition = 0;  // Kind::leader_of only

  /// The form a scenario writes.
  std::string to_string() const;
  bool is_role() const { return kind != Kind::node; }
  bool operator==(const NodeRef&) const = default;
};

/// Parses a target. Topic names may contain '-', so `leader-of:my-topic-3` splits at the LAST
/// '-': topic "my-topic", partition 3. Nullopt if a `leader-of:` text has no topic or no
/// decimal partition, or the text is empty.
std::optional<NodeRef> parse_node_ref(std::string_view text);

/// The node name of broker `id`: "broker-<id>".
std::string broker_node_name(std::int32_t id);

}  // namespace kafkasim
