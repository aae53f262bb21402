// The event budget (RunLimits): a run that would process more events ends with
// RunLimitExceeded naming the run, the limit and the simulated time reached; never a hang.
#include <doctest/doctest.h>

#include <string>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/scenario/loader.h"

using namespace kafkasim;

TEST_CASE("a run over its event budget stops with a clear error; under it, the same result") {
  const LoadResult loaded = load_scenario_file(
      std::string(KAFKASIM_SOURCE_DIR) + "/scenarios/leader-crash.json",
      {"/duration_ms=3000", "/settle_ms=1000", "/faults=[]", "/producers/0/rate_changes=[]"});
  REQUIRE(loaded.ok());
  try {
    run_scenario(*loaded.scenario, AckMode::isr, 1, RunChecks::none, RunLimits{5000});
    FAIL("the budget was not enforced");
  } catch (const RunLimitExceeded& e) {
    const std::string what = e.what();
    CHECK(what.starts_with("run isr seed 1: stopped after 5000 events at simulated time "));
    CHECK(what.ends_with(" s of 4.000000 s (--max-events raises the limit)"));
  }
  const RunResult plain = run_scenario(*loaded.scenario, AckMode::isr, 1);
  const RunResult budgeted =
      run_scenario(*loaded.scenario, AckMode::isr, 1, RunChecks::none, RunLimits{plain.events});
  CHECK(budgeted.events == plain.events);
  CHECK(budgeted.acknowledged == plain.acknowledged);
}
