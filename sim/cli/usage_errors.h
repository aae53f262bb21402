// What a mistyped command line is told (issue 14: a student's mistakes get the help a scenario
// typo gets). CLI11's own words stay for everything else; an unknown option or command gets the
// nearest valid name, by the scenario loader's nearest_name:
//   kafkasim run: unknown option --ack; did you mean --acks?
//   kafkasim: unknown command "runn"; did you mean "run"?
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace kafkasim::cli {

/// CLI11's failure-message hook (CLI::App::failure_message), for the top-level app: `app` is
/// the app main() called exit() on, after `error` ended its parse. Ends in a newline.
std::string failure_message(const CLI::App* app, const CLI::Error& error);

}  // namespace kafkasim::cli
