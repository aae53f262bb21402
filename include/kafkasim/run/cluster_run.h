// One run: a scenario under one acknowledgement mode and one seed, from the cluster's boot to
// the final read.
//
// The cluster boots at virtual time 0: brokers connect to ZooKeeper, register, elect a
// controller, which creates the scenario's topics and their leaders. The scenario's own time 0
// (producers start, fault times) is kBootTime later, when the cluster is up; reports count time
// from there, and nothing measured includes the boot.
#pragma once

#include <chrono>
#include <cstdint>

#include "kafkasim/run/run_result.h"
#include "kafkasim/scenario/scenario.h"

namespace kafkasim {

inline constexpr Duration kBootTime = std::chrono::milliseconds(2000);

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed);

}  // namespace kafkasim
