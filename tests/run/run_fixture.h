// What the run tests share: the shipped scenarios, loaded by name.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "kafkasim/scenario/loader.h"

namespace kafkasim_test {

/// scenarios/<name>.json from the source tree; the test fails if it does not load.
inline kafkasim::Scenario shipped_scenario(const std::string& name) {
  const kafkasim::LoadResult loaded = kafkasim::load_scenario_file(
      std::string(KAFKASIM_SOURCE_DIR) + "/scenarios/" + name + ".json");
  REQUIRE(loaded.ok());
  return *loaded.scenario;
}

}  // namespace kafkasim_test
