#include "kafkasim/scenario/node_ref.h"

#include <charconv>

namespace kafkasim {

namespace {
constexpr std::string_view kLeaderOfPrefix = "leader-of:";
constexpr std::string_view kController = "controller";
}  // namespace

std::string NodeRef::to_string() const {
  switch (kind) {
    case Kind::node:
      return node;
    case Kind::leader_of:
      return std::string(kLeaderOfPrefix) + topic + "-" + std::to_string(partition);
    case Kind::controller:
      return std::string(kController);
  }
  return node;
}

std::optional<NodeRef> parse_node_ref(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text == kController) return NodeRef{NodeRef::Kind::controller, {}, {}, 0};
  if (!text.starts_with(kLeaderOfPrefix))
    return NodeRef{NodeRef::Kind::node, std::string(text), {}, 0};
  const std::string_view rest = text.substr(kLeaderOfPrefix.size());
  // Topic names may contain '-' (Kafka's Topic.legalChars), partition numbers may not: the
  // last '-' separates them, as in Kafka's own "<topic>-<partition>" (TopicPartition.toString).
  const std::size_t dash = rest.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == rest.size()) return std::nullopt;
  const std::string_view digits = rest.substr(dash + 1);
  std::int32_t partition = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), partition);
  if (ec != std::errc() || end != digits.data() + digits.size() || partition < 0) {
    return std::nullopt;
  }
  return NodeRef{NodeRef::Kind::leader_of, {}, std::string(rest.substr(0, dash)), partition};
}

std::string broker_node_name(std::int32_t id) {
  return "broker-" + std::to_string(id);
}

}  // namespace kafkasim
