// `kafkasim validate FILE...`: 'OK <file>' for each valid scenario, every problem of the others.
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "kafkasim/scenario/loader.h"

namespace kafkasim::cli {

void add_validate_command(CLI::App& app, int& exit_status) {
  CLI::App* validate = app.add_subcommand("validate", "Check scenario files");
  auto files = std::make_shared<std::vector<std::string>>();
  auto overrides = std::make_shared<std::vector<std::string>>();
  auto limits = std::make_shared<LoadLimits>();
  validate->add_option("files", *files, "scenario files")->required();
  validate->add_option("--set", *overrides,
                       "override one value by JSON Pointer before validation: PTR=VALUE");
  add_limit_options(*validate, *limits);
  validate->callback([files, overrides, limits, &exit_status] {
    exit_status = kExitOk;
    for (const std::string& file : *files) {
      const LoadResult result = load_scenario_file(file, *overrides, *limits);
      std::fputs(format_all(result.diagnostics, file).c_str(), stderr);
      if (result.ok()) {
        std::printf("OK %s\n", file.c_str());
      } else {
        exit_status = kExitBadInput;
      }
    }
  });
}

}  // namespace kafkasim::cli
