// Queueing exactness (issue 4, item 4): a broker's request-handler pool is a queueing station
// (num.io.threads servers, one FIFO queue; kafka/request_handler_pool.h), and in the
// configurations of tests/data/queueing/ the simulator must reproduce queueing theory:
// M/M/1 (mean 1/(mu - lambda) and the exponential sojourn's quantiles), M/M/c (Erlang C) and
// M/D/1 (Pollaczek-Khinchine). Each scenario's description says why a record's latency (send()
// to acknowledgement, acks=1) is exactly its sojourn time there; README "Queueing exactness"
// lists what had to be switched off and why.
//
// Tolerances come from the run itself, by batch means (stats/batch_means.h): the records sent
// after a warm-up, in send order, are cut into kBatches = 32 consecutive batches; each check
// is that theory lies within the two-sided 1 - kAlpha = 99.9% confidence interval, mean +-
// t(0.9995; 31) s_B / sqrt(32) = 3.633 standard errors. The percentile checks test the CDF at
// the theoretical quantile q_p: the fraction of records with latency <= q_p must be p within
// its own batch-means interval (the same statement as "the measured p-quantile is q_p", without
// the density estimate a quantile's standard error needs). For M/M/1 the variance constant of
// the mean is known in closed form, which gives a second, run-independent tolerance for the
// mean and a check of the batch-means variance itself (check_mm1_variance). Twenty-six checks
// at 0.1% each: a correct simulator fails one, for a given seed, with probability below 2.6%
// (Bonferroni).
//
// Power: every interval must also be narrow, its half-width at most kMaxRelativeHalfWidth = 5%
// of the theoretical value (for a CDF check, of q_p, the half-width turned into time through
// the sojourn density), so that a shortened run fails rather than passing by being vague. Each
// check prints the smallest bias it would detect 90% of the time, (t(0.9995) + t(0.9))
// standard errors; README "Queueing exactness" tabulates them. One test checks the checks: a
// server 2% slower than the theory assumes must be rejected. Run lengths (0.5 to 3.2 million
// records) keep the whole file near 10 s of CPU in the RelWithDebInfo build.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "kafkasim/run/cluster_run.h"
#include "kafkasim/scenario/loader.h"
#include "kafkasim/stats/batch_means.h"
#include "kafkasim/stats/queueing.h"
#include "kafkasim/stats/sampling_distributions.h"

using namespace kafkasim;

namespace {

constexpr std::size_t kBatches = 32;
constexpr double kAlpha = 0.001;
// Records sent before this are left out: the pool starts empty. The slowest configuration
// (rho 0.8, one server, mu = 1/ms) relaxes in about 1 / (mu (1 - sqrt(rho))^2) = 89 ms
// (Morse's relaxation time, Operations Research 3, 1955); 2000 ms is over 20 of them.
constexpr double kWarmupMs = 2000;
// A check whose 99.9% half-width exceeds this fraction of the theoretical value is too weak
// to mean anything: the run is too short.
constexpr double kMaxRelativeHalfWidth = 0.05;

// The scenario's seed (1), or KAFKASIM_QUEUEING_SEED to try others: the checks are statistical,
// and README "Queueing exactness" reports how they fare over several seeds.
Scenario load(const std::string& name) {
  const LoadResult loaded = load_scenario_file(std::string(KAFKASIM_SOURCE_DIR) +
                                               "/tests/data/queueing/" + name + ".json");
  REQUIRE(loaded.ok());
  Scenario scenario = *loaded.scenario;
  if (const char* seed = std::getenv("KAFKASIM_QUEUEING_SEED")) {
    scenario.seed = std::stoull(seed);
  }
  return scenario;
}

// Every record's send() instant and latency. Records are kept per producer by sequence number
// (one partition: a producer's sequence is its send order) and merged into send order across
// producers, so one Poisson stream spread over many producers reads as one stream.
class LatencyRecorder final : public ProducerListener {
 public:
  void on_send(ProducerIndex producer, TopicPartition /*tp*/, std::uint32_t sequence,
               std::int64_t /*key*/, Instant now) override {
    Stream& s = stream(producer);
    if (sequence != s.sent.size()) throw std::logic_error("records out of send order");
    s.sent.push_back(now);
    s.latency_ns.push_back(-1);
  }
  void on_acknowledged(const BatchOutcome& batch) override {
    Stream& s = stream(batch.producer);
    for (std::uint32_t i = 0; i < batch.record_count; ++i)
      s.latency_ns[batch.first_sequence + i] = (batch.now - batch.send_times[i]).count();
  }
  void on_failed(const BatchOutcome& /*batch*/) override { ++failed_; }
  // These runs crash no producer; an abandoned record would be as wrong as a failed one.
  void on_abandoned(const BatchOutcome& /*batch*/) override { ++failed_; }

