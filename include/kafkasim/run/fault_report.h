// The scenario's faults as the JSON report lists them (our extension of SPEC.md's "scenario"
// object), so that a plot can shade each fault's interval without reading the scenario file:
// after --set overrides, with until_ms filled in (a fault without it lasts to duration_ms).
#pragma once

#include <nlohmann/json.hpp>

#include "kafkasim/scenario/scenario.h"

namespace kafkasim {

/// [{"type": "crash", "target": "leader-of:orders-0", "at_ms": 10000, "until_ms": 40000}, ...]:
/// the type, the fault's own node fields as the scenario writes them (target, sides, targets or
/// between, power_loss), then at_ms and until_ms (at most duration_ms, where every fault ends).
/// Roles (leader-of:, controller) are shown as written: they are resolved when the fault starts,
/// per run (the timeline names the node).
nlohmann::ordered_json faults_json(const Scenario& scenario);

}  // namespace kafkasim
