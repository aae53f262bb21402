// A tidy check over the model's sources: the things that would make a run depend on the machine,
// the clock or hash order instead of on the scenario and the seed (SPEC.md "Determinism").
//   - a wall clock (system/steady/high_resolution clocks, time(), gettimeofday, clock_gettime);
//   - std::rand / srand / std::random_device;
//   - std::*_distribution (their output differs between standard libraries);
//   - iterating an unordered container (its order depends on hashing and on history).
// The command line (sim/cli) and the benchmarks (sim/bench) time themselves and are exempt.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Violation {
  int line;
  std::string rule;
};

/// The source with comments and the contents of string and character literals blanked out,
/// newlines kept, so that prose about a forbidden name is not taken for a use of it.
std::string code_only(const std::string& source) {
  std::string out = source;
  enum class State { code, line_comment, block_comment, string, character } state = State::code;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    const char next = i + 1 < out.size() ? out[i + 1] : '\0';
    switch (state) {
      case State::code:
        if (c == '/' && next == '/')
          state = State::line_comment;
        else if (c == '/' && next == '*')
          state = State::block_comment;
        else if (c == '"')
          state = State::string;
        else if (c == '\'')
          state = State::character;
        if (state == State::line_comment || state == State::block_comment) out[i] = ' ';
        break;
      case State::line_comment:
        if (c == '\n')
          state = State::code;
        else
          out[i] = ' ';
        break;
      case State::block_comment:
        if (c == '*' && next == '/') {
          out[i] = out[i + 1] = ' ';
          ++i;
          state = State::code;
        } else if (c != '\n') {
          out[i] = ' ';
        }
        break;
      case State::string:
      case State::character:
        if (c == '\\') {
          out[i] = ' ';
          if (i + 1 < out.size() && out[i + 1] != '\n') out[++i] = ' ';
        } else if ((state == State::string && c == '"') ||
                   (state == State::character && c == '\'')) {
          state = State::code;
        } else if (c != '\n') {
          out[i] = ' ';
        }
        break;
    }
  }
  return out;
}

int line_of(const std::string& text, std::size_t offset) {
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

void match_all(const std::string& code, const std::regex& pattern, const std::string& rule,
               std::vector<Violation>& found) {
  for (auto it = std::sregex_iterator(code.begin(), code.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    found.push_back({line_of(code, static_cast<std::size_t>(it->position())), rule});
  }
}

std::vector<Violation> find_violations(const std::string& source) {
  const std::string code = code_only(source);
  std::vector<Violation> found;
  match_all(
      code,
      std::regex(
          R"(\b(system_clock|steady_clock|high_resolution_clock|gettimeofday|clock_gettime)\b)"),
      "wall clock", found);
  match_all(code, std::regex(R"((^|[^\w.>:])(std::)?time\s*\(\s*(nullptr|NULL|0|&))"), "wall clock",
            found);
  match_all(code, std::regex(R"(\bstd::clock\s*\()"), "wall clock", found);
  match_all(code, std::regex(R"(\b(std::)?s?rand\s*\()"), "std::rand", found);
  match_all(code, std::regex(R"(\brandom_device\b)"), "std::random_device", found);
  match_all(code, std::regex(R"(\bstd::\w+_distribution\b)"), "std::*_distribution", found);
  // Unordered containers may be used for lookups; iterating one is what leaks hash order. Find
  // the names declared with an unordered type, then any range-for or begin() over those names.
  const std::regex declaration(
      R"(unordered_(?:multi)?(?:map|set)\s*<[^;{]*>\s*&?\s*(\w+)\s*[;={(])");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(code.begin(), code.end(), declaration);
       it != std::sregex_iterator(); ++it) {
    names.insert((*it)[1].str());
  }
  for (const std::string& name : names) {
    match_all(code, std::regex(R"(for\s*\([^;)]*:\s*(\w+(\.|->))*)" + name + R"(\s*\))"),
              "iterating an unordered container", found);
    match_all(code, std::regex(R"(\b)" + name + R"(\s*(\.|->)\s*c?r?begin\s*\()"),
              "iterating an unordered container", found);
  }
  return found;
}

bool is_model_source(const fs::path& relative) {
  const std::string text = relative.generic_string();
  const bool source = relative.extension() == ".cpp" || relative.extension() == ".h";
  const bool exempt = text.starts_with("sim/cli/") || text.starts_with("sim/bench/") ||
                      text.starts_with("include/kafkasim/bench/") ||
                      text.starts_with("include/kafkasim/cli/");
  return source && !exempt;
}

}  // namespace

TEST_CASE("the checker finds each forbidden construct") {
  CHECK(find_violations("auto t = std::chrono::steady_clock::now();").size() == 1);
  CHECK(find_violations("auto t = std::chrono::system_clock::now();").size() == 1);
  CHECK(find_violations("long t = time(nullptr);").size() == 1);
  CHECK(find_violations("int r = std::rand() % 6;").size() == 1);
  CHECK(find_violations("std::random_device rd;").size() == 1);
  CHECK(find_violations("std::normal_distribution<double> d(0, 1);").size() == 1);
  CHECK(find_violations("std::unordered_map<int, int> m;\nfor (auto& [k, v] : m) {}").size() == 1);
  CHECK(find_violations("std::unordered_set<int> s;\nauto it = s.begin();").size() == 1);
  CHECK(find_violations("std::unordered_map<std::string, int> names_;\n"
                        "void f() { for (const auto& e : this->names_) {} }")
            .size() == 1);
}

TEST_CASE("the checker ignores comments, strings and harmless names") {
  CHECK(find_violations("// never use std::normal_distribution or steady_clock here").empty());
  CHECK(find_violations("/* std::rand() */ const char* s = \"system_clock\";").empty());
  CHECK(find_violations("Duration lifetime(Instant now);").empty());
  CHECK(find_violations("double operand(int x);").empty());
  CHECK(find_violations("std::unordered_map<int, int> m;\nauto found = m.find(3);").empty());
  CHECK(find_violations("Instant time() const;").empty());
}

TEST_CASE("model sources use no wall clock, no std randomness, no unordered iteration") {
  const fs::path root = KAFKASIM_SOURCE_DIR;
  int files = 0;
  for (const char* top : {"include", "sim"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      const fs::path relative = fs::relative(entry.path(), root);
      if (!entry.is_regular_file() || !is_model_source(relative)) continue;
      ++files;
      std::ifstream in(entry.path());
      std::stringstream buffer;
      buffer << in.rdbuf();
      for (const Violation& v : find_violations(buffer.str())) {
        const std::string where = relative.generic_string() + ":" + std::to_string(v.line);
        FAIL_CHECK(where << ": " << v.rule);
      }
    }
  }
  CHECK(files > 5);  // the walk really saw the model
}