  std::size_t sent() const {
    std::size_t n = 0;
    for (const Stream& s : streams_)
      n += s.sent.size();
    return n;
  }
  std::uint64_t failed() const { return failed_; }
  /// Latencies in ms, in send order, of the records sent at or after `from_ms` of scenario time.
  std::vector<double> latencies_ms(double from_ms) const {
    std::vector<double> out;
    const Instant scenario_start = Instant::start() + kBootTime;
    for (const auto& [sent, latency_ns] : in_send_order()) {
      if (to_ms(sent - scenario_start) < from_ms) continue;
      out.push_back(static_cast<double>(latency_ns) / 1e6);
    }
    return out;
  }
  std::vector<std::int64_t> latencies_ns() const {
    std::vector<std::int64_t> out;
    for (const auto& [sent, latency_ns] : in_send_order())
      out.push_back(latency_ns);
    return out;
  }
  /// The fraction of records sent while their own producer's previous record was still
  /// unacknowledged: under SocketServer's mute (one request per connection at a time) only these
  /// can wait for anything but the handler pool.
  double fraction_sent_behind_own_previous() const {
    std::size_t behind = 0;
    for (const Stream& s : streams_) {
      for (std::size_t i = 1; i < s.sent.size(); ++i)
        if (s.sent[i] < s.sent[i - 1] + std::chrono::nanoseconds(s.latency_ns[i - 1])) ++behind;
    }
    return static_cast<double>(behind) / static_cast<double>(sent());
  }

 private:
  struct Stream {
    std::vector<Instant> sent;
    std::vector<std::int64_t> latency_ns;
  };
  Stream& stream(ProducerIndex producer) {
    if (producer.value() >= streams_.size()) streams_.resize(producer.value() + 1);
    return streams_[producer.value()];
  }
  // (send instant, latency), ordered by send instant; ties (none in practice: Poisson instants
  // are distinct nanoseconds) keep producer order.
  std::vector<std::pair<Instant, std::int64_t>> in_send_order() const {
    std::vector<std::pair<Instant, std::int64_t>> all;
    all.reserve(sent());
    for (const Stream& s : streams_) {
      for (std::size_t i = 0; i < s.sent.size(); ++i)
        all.emplace_back(s.sent[i], s.latency_ns[i]);
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return all;
  }

  std::vector<Stream> streams_;
  std::uint64_t failed_ = 0;
};

struct Measured {
  RunResult result;
  std::vector<double> latencies_ms;  // after the warm-up, in send order
  std::vector<std::int64_t> all_latencies_ns;
  double sent_behind_own_previous = 0;
};

Measured run(const Scenario& scenario) {
  LatencyRecorder recorder;
  Measured m;
  m.result = run_scenario(scenario, AckMode::async, scenario.seed, RunChecks::none,
                          RunObservers{&recorder});
  // Every record is acknowledged once: no failure, nothing pending, none lost.
  REQUIRE(m.result.produced == recorder.sent());
  REQUIRE(m.result.acknowledged == m.result.produced);
  REQUIRE(recorder.failed() == 0);
  m.all_latencies_ns = recorder.latencies_ns();
  REQUIRE(std::find(m.all_latencies_ns.begin(), m.all_latencies_ns.end(), -1) ==
          m.all_latencies_ns.end());
  m.latencies_ms = recorder.latencies_ms(kWarmupMs);
  m.sent_behind_own_previous = recorder.fraction_sent_behind_own_previous();
  return m;
}

// One check: the batch-means interval of `samples`' mean holds `theory`.
struct Check {
  std::string what;
  double theory;
  BatchMeans measured;
  double half_width;
  bool passed;
};

Check check_mean(const std::string& what, const std::vector<double>& samples, double theory) {
  const BatchMeans bm = batch_means(samples, kBatches);
  const double hw = bm.half_width(kAlpha);
  const Check c{what, theory, bm, hw, std::abs(bm.mean - theory) <= hw};
  const double detectable =
      (student_t_quantile(1 - kAlpha / 2, kBatches - 1) + student_t_quantile(0.9, kBatches - 1)) *
      bm.standard_error;
  MESSAGE(what << ": measured " << bm.mean << ", theory " << theory << ", tolerance +-" << hw
               << " (" << 100 * hw / theory << "% ; se " << bm.standard_error
               << ", lag-1 corr of batch means " << bm.lag1_correlation << "); a bias of "
               << detectable << " would be caught 90% of the time");
  return c;
}

void require(const Check& c) {
  INFO(c.what);
  CHECK(c.passed);
  CHECK(c.half_width <= kMaxRelativeHalfWidth * c.theory);
}

// The fraction of samples <= q, as a sequence of 0/1 whose mean is the empirical CDF at q.
std::vector<double> at_most(const std::vector<double>& samples, double q) {
  std::vector<double> out(samples.size());
  std::transform(samples.begin(), samples.end(), out.begin(),
                 [q](double x) { return x <= q ? 1.0 : 0.0; });
  return out;
}

// The empirical p-quantile (nearest rank), for the printed comparison only.
double empirical_quantile(std::vector<double> samples, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(samples.size())));
  const auto k = std::max<std::size_t>(rank, 1) - 1;
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(k),
                   samples.end());
  return samples[k];
}

