// libFuzzer target over scenario loading, validation and small simulations (issue 6).
// Build and run: scripts/fuzz.sh [seconds] (cmake --preset fuzz; corpus seeded from scenarios/).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scenario_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kafkasim::fuzz::exercise_scenario_bytes(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
