#include "kafkasim/run/cluster_run.h"

#include <string>

#include <memory>

#include "cluster.h"
#include "fault_injector.h"
#include "invariant_checker.h"
#include "series_sampler.h"
#include "trace_recorder.h"

namespace kafkasim {

namespace {

/// Runs the engine to `end`; with a progress counter, in steps of one simulated second, telling
/// it the scenario time reached after each. (Stopping the clock at a step changes nothing: no
/// event is due between, and run_until runs every event due at or before its end.) A run that
/// reaches its event budget first ends here, with a message saying how far it got.
void run_until(Engine& engine, Instant end, Instant scenario_start, const RunRecording& recording,
               const Scenario& scenario, AckMode mode, std::uint64_t seed) {
  const std::uint64_t max_events = recording.limits.max_events;
  const auto within = [&](Instant t) {
    if (engine.run_until(t, max_events)) return;
    const double at_s = to_ms(engine.now() - scenario_start) / 1000.0;
    const double of_s = to_ms(scenario.duration + scenario.settle) / 1000.0;
    throw RunLimitExceeded("run " + std::string(to_string(mode)) + " seed " + std::to_string(seed) +
                           ": stopped after " + std::to_string(max_events) +
                           " events at simulated time " + std::to_string(at_s) + " s of " +
                           std::to_string(of_s) + " s (--max-events raises the limit)");
  };
  std::atomic<std::int64_t>* progress_ms = recording.progress_ms;
  if (progress_ms == nullptr && !recording.on_progress_ms) {
    within(end);
    return;
  }
  constexpr Duration kStep = std::chrono::seconds(1);
  for (Instant t = engine.now(); t < end;) {
    t = end - t > kStep ? t + kStep : end;
    within(t);
    const std::int64_t ms = (t - scenario_start) / std::chrono::milliseconds(1);
    if (progress_ms != nullptr) progress_ms->store(ms, std::memory_order_relaxed);
    if (recording.on_progress_ms) recording.on_progress_ms(ms);
  }
}

}  // namespace

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed) {
  return run_scenario(scenario, mode, seed, RunChecks::none);
}

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed,
                       RunChecks checks) {
  return run_scenario(scenario, mode, seed, checks, RunRecording{}, RunObservers{});
}

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed, RunChecks checks,
                       const RunRecording& recording) {
  return run_scenario(scenario, mode, seed, checks, recording, RunObservers{});
}

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed, RunChecks checks,
                       const RunLimits& limits) {
  RunRecording recording;
  recording.limits = limits;
  return run_scenario(scenario, mode, seed, checks, recording, RunObservers{});
}

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed, RunChecks checks,
                       const RunObservers& observers) {
  return run_scenario(scenario, mode, seed, checks, RunRecording{}, observers);
}

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed, RunChecks checks,
                       const RunRecording& recording, const RunObservers& observers) {
  const Scenario shifted = shifted_by_boot(scenario);
  Cluster cluster(shifted, mode, seed, observers.producers);
  // The checker only reads the cluster, so a checked run gives the same result.
  InvariantChecker checker(cluster);
  cluster.engine().set_schedule_observer(recording.schedule_observer);
  if (checks != RunChecks::none) {
    cluster.engine().set_after_event_hook(&InvariantChecker::after_event, &checker);
  }
  const Instant scenario_start = Instant::start() + kBootTime;
  const Instant end = scenario_start + scenario.duration;
  // The recorders only read the cluster too; they exist only when asked for.
  Series series;
  Trace trace;
  ClusterStates states;
  std::unique_ptr<SeriesSampler> sampler;
  if (recording.series_interval > Duration::zero()) {
    sampler = std::make_unique<SeriesSampler>(cluster, shifted, recording.series_interval,
                                              scenario_start, end + scenario.settle, series,
                                              recording.cluster_states ? &states : nullptr);
  }
  std::unique_ptr<TraceRecorder> recorder;
  if (recording.trace) {
    recorder = std::make_unique<TraceRecorder>(cluster, *recording.trace, scenario_start, trace);
  }
  FaultInjector faults(cluster, shifted.faults, scenario_start, end);
  run_until(cluster.engine(), end, scenario_start, recording, scenario, mode, seed);
  // SPEC.md: at duration_ms every fault has ended; the cluster settles, then the final read.
  run_until(cluster.engine(), end + scenario.settle, scenario_start, recording, scenario, mode,
            seed);
  if (checks == RunChecks::invariants_and_settled) check_settled_state(cluster);
  RunResult result = cluster.finish(mode, seed);
  // The sampler's timer events are not the model's.
  if (sampler) result.events -= sampler->fired();
  result.fault_nodes = faults.nodes_hit();
  result.series = std::move(series);
  result.trace = std::move(trace);
  result.cluster_states = std::move(states);
  return result;
}

}  // namespace kafkasim