// M/M/1 only: the asymptotic variance of the sojourn mean is known (stats/queueing.h), so
// (1) the mean is checked once more with a tolerance that does not depend on the run's own
// scatter, z(0.9995) sqrt(sigma^2 / n), and (2) the batch-means variance the other checks rely
// on must agree with it: (B - 1) n se^2 / sigma^2 is about chi-square with B - 1 degrees of
// freedom, so n se^2 / sigma^2 must lie between its 0.05% and 99.95% quantiles over B - 1
// (0.37 and 2.05): batches too short to be independent would make it too small.
void check_mm1_variance(const std::string& name, const Check& mean, double sigma2) {
  const BatchMeans& bm = mean.measured;
  const double n = static_cast<double>(bm.batches * bm.batch_size);
  const double known_hw = normal_quantile(1 - kAlpha / 2) * std::sqrt(sigma2 / n);
  const double ratio = n * bm.standard_error * bm.standard_error / sigma2;
  const auto df = static_cast<std::int64_t>(bm.batches) - 1;
  const double low = chi_square_quantile(kAlpha / 2, df) / static_cast<double>(df);
  const double high = chi_square_quantile(1 - kAlpha / 2, df) / static_cast<double>(df);
  MESSAGE(name << " with the known variance constant " << sigma2 << " ms^2: tolerance +-"
               << known_hw << "; batch means estimate it as "
               << n * bm.standard_error * bm.standard_error << " (ratio " << ratio << ", allowed "
               << low << " to " << high << ")");
  INFO(name);
  CHECK(std::abs(bm.mean - mean.theory) <= known_hw);
  CHECK(ratio >= low);
  CHECK(ratio <= high);
}

// The scenario's one Poisson producer split into `producers` producers of rate lambda/producers
// each, with their own connections: their superposition is the same Poisson stream of rate
// lambda (independent Poisson processes add). Kafka's SocketServer reads one request per
// connection at a time (kafka/socket_server.h), so one producer can keep only one of c threads
// busy; spread thin, a producer rarely has a record in the pool when its next one is sent
// (probability about (lambda/producers) W, W the mean sojourn), and only such a record can wait
// for anything but the pool. check_mmc measures that fraction and bounds it.
Scenario spread_over_producers(Scenario scenario, std::size_t producers) {
  REQUIRE(scenario.producers.size() == 1);
  ProducerSpec one = scenario.producers.front();
  one.rate_per_s /= static_cast<double>(producers);
  scenario.producers.clear();
  for (std::size_t i = 0; i < producers; ++i) {
    ProducerSpec p = one;
    p.name = one.name + "-" + std::to_string(i);
    scenario.producers.push_back(std::move(p));
  }
  return scenario;
}

