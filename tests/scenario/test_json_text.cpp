// What is wrong with a scenario's JSON text is told at its line and column, never thrown: a
// number beyond the range of a double (issue 10, the fuzzer's finding: nlohmann's out_of_range
// 406 used to end the CLI in "internal error"), in the file or in a --set value; and the two
// habits JSON does not allow, comments and trailing commas, are named where the parse fails.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "kafkasim/scenario/override.h"
#include "scenario_fixture.h"

using namespace kafkasim;
using kafkasim::test::all;
using kafkasim::test::load;
using kafkasim::test::valid_scenario;

namespace {

std::string fuzz_input(const std::string& name) {
  std::ifstream in(std::string(KAFKASIM_SOURCE_DIR) + "/tests/data/fuzz/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The only diagnostic of loading `text`, formatted with the file name "s.json".
std::string only_error(const std::string& text, const std::vector<std::string>& sets = {}) {
  const LoadResult r = load_scenario_text(text, "s.json", sets);
  INFO(format_all(r.diagnostics, "s.json"));
  CHECK_FALSE(r.ok());
  REQUIRE(r.diagnostics.items().size() == 1);
  return format(r.diagnostics.items()[0], "s.json");
}

constexpr const char* kRange =
    "expected a number that a double can hold (magnitude at most about 1.8e308)";

}  // namespace

TEST_CASE("the fuzzer's 0.1e1202: an error at the number's line and column, nothing thrown") {
  const std::string text = fuzz_input("fuzz-number-overflow-fetch-time.json");
  LoadResult r;
  REQUIRE_NOTHROW(r = load_scenario_text(text, "s.json"));
  CHECK_FALSE(r.ok());
  CHECK(format_all(r.diagnostics, "s.json") ==
        std::string("s.json:6:20: found 0.1e1202, ") + kRange + "\n");
}

TEST_CASE("a 401-digit integer in an array: the same error, the number shortened") {
  CHECK(only_error(fuzz_input("fuzz-number-overflow-integer-in-array.json")) ==
        std::string("s.json:19:31: found -999999999999999999999999999999999999..., ") + kRange);
}

TEST_CASE("numbers at the edges of a double") {
  // The fixture with `number`, as written, for its duration_ms.
  const auto with_duration = [](const std::string& number) {
    auto s = valid_scenario();
    s["duration_ms"] = "@";
    std::string text = s.dump();
    text.replace(text.find("\"@\""), 3, number);
    return text;
  };
  // The largest double parses (and is then out of the key's own range); the smallest
  // magnitudes round to zero, as strtod does, and are judged as zero.
  CHECK(only_error(with_duration("1.7976931348623157e308")) ==
        "s.json: /duration_ms: found 1.7976931348623157e+308, expected at most 1e12 ms");
  CHECK(only_error(with_duration("1.8e308")).ends_with(std::string(": found 1.8e308, ") + kRange));
  CHECK(only_error(with_duration("1e-400")) ==
        "s.json: /duration_ms: found 0.0, expected a number > 0");
}

TEST_CASE("a number beyond a double in a text that is not JSON: the text is told malformed") {
  // nlohmann stops at the number first; the loader looks further.
  CHECK(only_error("{\"name\": \"x\", \"seed\": 1e400 2}")
            .starts_with("s.json:1:29: malformed JSON: syntax error while parsing object"));
}

TEST_CASE("--set: a number beyond a double is refused by name, wherever it sits in the value") {
  const std::string scenario = valid_scenario().dump();
  CHECK(only_error(scenario, {"/cluster/fetch_time_ms=0.1e1202"}) ==
        std::string("s.json: /cluster/fetch_time_ms: --set: found 0.1e1202, ") + kRange);
  CHECK(only_error(scenario, {"/producers/0/rate_changes=[{\"at_ms\":-1e400,\"rate_per_s\":1}]"}) ==
        std::string("s.json: /producers/0/rate_changes: --set: found -1e400, ") + kRange);
  CHECK(number_beyond_double("[1, {\"a\": 2e400}]") == "2e400");
  CHECK(number_beyond_double("1e308").empty());
  CHECK(number_beyond_double("1e400 is big").empty());  // not JSON: a string
  // A text that is not JSON is still a plain string (SPEC.md), and 1e30 a number.
  CHECK(load(valid_scenario(), {"/description=1e400 is big"}).ok());
  CHECK(only_error(scenario, {"/cluster/fetch_time_ms=1e30"})
            .find("/cluster/fetch_time_ms: found 1e+30") != std::string::npos);
}

TEST_CASE("--set: bytes that are not UTF-8 are refused, in the value or the pointer") {
  const std::string scenario = valid_scenario().dump();
  CHECK(only_error(scenario, {"/description=\xff"}) ==
        "s.json: found --set with bytes that are not UTF-8, expected --set PTR=VALUE in UTF-8");
  CHECK(only_error(scenario, {"/cluster/\xc3=1"}).find("not UTF-8") != std::string::npos);
}

TEST_CASE("malformed JSON: a comment is named as such, in each style") {
  const std::string hint =
      "; JSON has no comments: delete this one (a scenario's notes go in \"description\")";
  CHECK(only_error("{\n  // the flagship\n  \"name\": \"x\"}").starts_with("s.json:2:3: "));
  CHECK(only_error("{\n  // the flagship\n  \"name\": \"x\"}").ends_with(hint));
  CHECK(only_error("{\"name\": \"x\" /* why */}").ends_with(hint));
  CHECK(only_error("# a scenario\n{\"name\": \"x\"}").ends_with(hint));
}

TEST_CASE("malformed JSON: a comma before } or ] is named as such") {
  const std::string hint =
      "; JSON allows no comma after the last item of an object or array: delete it";
  const std::string object = only_error("{\"name\": \"x\",\n  \"seed\": 1,\n}");
  CHECK(object.starts_with("s.json:3:1: malformed JSON: syntax error"));
  CHECK(object.ends_with(hint));
  CHECK(only_error("{\"name\": \"x\", \"acks\": [\"isr\", ]}").ends_with(hint));
}

TEST_CASE("malformed JSON elsewhere gets no such hint") {
  for (const char* text : {"{\"name\": \"x\",, \"seed\": 1}", "{\"name\": }", "{\"name\": \"x\"",
                           "{\"name\": \"x\" \"seed\": 1}", "[1, 2 / 3]"}) {
    INFO(text);
    const std::string line = only_error(text);
    CHECK(line.find("malformed JSON") != std::string::npos);
    CHECK(line.find("comment") == std::string::npos);
    CHECK(line.find("comma after") == std::string::npos);
  }
}
