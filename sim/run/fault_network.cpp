// The faults on the network between nodes (fault_actions.h): partition and delay.
#include "fault_actions.h"

namespace kafkasim {

void start_fault(FaultContext& context, const PartitionFault& fault, ActiveFault& active) {
  std::vector<std::vector<NodeId>> sides;
  std::string text;
  for (const auto& side : fault.sides) {
    sides.emplace_back();
    text += text.empty() ? "[" : " | [";
    for (const NodeRef& ref : side) {
      if (auto node = context.resolve(ref)) {
        sides.back().push_back(*node);
        text += (text.back() == '[' ? "" : ", ") + context.describe(*node);
      }
    }
    text += "]";
  }
  active.partition = context.cluster().network().partition(sides);
  context.note("partition", std::nullopt, "network partition starts: " + text);
  active.started = true;
}

void stop_fault(FaultContext& context, const PartitionFault& /*fault*/, ActiveFault& active) {
  context.cluster().network().heal(*active.partition);
  context.note("partition heals", std::nullopt, "network partition heals");
}

void start_fault(FaultContext& context, const DelayFault& fault, ActiveFault& active) {
  Network& network = context.cluster().network();
  const std::string extra = fault.extra_ms.to_json();
  if (fault.between) {
    const auto a = context.resolve(fault.between->first);
    const auto b = context.resolve(fault.between->second);
    if (!a || !b) return;
    active.delay = network.add_delay_between(*a, *b, fault.extra_ms);
    context.note("delay", std::nullopt,
                 "extra delay " + extra + " ms between " + context.describe(*a) + " and " +
                     context.describe(*b));
  } else {
    std::string names;
    for (const NodeRef& ref : fault.targets) {
      // A role with nobody in it now (a partition without a leader) is named as such, so
      // the line does not end on an empty list.
      const auto node = context.resolve(ref);
      if (node) active.nodes.push_back(*node);
      names += (names.empty() ? "" : ", ") +
               (node ? context.describe(*node) : ref.to_string() + " (no such node now)");
    }
    active.delay = network.add_delay(active.nodes, fault.extra_ms);
    context.note("delay", std::nullopt, "extra delay " + extra + " ms on the links of " + names);
  }
  active.started = true;
}

void stop_fault(FaultContext& context, const DelayFault& /*fault*/, ActiveFault& active) {
  context.cluster().network().end_delay(*active.delay);
  context.note("delay ends", std::nullopt, "extra delay ends");
}

}  // namespace kafkasim