// A record sent behind its own producer's previous one waits at most for that one's sojourn:
// at 0.5% of records the mean moves by about 0.005 W, a quarter of what the checks below can
// detect (their half-width is at most 5%, and in these runs about 1-2%, of W).
constexpr double kMaxSentBehindOwnPrevious = 0.005;

// Mean and the sojourn CDF at p = 0.5, 0.9, 0.99 against an M/M/c queue.
void check_mmc(const std::string& name, std::size_t producers = 1) {
  const Scenario scenario = spread_over_producers(load(name), producers);
  const double lambda =
      scenario.producers.at(0).rate_per_s * static_cast<double>(producers) / 1000.0;  // per ms
  const double mu = 1.0;  // produce_time_ms mean 1
  const std::int32_t c = scenario.cluster.broker_config.num_io_threads;
  const MMcQueue queue(lambda, mu, c);
  const Measured m = run(scenario);
  MESSAGE(name << ": " << m.latencies_ms.size() << " records after the warm-up from " << producers
               << " producer(s), rho " << queue.utilisation() << ", P(wait) "
               << queue.probability_of_waiting());
  if (producers > 1) {
    MESSAGE(name << ": " << 100 * m.sent_behind_own_previous
                 << "% of records sent while their producer's previous record was in the pool");
    CHECK(m.sent_behind_own_previous <= kMaxSentBehindOwnPrevious);
  }
  const Check mean = check_mean(name + " mean sojourn ms", m.latencies_ms, queue.mean_sojourn());
  require(mean);
  if (c == 1) check_mm1_variance(name, mean, mm1_sojourn_variance_constant(lambda, mu));
  for (const double p : {0.5, 0.9, 0.99}) {
    const double q = queue.sojourn_quantile(p);
    const Check cdf =
        check_mean(name + " P(sojourn <= q" + std::to_string(std::lround(100 * p)) + ")",
                   at_most(m.latencies_ms, q), p);
    INFO(cdf.what);
    CHECK(cdf.passed);
    // The interval's width in time: h / f(q_p), f the sojourn density (a central difference of
    // the CDF), as a fraction of q_p. It must meet the same bound as a mean's.
    const double step = 1e-6 * q;
    const double density = (queue.sojourn_cdf(q + step) - queue.sojourn_cdf(q - step)) / (2 * step);
    const double relative_in_time = cdf.half_width / density / q;
    MESSAGE(name << " p" << 100 * p << ": measured " << empirical_quantile(m.latencies_ms, p)
                 << " ms, theory " << q << " ms, tolerance in time +-" << 100 * relative_in_time
                 << "%");
    CHECK(relative_in_time <= kMaxRelativeHalfWidth);
  }
}

}  // namespace

TEST_CASE("M/M/1 at rho 0.5 and 0.8: mean 1/(mu - lambda), exponential sojourn quantiles") {
  check_mmc("mm1-rho50");
  check_mmc("mm1-rho80");
}

// Kafka's SocketServer reads one request per connection at a time (kafka/socket_server.h): one
// producer can keep only one of the c threads busy. The M/M/c stream is therefore spread over
// 2,000 producers (connections), as a pool with c threads serves many clients in Kafka.
TEST_CASE("M/M/c: Erlang C waiting plus service, and the M/M/c sojourn quantiles") {
  check_mmc("mm2-rho80", 2000);
  check_mmc("mm4-rho50", 2000);
}

TEST_CASE("M/D/1 at rho 0.5 and 0.8: Pollaczek-Khinchine mean; no hidden delay") {
  for (const std::string name : {"md1-rho50", "md1-rho80"}) {
    const Scenario scenario = load(name);
    const double lambda = scenario.producers.at(0).rate_per_s / 1000.0;
    const double service = 1.0;
    const Measured m = run(scenario);
    MESSAGE(name << ": " << m.latencies_ms.size() << " records after the warm-up");
    require(
        check_mean(name + " mean sojourn ms", m.latencies_ms, md1_mean_sojourn(lambda, service)));
    // No delay outside the pool: a record that finds a free thread is acknowledged exactly
    // produce_time_ms (1,000,000 ns) after send(), none sooner. By PASTA a Poisson arrival finds
    // the server free with probability 1 - rho.
    const auto fastest = *std::min_element(m.all_latencies_ns.begin(), m.all_latencies_ns.end());
    CHECK(fastest == 1'000'000);
    std::vector<double> unwaited(m.latencies_ms.size());
    std::transform(m.latencies_ms.begin(), m.latencies_ms.end(), unwaited.begin(),
                   [](double x) { return x == 1.0 ? 1.0 : 0.0; });
    const Check free = check_mean(name + " P(no wait)", unwaited, 1 - lambda * service);
    require(free);
  }
}

