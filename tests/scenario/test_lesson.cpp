// The optional `lesson` object of a scenario (SPEC.md "Additions"): read into Scenario::lesson,
// its shape checked with the file, pointer, what was found and expected, as every key is.
#include <doctest/doctest.h>

#include "scenario_fixture.h"

using kafkasim::AckMode;
using kafkasim::test::at;
using kafkasim::test::load;
using kafkasim::test::single_error;
using kafkasim::test::valid_scenario;

namespace {

nlohmann::json with_lesson() {
  auto s = valid_scenario();
  s["lesson"] = nlohmann::json::parse(R"({
    "question": "Is the write safe?",
    "predictions": [
      {"ask": "Lost under acks=1?", "field": "lost_acknowledged", "mode": "async"},
      {"ask": "Billing's peak lag?", "field": "consumer_groups.billing.max_lag", "mode": "isr"}
    ],
    "observe": "The lost acknowledged row."
  })");
  return s;
}

}  // namespace

TEST_CASE("a lesson is read into the scenario") {
  const auto r = load(with_lesson());
  INFO(kafkasim::test::all(r));
  REQUIRE(r.ok());
  REQUIRE(r.scenario->lesson.has_value());
  const kafkasim::Lesson& lesson = *r.scenario->lesson;
  CHECK(lesson.question == "Is the write safe?");
  CHECK(lesson.observe == "The lost acknowledged row.");
  REQUIRE(lesson.predictions.size() == 2);
  CHECK(lesson.predictions[0].field == "lost_acknowledged");
  CHECK(lesson.predictions[0].mode == AckMode::async);
  CHECK(lesson.predictions[1].field == "consumer_groups.billing.max_lag");
  CHECK(lesson.predictions[1].mode == AckMode::isr);
}

TEST_CASE("a scenario without a lesson has none") {
  const auto r = load(valid_scenario());
  REQUIRE(r.ok());
  CHECK_FALSE(r.scenario->lesson.has_value());
}

TEST_CASE("a prediction's field must be a run field of the report") {
  auto s = with_lesson();
  s["lesson"]["predictions"][0]["field"] = "lost_acknowleged.x";
  CHECK(single_error(load(s), "/lesson/predictions/0/field") ==
        "test.json: /lesson/predictions/0/field: found \"lost_acknowleged.x\", expected a run "
        "field of the report (produced, lost_acknowledged, latency_ms.p99, "
        "consumer_groups.<group>.max_lag, ...); did you mean \"lost_acknowledged\"?");
}

TEST_CASE("a prediction's mode is one of the four") {
  auto s = with_lesson();
  s["lesson"]["predictions"][1]["mode"] = "all";
  const auto r = load(s);
  CHECK_FALSE(r.ok());
  CHECK(at(r, "/lesson/predictions/1/mode") != nullptr);
  s["lesson"]["predictions"][1].erase("mode");
  CHECK(at(load(s), "/lesson/predictions/1/mode") != nullptr);
}

TEST_CASE("a lesson needs its question, and knows its keys") {
  auto s = with_lesson();
  s["lesson"].erase("question");
  CHECK(at(load(s), "/lesson/question") != nullptr);
  s = with_lesson();
  s["lesson"]["observ"] = "x";
  CHECK(single_error(load(s), "/lesson/observ") ==
        "test.json: /lesson/observ: unknown key \"observ\"; did you mean \"observe\"?");
}
