#include "kafkasim/run/cluster_run.h"

#include <string>

#include "cluster.h"
#include "fault_injector.h"
#include "invariants.h"

namespace kafkasim {

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed) {
  return run_scenario(scenario, mode, seed, RunChecks::none);
}

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed,
                       RunChecks checks) {
  return run_scenario(scenario, mode, seed, checks, RunObservers{}, RunLimits{});
}

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed, RunChecks checks,
                       const RunLimits& limits) {
  return run_scenario(scenario, mode, seed, checks, RunObservers{}, limits);
}

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed, RunChecks checks,
                       const RunObservers& observers) {
  return run_scenario(scenario, mode, seed, checks, observers, RunLimits{});
}

namespace {

// Runs the cluster to `until`; a run that reaches its event budget first ends here, with a
// message saying how far it got.
void run_within_limits(Cluster& cluster, Instant until, Instant scenario_start,
                       const Scenario& scenario, AckMode mode, std::uint64_t seed,
                       const RunLimits& limits) {
  if (cluster.engine().run_until(until, limits.max_events)) return;
  const double at_s = to_ms(cluster.engine().now() - scenario_start) / 1000.0;
  const double of_s = to_ms(scenario.duration + scenario.settle) / 1000.0;
  throw RunLimitExceeded("run " + std::string(to_string(mode)) + " seed " + std::to_string(seed) +
                         ": stopped after " + std::to_string(limits.max_events) +
                         " events at simulated time " + std::to_string(at_s) + " s of " +
                         std::to_string(of_s) + " s (--max-events raises the limit)");
}

}  // namespace

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed, RunChecks checks,
                       const RunObservers& observers, const RunLimits& limits) {
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
  run_within_limits(cluster, end, scenario_start, scenario, mode, seed, limits);
  // SPEC.md: at duration_ms every fault has ended; the cluster settles, then the final read.
  run_within_limits(cluster, end + scenario.settle, scenario_start, scenario, mode, seed, limits);
  return cluster.finish(mode, seed);
}

}  // namespace kafkasim
