// PurgatoryTimeouts: the deadlines of a broker's parked produces, for its one purgatory timer.
#include "kafkasim/kafka/purgatory_timeouts.h"

#include <doctest/doctest.h>

using namespace kafkasim;

TEST_CASE("the earliest deadline comes first, and requests due together in the order parked") {
  PurgatoryTimeouts t;
  CHECK_FALSE(t.earliest().has_value());
  t.add(Instant::from_ns(300), 1);
  t.add(Instant::from_ns(200), 2);  // a shorter request timeout, parked later
  t.add(Instant::from_ns(200), 3);
  REQUIRE(t.earliest() == Instant::from_ns(200));
  CHECK(t.first_due() == 2);
  t.remove(Instant::from_ns(200), 2);
  CHECK(t.first_due() == 3);
  t.remove(Instant::from_ns(200), 3);
  CHECK(t.earliest() == Instant::from_ns(300));
  CHECK(t.first_due() == 1);
  CHECK(t.size() == 1);
}

TEST_CASE("an answered request's deadline no longer counts, wherever it stands") {
  PurgatoryTimeouts t;
  for (std::uint64_t id = 1; id <= 5; ++id)
    t.add(Instant::from_ns(static_cast<std::int64_t>(100 * id)), id);
  t.remove(Instant::from_ns(300), 3);  // from the middle
  t.remove(Instant::from_ns(100), 1);  // the earliest
  CHECK(t.earliest() == Instant::from_ns(200));
  CHECK(t.first_due() == 2);
  CHECK(t.size() == 3);
  t.clear();
  CHECK_FALSE(t.earliest().has_value());
}
