// What the run tests share: a shipped scenario by name, and questions to a run's timeline.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "kafkasim/run/run_result.h"
#include "kafkasim/scenario/loader.h"

namespace kafkasim::test {

/// scenarios/<name>.json with `--set` overrides ("PTR=VALUE"), which must load without error.
inline Scenario load(const std::string& name, const std::vector<std::string>& sets = {}) {
  const LoadResult loaded =
      load_scenario_file(std::string(KAFKASIM_SOURCE_DIR) + "/scenarios/" + name + ".json", sets);
  REQUIRE(loaded.ok());
  return *loaded.scenario;
}

/// The timeline lines that contain `text`.
inline std::size_t timeline_count(const RunResult& run, const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(run.timeline.begin(), run.timeline.end(),
                    [&](const std::string& line) { return line.find(text) != std::string::npos; }));
}

/// The index of the first timeline line holding every one of `parts`, or -1: comparing two
/// indexes tells which of two events the timeline tells first.
inline int find_line(const RunResult& run, const std::vector<std::string>& parts) {
  for (std::size_t i = 0; i < run.timeline.size(); ++i) {
    bool all = true;
    for (const std::string& part : parts)
      all = all && run.timeline[i].find(part) != std::string::npos;
    if (all) return static_cast<int>(i);
  }
  return -1;
}

inline bool timeline_has(const RunResult& run, const std::string& text) {
  return timeline_count(run, text) > 0;
}

/// The scenario time, in seconds, of the first timeline line that contains `text` (each line
/// starts with it: "   13.002 s  ..."); -1 when no line does.
inline double timeline_seconds(const RunResult& run, const std::string& text) {
  for (const std::string& line : run.timeline) {
    if (line.find(text) != std::string::npos) return std::stod(line);
  }
  return -1;
}

}  // namespace kafkasim::test
