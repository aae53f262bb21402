// When send() is called: constant spacing, Poisson rates, rate changes, start and stop.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "kafkasim/client/arrival_schedule.h"

using namespace kafkasim;

namespace {

std::vector<Instant> all_arrivals(const ProducerSpec& spec, Instant end, std::uint64_t seed = 1) {
  ArrivalSchedule schedule(spec, end, Rng::stream(seed, "producer/app/arrivals"));
  std::vector<Instant> out;
  while (const auto t = schedule.next())
    out.push_back(*t);
  return out;
}

}  // namespace

TEST_CASE("constant arrivals are exactly 1/rate apart, from start_ms, none at duration") {
  ProducerSpec spec;
  spec.rate_per_s = 1000;
  const auto times = all_arrivals(spec, instant_from_ms(100));
  REQUIRE(times.size() == 100);
  for (std::size_t i = 0; i < times.size(); ++i)
    CHECK(times[i] == instant_from_ms(static_cast<double>(i)));
}

TEST_CASE("constant arrivals at a rate that is no whole number of ns do not drift") {
  ProducerSpec spec;
  spec.rate_per_s = 3000;  // 333333.33 ns apart
  const auto times = all_arrivals(spec, instant_from_ms(1000));
  CHECK(times.size() == 3000);
  for (std::size_t i = 1; i < times.size(); ++i) {
    const auto gap = (times[i] - times[i - 1]).count();
    CHECK((gap == 333333 || gap == 333334));
  }
  CHECK(times[2999].ns() == std::llround(2999 * 1e9 / 3000));
}

TEST_CASE("Poisson arrivals have the right mean rate and exponential gaps") {
  ProducerSpec spec;
  spec.rate_per_s = 2000;
  spec.arrivals = Arrivals::poisson;
  const auto times = all_arrivals(spec, instant_from_ms(60000), 7);
  // 120000 expected; the count is Poisson, standard deviation ~346: allow 4 sigma.
  CHECK(std::abs(static_cast<double>(times.size()) - 120000.0) < 4 * std::sqrt(120000.0));
  // Exponential gaps: the coefficient of variation is 1.
  double sum = 0, squares = 0;
  for (std::size_t i = 1; i < times.size(); ++i) {
    const double gap = static_cast<double>((times[i] - times[i - 1]).count());
    sum += gap;
    squares += gap * gap;
  }
  const double n = static_cast<double>(times.size() - 1);
  const double mean = sum / n;
  const double cv = std::sqrt(squares / n - mean * mean) / mean;
  CHECK(mean == doctest::Approx(500000.0).epsilon(0.02));
  CHECK(cv == doctest::Approx(1.0).epsilon(0.02));
}

TEST_CASE("a rate change applies from its instant") {
  ProducerSpec spec;
  spec.rate_per_s = 1000;
  spec.rate_changes = {{instant_from_ms(10), 4000}};
  const auto times = all_arrivals(spec, instant_from_ms(20));
  // 0..9 ms at 1 ms, then from 10 ms every 0.25 ms: 10 + 40 sends.
  REQUIRE(times.size() == 50);
  CHECK(times[9] == instant_from_ms(9));
  CHECK(times[10] == instant_from_ms(10));
  CHECK(times[11] == instant_from_ms(10.25));
  CHECK(times[49] == instant_from_ms(19.75));
}

TEST_CASE("a Poisson rate change applies from its instant") {
  ProducerSpec spec;
  spec.rate_per_s = 1000;
  spec.arrivals = Arrivals::poisson;
  spec.rate_changes = {{instant_from_ms(20000), 5000}};
  const auto times = all_arrivals(spec, instant_from_ms(40000), 3);
  std::size_t before = 0;
  for (const Instant t : times)
    if (t < instant_from_ms(20000)) ++before;
  const std::size_t after = times.size() - before;
  CHECK(std::abs(static_cast<double>(before) - 20000.0) < 4 * std::sqrt(20000.0));
  CHECK(std::abs(static_cast<double>(after) - 100000.0) < 4 * std::sqrt(100000.0));
}

TEST_CASE("a rate of zero pauses the producer until the next change") {
  ProducerSpec spec;
  spec.rate_per_s = 1000;
  spec.rate_changes = {{instant_from_ms(3), 0}, {instant_from_ms(10), 1000}};
  const auto times = all_arrivals(spec, instant_from_ms(12));
  std::vector<Instant> expected = {instant_from_ms(0), instant_from_ms(1), instant_from_ms(2),
                                   instant_from_ms(10), instant_from_ms(11)};
  CHECK(times == expected);
}

TEST_CASE("nothing is sent before start_ms nor at or after stop_ms or duration_ms") {
  ProducerSpec spec;
  spec.rate_per_s = 1000;
  spec.start = instant_from_ms(5);
  spec.stop = instant_from_ms(8);
  auto times = all_arrivals(spec, instant_from_ms(100));
  CHECK(times == std::vector<Instant>{instant_from_ms(5), instant_from_ms(6), instant_from_ms(7)});
  spec.stop = instant_from_ms(200);
  times = all_arrivals(spec, instant_from_ms(10));
  CHECK(times.back() == instant_from_ms(9));
  spec.arrivals = Arrivals::poisson;
  spec.rate_per_s = 100000;
  times = all_arrivals(spec, instant_from_ms(10));
  CHECK(times.front() >= instant_from_ms(5));
  CHECK(times.back() < instant_from_ms(10));
}

TEST_CASE("the same seed gives the same arrivals; another seed others") {
  ProducerSpec spec;
  spec.rate_per_s = 500;
  spec.arrivals = Arrivals::poisson;
  CHECK(all_arrivals(spec, instant_from_ms(1000), 1) ==
        all_arrivals(spec, instant_from_ms(1000), 1));
  CHECK(all_arrivals(spec, instant_from_ms(1000), 1) !=
        all_arrivals(spec, instant_from_ms(1000), 2));
}
