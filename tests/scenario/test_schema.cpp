// scenarios/schema.json against the loader: every shipped scenario validates, structurally bad
// ones do not, and the Kafka settings the schema lists as simulated are exactly the loader's
// table (modeled_config_names), so the two cannot drift apart silently.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

// valijson is a third-party header library; its code is not held to our warning flags.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wpedantic"
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#pragma GCC diagnostic pop

#include "kafkasim/scenario/config_table.h"
#include "scenario_fixture.h"

namespace {

const std::filesystem::path kScenarios = std::filesystem::path(KAFKASIM_SOURCE_DIR) / "scenarios";

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

const nlohmann::json& schema_json() {
  static const nlohmann::json schema = read_json(kScenarios / "schema.json");
  return schema;
}

class SchemaValidator {
 public:
  SchemaValidator() {
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(schema_json());
    parser.populateSchema(adapter, schema_);
  }

  /// "" if `doc` validates, else valijson's first errors, one per line.
  std::string errors(const nlohmann::json& doc) const {
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(doc);
    if (validator.validate(schema_, target, &results)) return "";
    std::string text;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      std::string context;
      for (const std::string& c : error.context)
        context += c;
      text += context + ": " + error.description + "\n";
    }
    return text.empty() ? "invalid" : text;
  }

 private:
  valijson::Schema schema_;
};

const SchemaValidator& validator() {
  static const SchemaValidator v;
  return v;
}

std::set<std::string> schema_names(std::string_view definition, std::string_view marker) {
  std::set<std::string> names;
  const auto& props = schema_json()["definitions"][std::string(definition)]["properties"];
  for (const auto& [name, prop] : props.items()) {
    if (prop.value("x-kafkasim", "") == marker) names.insert(name);
  }
  return names;
}

template <class Names>
std::set<std::string> as_set(const Names& names) {
  return {names.begin(), names.end()};
}

}  // namespace

TEST_CASE("every shipped scenario validates against the schema") {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kScenarios)) {
    if (entry.path().extension() == ".json" && entry.path().filename() != "schema.json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());
  for (const auto& file : files) {
    INFO(file.string());
    CHECK(validator().errors(read_json(file)) == "");
  }
}

TEST_CASE("the test fixture validates against the schema") {
  CHECK(validator().errors(kafkasim::test::valid_scenario()) == "");
}

TEST_CASE("structurally bad scenarios fail the schema") {
  using nlohmann::json;
  const auto broken = [](auto edit) {
    json s = kafkasim::test::valid_scenario();
    edit(s);
    return validator().errors(s);
  };
  CHECK(broken([](json& s) { s.erase("name"); }) != "");
  CHECK(broken([](json& s) { s["cluster"]["broker_confg"] = json::object(); }) != "");
  CHECK(broken([](json& s) { s["cluster"]["broker_config"]["min.insync.replica"] = 2; }) != "");
  CHECK(broken([](json& s) { s["cluster"]["broker_config"]["min.insync.replicas"] = "2"; }) != "");
  CHECK(broken([](json& s) { s["topics"][0]["partitions"] = 0; }) != "");
  CHECK(broken([](json& s) { s["faults"][0]["type"] = "explode"; }) != "");
  CHECK(broken([](json& s) { s["faults"][0].erase("target"); }) != "");
  CHECK(broken([](json& s) {
          s["network"] = {{"latency_ms", {{"dist", "normal"}, {"mean", 1}}}};
        }) != "");
  CHECK(broken([](json& s) { s["producers"][0]["config"]["acks"] = "2"; }) != "");
  // Known Kafka settings the model ignores are allowed, as the loader allows them.
  CHECK(broken([](json& s) { s["cluster"]["broker_config"]["log.retention.hours"] = 1; }) == "");
}

TEST_CASE("the schema's simulated Kafka settings are the loader's table") {
  using kafkasim::ConfigScope;
  const std::pair<ConfigScope, const char*> scopes[] = {{ConfigScope::broker, "broker_config"},
                                                        {ConfigScope::topic, "topic_config"},
                                                        {ConfigScope::producer, "producer_config"},
                                                        {ConfigScope::consumer, "consumer_config"}};
  for (const auto& [scope, definition] : scopes) {
    INFO(definition);
    CHECK(schema_names(definition, "simulated") == as_set(kafkasim::modeled_config_names(scope)));
    CHECK(schema_names(definition, "ignored") ==
          as_set(kafkasim::known_unmodeled_config_names(scope)));
  }
}

TEST_CASE("the schema's defaults are the loader's Kafka defaults") {
  for (const kafkasim::ConfigKeyInfo& key :
       kafkasim::modeled_config_keys(kafkasim::ConfigScope::broker)) {
    INFO(key.name);
    const auto& prop =
        schema_json()["definitions"]["broker_config"]["properties"][std::string(key.name)];
    CHECK(prop["default"] == nlohmann::json::parse(key.default_json));
  }
}
