#include "usage_errors.h"

#include <string_view>
#include <vector>

#include "kafkasim/scenario/nearest_name.h"

namespace kafkasim::cli {

namespace {

// "kafkasim run", "kafkasim bench hold": how the user spelled the command so far.
std::string command_path(const CLI::App* app) {
  std::string path;
  for (const CLI::App* a = app; a != nullptr; a = a->get_parent())
    path = a->get_parent() == nullptr ? "kafkasim" + path : " " + a->get_name() + path;
  return path;
}

// The innermost command given (`run`, `bench hold`), or the top-level app.
const CLI::App* innermost(const CLI::App* app) {
  for (std::vector<CLI::App*> given = app->get_subcommands(); !given.empty();
       given = given.front()->get_subcommands())
    app = given.front();
  return app;
}

// The innermost command given (`run`, `bench hold`) that was left arguments it did not know:
// CLI11 keeps them with the command they followed. nullptr when none was.
const CLI::App* with_leftovers(const CLI::App* app) {
  const CLI::App* found = nullptr;
  while (app != nullptr) {
    if (!app->remaining().empty()) found = app;
    const std::vector<CLI::App*> given = app->get_subcommands();
    app = given.empty() ? nullptr : given.front();
  }
  return found;
}

std::string suggestion(std::string_view name, const std::vector<std::string>& names,
                       std::string_view quote) {
  const std::vector<std::string_view> candidates(names.begin(), names.end());
  const std::string_view nearest = nearest_name(name, candidates);
  if (nearest.empty()) return {};
  return "; did you mean " + std::string(quote) + std::string(nearest) + std::string(quote) + "?";
}

std::vector<std::string> option_names(const CLI::App* app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app->get_options()) {
    for (const std::string& name : option->get_lnames())
      names.push_back("--" + name);
    for (const std::string& name : option->get_snames())
      names.push_back("-" + name);
  }
  return names;
}

std::vector<std::string> command_names(const CLI::App* app) {
  std::vector<std::string> names;
  for (const CLI::App* command : app->get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(command->get_name());
  return names;
}

// `kafkasim` and `kafkasim bench` need a command after them, and none was recognised.
bool awaits_command(const CLI::App* app) {
  return !command_names(app).empty() && app->get_subcommands().empty();
}

std::string join(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

// The first thing `app` did not know, with the nearest valid name.
std::string leftover_message(const CLI::App* app) {
  const std::vector<std::string> leftovers = app->remaining();
  const std::string& first = leftovers.front();
  const std::string path = command_path(app);
  const std::vector<std::string> commands = command_names(app);
  if (first.starts_with("-")) {
    // `--ack=all` is one argument: the option's name is before the '='.
    const std::string name = first.substr(0, first.find('='));
    const std::string hint = suggestion(name, option_names(app), "");
    return path + ": unknown option " + name +
           (hint.empty() && awaits_command(app) ? " (a command comes first: " + join(commands) + ")"
                                                : hint) +
           "\n" + "Run '" + path + " --help' for its options.\n";
  }
  if (awaits_command(app)) {
    const std::string hint = suggestion(first, commands, "\"");
    return path + ": unknown command \"" + first + "\"" +
           (hint.empty() ? " (commands: " + join(commands) + ")" : hint) + "\n" + "Run '" + path +
           " --help' for what each does.\n";
  }
  return path + ": unexpected argument " + first + "\n" + "Run '" + path +
         " --help' for its arguments.\n";
}

// CLI11's own message (a missing or invalid value, a missing argument), said by the command it
// concerns: "kafkasim run: --seeds: found 0, expected an integer in [1, 1000000]".
std::string cli11_message(const CLI::App* app, const CLI::Error& error) {
  return command_path(innermost(app)) + ": " + error.what() + "\n";
}

}  // namespace

std::string failure_message(const CLI::App* app, const CLI::Error& error) {
  const CLI::App* leftover = with_leftovers(app);
  if (leftover == nullptr) {
    return cli11_message(app, error) + "Run '" + command_path(innermost(app)) +
           " --help' for more information.\n";
  }
  // CLI11 checks options and requirements before leftovers. Its error is the leftover itself
  // ("not expected"), or caused by it (no command given when the command was mistyped), or
  // another mistake, and then both are told.
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr ||
      (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr && awaits_command(leftover))) {
    return leftover_message(leftover);
  }
  return cli11_message(app, error) + leftover_message(leftover);
}

}  // namespace kafkasim::cli
