// What the scenario fuzzer does with one input, shared by the libFuzzer target
// (fuzz_scenario.cpp) and the test that replays every input it ever crashed on
// (tests/fuzz/test_regressions.cpp), so a regression file is replayed exactly as found.
#pragma once

#include <cstdint>
#include <string_view>

namespace kafkasim::fuzz {

/// Events each simulated run of a fuzz input may process before it stops with
/// RunLimitExceeded (an expected ending, not a finding): enough for the boot, a few seconds of
/// traffic and faults, small enough for dozens of inputs per second under the sanitizers.
inline constexpr std::uint64_t kEventBudget = 20'000;

/// Loads `bytes` as a scenario file and formats every diagnostic. When the scenario is valid
/// and small (at most 7 brokers, 64 partition replicas, 8 producers), it also runs it under
/// each of its modes with the invariant checker on and kEventBudget, and formats the reports.
/// Everything it does must end normally: a crash, a sanitizer report or an exception other
/// than RunLimitExceeded escaping is a finding.
void exercise_scenario_bytes(std::string_view bytes);

}  // namespace kafkasim::fuzz
