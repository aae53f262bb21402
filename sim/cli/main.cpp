// kafkasim's command line (SPEC.md "Command line"). Parsing errors exit with status 2.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "kafkasim/run/cluster_run.h"
#include "usage_errors.h"

int main(int argc, char** argv) {
  using namespace kafkasim::cli;
  CLI::App app{"kafkasim: a deterministic simulator of a ZooKeeper-era Apache Kafka cluster"};
  app.set_version_flag("--version", "kafkasim " KAFKASIM_VERSION);
  app.require_subcommand(1);
  // A mistyped option or command is told the nearest valid name (usage_errors.h).
  app.failure_message(failure_message);
  int exit_status = kExitOk;
  add_run_command(app, exit_status);
  add_validate_command(app, exit_status);
  add_bench_command(app, exit_status);
  add_sweep_command(app, exit_status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  } catch (const kafkasim::RunLimitExceeded& e) {
    // A run over its event budget (`sweep`; `run` reports it itself): too big, not a bug.
    std::fprintf(stderr, "kafkasim: %s\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kafkasim: internal error: %s\n", e.what());
    return kExitInternalError;
  }
  return exit_status;
}
