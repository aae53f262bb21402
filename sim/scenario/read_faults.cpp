// The `faults` section (SPEC.md "faults[]"): one reader per fault type.
#include "draft.h"
#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

const std::vector<std::string_view> kFaultTypes{
    "crash", "shutdown", "pause", "partition", "delay", "slow_disk", "zk_session_expire"};

std::vector<std::string_view> keys_of(std::string_view type) {
  std::vector<std::string_view> keys{"type", "at_ms", "until_ms"};
  if (type == "crash") keys.insert(keys.end(), {"target", "power_loss"});
  if (type == "shutdown" || type == "pause" || type == "zk_session_expire")
    keys.push_back("target");
  if (type == "partition") keys.push_back("sides");
  if (type == "delay") keys.insert(keys.end(), {"targets", "between", "extra_ms"});
  if (type == "slow_disk") keys.insert(keys.end(), {"target", "extra_ms"});
  return keys;
}

std::optional<NodeRef> read_ref(const Json& value, const std::string& pointer,
                                Diagnostics& diagnostics) {
  const char* expected = "a node name, \"leader-of:<topic>-<partition>\" or \"controller\"";
  std::optional<NodeRef> ref;
  if (value.is_string()) ref = parse_node_ref(value.get<std::string>());
  if (!ref) diagnostics.error(pointer, describe(value), expected);
  return ref;
}

std::optional<std::vector<NodeRef>> read_refs(const Json& value, const std::string& pointer,
                                              Diagnostics& diagnostics, std::size_t min_size) {
  if (!value.is_array() || value.size() < min_size) {
    diagnostics.error(pointer, describe(value),
                      "a list of at least " + std::to_string(min_size) + " node names");
    return std::nullopt;
  }
  std::vector<NodeRef> refs;
  bool ok = true;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto ref = read_ref(value[i], pointer_child(pointer, i), diagnostics);
    ok = ok && ref.has_value();
    if (ref) refs.push_back(*ref);
  }
  return ok ? std::optional(refs) : std::nullopt;
}

NodeRef required_target(const ObjectReader& reader) {
  const Json* v = reader.find("target", Need::required, "a node name");
  if (v == nullptr) return {};
  return read_ref(*v, reader.pointer_of("target"), reader.diagnostics()).value_or(NodeRef{});
}

Dist required_extra(const ObjectReader& reader) {
  reader.find("extra_ms", Need::required, "a DIST of milliseconds");
  return reader.dist("extra_ms").value_or(Dist::constant(0));
}

PartitionFault read_partition(const ObjectReader& reader) {
  PartitionFault fault;
  const Json* sides = reader.find("sides", Need::required, "a list of at least two sides");
  if (sides == nullptr) return fault;
  if (!sides->is_array() || sides->size() < 2) {
    reader.diagnostics().error(reader.pointer_of("sides"), describe(*sides),
                               "a list of at least two sides (lists of node names)");
    return fault;
  }
  for (std::size_t i = 0; i < sides->size(); ++i) {
    auto side = read_refs((*sides)[i], pointer_child(reader.pointer_of("sides"), i),
                          reader.diagnostics(), 1);
    fault.sides.push_back(side.value_or(std::vector<NodeRef>{}));
  }
  return fault;
}

DelayFault read_delay(const ObjectReader& reader) {
  DelayFault fault;
  fault.extra_ms = required_extra(reader);
  const Json* targets = reader.find("targets");
  const Json* between = reader.find("between");
  if ((targets == nullptr) == (between == nullptr)) {
    reader.diagnostics().error(reader.pointer_of("targets"), targets ? "both" : "neither",
                               "exactly one of \"targets\" and \"between\"");
    return fault;
  }
  if (targets) {
    fault.targets = read_refs(*targets, reader.pointer_of("targets"), reader.diagnostics(), 1)
                        .value_or(std::vector<NodeRef>{});
  } else if (!between->is_array() || between->size() != 2) {
    reader.diagnostics().error(reader.pointer_of("between"), describe(*between),
                               "a list of two node names");
  } else if (auto refs =
                 read_refs(*between, reader.pointer_of("between"), reader.diagnostics(), 2)) {
    fault.between = std::pair((*refs)[0], (*refs)[1]);
  }
  return fault;
}

Fault read_fault_body(std::string_view type, const ObjectReader& reader) {
  if (type == "crash") {
    return CrashFault{{}, required_target(reader), reader.boolean("power_loss").value_or(false)};
  }
  if (type == "shutdown") return ShutdownFault{{}, required_target(reader)};
  if (type == "pause") return PauseFault{{}, required_target(reader)};
  if (type == "partition") return read_partition(reader);
  if (type == "delay") return read_delay(reader);
  if (type == "slow_disk")
    return SlowDiskFault{{}, required_target(reader), required_extra(reader)};
  return ZkSessionExpireFault{{}, required_target(reader)};
}

std::optional<Item<Fault>> read_fault(const Json& value, const std::string& pointer,
                                      Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  if (!value.is_object()) {
    diagnostics.error(pointer, describe(value), "a fault object");
    return std::nullopt;
  }
  const auto type_it = value.find("type");
  if (type_it == value.end()) {
    diagnostics.error(pointer_child(pointer, "type"), "nothing",
                      expected_choice(kFaultTypes) + " (required)");
    return std::nullopt;
  }
  const auto type = read_choice(*type_it, pointer_child(pointer, "type"), diagnostics, kFaultTypes);
  if (!type) return std::nullopt;
  const ObjectReader reader(value, pointer, diagnostics, keys_of(*type));
  Fault fault = read_fault_body(*type, reader);
  const auto at = reader.instant_ms("at_ms", Need::required);
  const auto until = reader.instant_ms("until_ms");
  std::visit(
      [&](FaultWindow& w) {
        w.at = at.value_or(Instant::start());
        w.until = until;
      },
      fault);
  return Item<Fault>{fault, pointer, no_new_errors(diagnostics, errors_before)};
}

}  // namespace

void read_faults(const Json* value, Draft& draft, Diagnostics& diagnostics) {
  const Json* faults = as_array(value, "/faults", diagnostics, "a list of faults");
  if (faults == nullptr) return;
  for (std::size_t i = 0; i < faults->size(); ++i) {
    if (auto item = read_fault((*faults)[i], pointer_child("/faults", i), diagnostics)) {
      draft.faults.push_back(std::move(*item));
    }
  }
}

}  // namespace kafkasim::scenario_detail
