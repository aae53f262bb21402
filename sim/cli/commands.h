// The subcommands of the kafkasim command line, each in its own file.
#pragma once

#include <cstdint>

#include <CLI/CLI.hpp>

#include "kafkasim/scenario/load_limits.h"
#include "number_options.h"

namespace kafkasim::cli {

/// Exit statuses (SPEC.md "Command line").
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternalError = 1;
inline constexpr int kExitBadInput = 2;

/// Bounds on options that size what a command holds in memory (threads, results).
inline constexpr std::uint64_t kMaxSeeds = 1'000'000;
inline constexpr unsigned kMaxJobs = 1024;

/// --max-messages, shared by run and validate (load_limits.h).
inline void add_limit_options(CLI::App& cmd, LoadLimits& limits) {
  cmd.add_option("--max-messages", limits.max_messages,
                 "refuse a scenario whose producers would send more messages per run than this")
      ->check(positive_finite_number())
      ->capture_default_str();
}

/// Each add_* registers a subcommand; the callback it installs stores the exit status in
/// `exit_status`, which main() returns.
void add_run_command(CLI::App& app, int& exit_status);
void add_validate_command(CLI::App& app, int& exit_status);
void add_bench_command(CLI::App& app, int& exit_status);
void add_sweep_command(CLI::App& app, int& exit_status);

}  // namespace kafkasim::cli