TEST_CASE("acks=all with one replica is the same station: identical latencies") {
  // With replication factor 1 the high watermark passes a record at its append, so the
  // DelayedProduce completes at once and the response leaves when the handler thread finishes,
  // as with acks=1 (DelayedProduce.scala; Partition.checkEnoughReplicasReachOffset).
  Scenario scenario = load("mm1-rho80");
  scenario.duration = std::chrono::milliseconds(50'000);
  LatencyRecorder async_records;
  LatencyRecorder isr_records;
  (void)run_scenario(scenario, AckMode::async, scenario.seed, RunChecks::none,
                     RunObservers{&async_records});
  (void)run_scenario(scenario, AckMode::isr, scenario.seed, RunChecks::none,
                     RunObservers{&isr_records});
  CHECK(async_records.sent() > 39'000);
  CHECK(async_records.latencies_ns() == isr_records.latencies_ns());
}

TEST_CASE(
    "SocketServer's mute: one producer keeps one handler thread busy at a time, whatever its "
    "in-flight window") {
  // Kafka 2.4 reads the next request of a connection only once the previous one is answered
  // (SocketServer.processCompletedReceives / processCompletedSends), so with c = 4 threads and
  // one producer the pool serves as one server: the latencies do not depend on the window, and
  // the mean is M/M/1's 1/(mu - lambda), not M/M/4's.
  Scenario scenario = load("mm4-rho50");
  scenario.duration = std::chrono::milliseconds(50'000);
  scenario.producers.at(0).rate_per_s = 500;  // lambda 0.5 per ms: M/M/1 at rho 0.5
  auto latencies_with = [&](std::int32_t window) {
    scenario.producers.at(0).config.max_in_flight_requests_per_connection = window;
    LatencyRecorder records;
    (void)run_scenario(scenario, AckMode::async, scenario.seed, RunChecks::none,
                       RunObservers{&records});
    return records.latencies_ns();
  };
  const std::vector<std::int64_t> five = latencies_with(5);
  CHECK(latencies_with(1) == five);
  CHECK(latencies_with(1000) == five);
  double sum = 0;
  for (const std::int64_t x : five)
    sum += static_cast<double>(x) / 1e6;
  const double mean_ms = sum / static_cast<double>(five.size());
  const MMcQueue mm1(0.5, 1.0, 1);
  const MMcQueue mm4(0.5, 1.0, 4);
  CAPTURE(mean_ms);
  CHECK(std::abs(mean_ms - mm1.mean_sojourn()) < 0.1 * mm1.mean_sojourn());
  CHECK(mean_ms > 1.5 * mm4.mean_sojourn());
}

TEST_CASE("The checks have power: a server 2% slower than assumed is rejected") {
  // M/M/1 at rho 0.5 with produce_time_ms mean 1.02 instead of 1: the mean sojourn is
  // 1.02 / (1 - 0.51) = 2.082 ms, 4.1% above the 2 ms of the theory the checks assume.
  Scenario scenario = load("mm1-rho50");
  scenario.cluster.produce_time_ms = Dist::exponential(1.02);
  const Measured m = run(scenario);
  const Check wrong = check_mean("2% slower server vs mu = 1", m.latencies_ms,
                                 MMcQueue(0.5, 1.0, 1).mean_sojourn());
  CHECK_FALSE(wrong.passed);
  const Check right = check_mean("2% slower server vs mu = 1/1.02", m.latencies_ms,
                                 MMcQueue(0.5, 1 / 1.02, 1).mean_sojourn());
  CHECK(right.passed);
}
