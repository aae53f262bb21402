// Loading a scenario: read, parse, apply --set overrides, validate everything, report every
// problem at once (SPEC.md "Exit status"). The CLI's `run` and `validate` call these.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafkasim/scenario/diagnostics.h"
#include "kafkasim/scenario/load_limits.h"
#include "kafkasim/scenario/scenario.h"

namespace kafkasim {

struct LoadResult {
  /// Set when there is no error (warnings allowed).
  std::optional<Scenario> scenario;
  Diagnostics diagnostics;
  bool ok() const { return scenario.has_value() && !diagnostics.has_errors(); }
};

/// `set_overrides` in "PTR=VALUE" form, applied in order. An unreadable file is a diagnostic,
/// and so is any of `limits` exceeded (a file too large is refused before it is read).
LoadResult load_scenario_file(const std::filesystem::path& file,
                              const std::vector<std::string>& set_overrides = {},
                              const LoadLimits& limits = {});

/// As load_scenario_file, for text already in memory (any bytes: the fuzzer's entry point);
/// `file_label` becomes Scenario::file.
LoadResult load_scenario_text(std::string_view text, std::string_view file_label,
                              const std::vector<std::string>& set_overrides = {},
                              const LoadLimits& limits = {});

}  // namespace kafkasim
