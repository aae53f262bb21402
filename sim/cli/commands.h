// The subcommands of the kafkasim command line, each in its own file.
#pragma once

#include <CLI/CLI.hpp>

namespace kafkasim::cli {

/// Exit statuses (SPEC.md "Command line").
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternalError = 1;
inline constexpr int kExitBadInput = 2;

/// Each add_* registers a subcommand; the callback it installs stores the exit status in
/// `exit_status`, which main() returns.
void add_run_command(CLI::App& app, int& exit_status);
void add_validate_command(CLI::App& app, int& exit_status);
void add_bench_command(CLI::App& app, int& exit_status);
void add_sweep_command(CLI::App& app, int& exit_status);

}  // namespace kafkasim::cli
