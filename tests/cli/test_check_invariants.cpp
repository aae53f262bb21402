// `kafkasim run --check-invariants`: the flagship runs clean with the checks on, and the flag
// changes nothing else in what the user sees.
#include <doctest/doctest.h>

#include <string>

#include "cli_fixture.h"

using kafkasim_test::kafkasim;
using kafkasim_test::kFlagship;
using kafkasim_test::Outcome;

TEST_CASE("run --check-invariants: exit 0 and the same table as without it") {
  const std::string args = "run " + kFlagship + " --acks none,async,isr,sync --jobs 2";
  const Outcome plain = kafkasim(args);
  const Outcome checked = kafkasim(args + " --check-invariants");
  CHECK(plain.status == 0);
  CHECK(checked.status == 0);
  CHECK(checked.out == plain.out);
}

TEST_CASE("run --help lists --check-invariants") {
  const Outcome o = kafkasim("run --help");
  CHECK(o.status == 0);
  CHECK(o.out.find("--check-invariants") != std::string::npos);
}
