// Applying a --set override to the parsed document, before validation. Missing objects on the
// way are created (so /cluster/broker_config/min.insync.replicas=2 works without a
// broker_config in the file); an array index must exist, or be "-" or the array's size to
// append; a path through a number or string is an error.
#include "apply_override.h"

#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

bool parse_index(const std::string& token, std::size_t& index) {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return false;
  index = 0;
  for (const char c : token) {
    if (c < '0' || c > '9' || index > 1'000'000) return false;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}

// The child of `node` named `token`, created if `node` is an object without it; nullptr with
// a reason otherwise. `last` allows appending to an array.
Json* step(Json& node, const std::string& token, bool last, std::string& reason) {
  if (node.is_null()) node = Json::object();  // a key created on the way
  if (node.is_object()) return &node[token];
  if (node.is_array()) {
    std::size_t index = 0;
    if (last && token == "-") return &node.emplace_back();
    if (!parse_index(token, index) || index > node.size() || (index == node.size() && !last)) {
      reason = "an index of the array (0 to " + std::to_string(node.size()) + ")";
      return nullptr;
    }
    return index == node.size() ? &node.emplace_back() : &node[index];
  }
  reason = "an object or array on the way, not " + describe(node);
  return nullptr;
}

}  // namespace

void apply_override(Json& root, const Override& override_value, Diagnostics& diagnostics) {
  const auto tokens = split_pointer(override_value.pointer);
  Json* node = &root;
  std::string path;
  for (std::size_t i = 0; tokens && i < tokens->size(); ++i) {
    std::string reason;
    Json* next = step(*node, (*tokens)[i], i + 1 == tokens->size(), reason);
    path = pointer_child(path, (*tokens)[i]);
    if (next == nullptr) {
      diagnostics.note(Severity::error, override_value.pointer,
                       "--set: cannot follow the pointer at " + path + ": expected " + reason);
      return;
    }
    node = next;
  }
  *node = Json::parse(override_value.value_json);
}

}  // namespace kafkasim::scenario_detail
