#include "kafkasim/run/cluster_run.h"

#include "cluster.h"
#include "fault_injector.h"
#include "invariants.h"

namespace kafkasim {

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed) {
  return run_scenario(scenario, mode, seed, RunChecks::none);
}

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed,
                       RunChecks checks) {
  return run_scenario(scenario, mode, seed, checks, RunObservers{});
}

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed, RunChecks checks,
                       const RunObservers& observers) {
  const Scenario shifted = shifted_by_boot(scenario);
  Cluster cluster(shifted, mode, seed, observers.producers);
  // The checker only reads the cluster, so a checked run gives the same result.
  InvariantChecker checker(cluster);
  if (checks == RunChecks::invariants) {
    cluster.engine().set_after_event_hook(&InvariantChecker::after_event, &checker);
  }
  const Instant scenario_start = Instant::start() + kBootTime;
  const Instant end = scenario_start + scenario.duration;
  FaultInjector faults(cluster, shifted.faults, scenario_start, end);
  cluster.engine().run_until(end);
  // SPEC.md: at duration_ms every fault has ended; the cluster settles, then the final read.
  cluster.engine().run_until(end + scenario.settle);
  return cluster.finish(mode, seed);
}

}  // namespace kafkasim
