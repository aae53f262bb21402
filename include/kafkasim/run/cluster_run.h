// One run: a scenario under one acknowledgement mode and one seed, from the cluster's boot to
// the final read.
//
// The cluster boots at virtual time 0: brokers connect to ZooKeeper, register, elect a
// controller, which creates the scenario's topics and their leaders. The scenario's own time 0
// (producers start, fault times) is kBootTime later, when the cluster is up; reports count time
// from there, and nothing measured includes the boot.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>

#include "kafkasim/client/producer_listener.h"
#include "kafkasim/engine/engine.h"
#include "kafkasim/run/run_result.h"
#include "kafkasim/run/trace.h"
#include "kafkasim/scenario/scenario.h"

namespace kafkasim {

inline constexpr Duration kBootTime = std::chrono::milliseconds(2000);

/// What a run checks as it goes. `invariants`: the invariants of STYLE.md point 9 (one leader
/// per partition per leader epoch; the leader's high watermark never decreases and never
/// exceeds the smallest log end offset of its ISR; the leader is in its ISR; one controller per
/// controller epoch) after every event; a violation throws a std::logic_error naming the
/// invariant, the partition or controller, the brokers, the epochs and the simulated time.
/// The checks cost O(brokers x partitions) per event; the result is the same with or without.
/// `invariants_and_settled`: the same, and at the end of the settling, the settled state
/// (liveness: every partition has a live leader, a full ISR of up replicas and its high
/// watermark at the leader's log end offset; committed data: every live replica agrees with the
/// leader below the high watermark). Only for a scenario whose settle_ms is long enough for the
/// cluster to recover from its last fault.
enum class RunChecks : std::uint8_t { none, invariants, invariants_and_settled };

/// How much one run may do. A run that would process more than `max_events` events (boot,
/// scenario and settling together) stops there with RunLimitExceeded instead of running on:
/// scenarios too big for the machine, and model bugs that schedule events forever, end with a
/// clear error, never a hang. Counting events rather than wall time keeps it deterministic.
/// The default allows about 10^8 messages (the loader's default limit, at about 19 events per
/// acks=all message with replication factor 3, measured on bench/cluster.json) and about
/// two years of an idle three-broker cluster (about 56 events per simulated second).
struct RunLimits {
  static constexpr std::uint64_t kDefaultMaxEvents = 4'000'000'000;
  std::uint64_t max_events = kDefaultMaxEvents;
};

/// Thrown by run_scenario when a run reaches RunLimits::max_events; the message names the run,
/// the limit, the simulated time reached and how to raise it.
class RunLimitExceeded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What a run records beyond its summary. Each is off unless asked for, and then costs nothing
/// (no sampling, no recording); none changes the run's results.
struct RunRecording {
  /// --series: sample every this much scenario time (RunResult::series); zero: off.
  Duration series_interval{0};
  /// --trace: record requests and timeline events overlapping this window (RunResult::trace).
  std::optional<TraceWindow> trace;
  /// With a series: the cluster's state at each sample too (RunResult::cluster_states).
  bool cluster_states = false;
  /// For a progress display: set to the scenario time simulated so far, in ms, about once per
  /// simulated second (from another thread's point of view, relaxed). nullptr: not told.
  std::atomic<std::int64_t>* progress_ms = nullptr;
  /// The same, told on the run's own thread as it goes, for a caller without a thread to
  /// watch (the browser page's worker, web/). Empty: not told.
  std::function<void(std::int64_t)> on_progress_ms;
  /// The run's event budget (not a recording, but carried with the run's other options).
  RunLimits limits;
  /// Told of every event scheduled and timer cancelled (`kafkasim bench mix`); nullptr: none.
  ScheduleObserver* schedule_observer = nullptr;
};

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed);
RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed,
                       RunChecks checks);
RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed, RunChecks checks,
                       const RunRecording& recording);
RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed, RunChecks checks,
                       const RunLimits& limits);

/// Observers a caller attaches to a run: they are told what the run's ledger is told, as it
/// happens, and cannot change the result. The report keeps latencies only as a histogram; the
/// queueing tests read every record's latency, in send order, through `producers`.
struct RunObservers {
  ProducerListener* producers = nullptr;
};

RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed, RunChecks checks,
                       const RunObservers& observers);
RunResult run_scenario(const Scenario& scenario, AckMode mode, std::uint64_t seed, RunChecks checks,
                       const RunRecording& recording, const RunObservers& observers);

}  // namespace kafkasim
