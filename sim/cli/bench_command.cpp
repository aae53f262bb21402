// `kafkasim bench hold`: the engine benchmark. It prints figures; it asserts nothing, because a
// timed assertion would flake on a busy machine. Goals and measured figures are in README.md.
#include <sys/resource.h>

#include <cstdio>
#include <limits>
#include <map>
#include <string>

#include "commands.h"
#include "kafkasim/bench/hold.h"

namespace kafkasim::cli {
namespace {

long peak_memory_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

struct HoldOptions {
  std::uint64_t events = 10'000'000;
  std::uint64_t pending = 10'000;
  std::uint64_t seed = 1;
  HoldTarget target = HoldTarget::engine;
};

}  // namespace

void add_bench_command(CLI::App& app, int& exit_status) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmarks that print their figures");
  bench->require_subcommand(1);
  CLI::App* hold = bench->add_subcommand(
      "hold", "The hold model: P pending events, Exp(1) increments, N events processed");
  auto options = std::make_shared<HoldOptions>();
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  hold->add_option("--events", options->events, "events to process")
      ->capture_default_str()
      ->transform(integer_in(std::uint64_t{1}, kMax));
  hold->add_option("--pending", options->pending, "events pending at all times")
      ->capture_default_str()
      ->transform(integer_in(std::uint64_t{1}, kMax));
  hold->add_option("--seed", options->seed, "seed of the increments")
      ->capture_default_str()
      ->transform(integer_in(std::uint64_t{0}, kMax));
  const std::map<std::string, HoldTarget> targets{{"engine", HoldTarget::engine},
                                                  {"queue", HoldTarget::event_queue},
                                                  {"std", HoldTarget::priority_queue}};
  hold->add_option("--queue", options->target,
                   "engine: the full engine; queue: its event queue alone; std: "
                   "std::priority_queue of the same records, for comparison")
      ->transform(CLI::CheckedTransformer(targets, CLI::ignore_case))
      ->default_str("engine");
  hold->callback([options, &exit_status] {
    const HoldResult r =
        run_hold(options->target, options->events, options->pending, options->seed);
    const double rate = static_cast<double>(r.events) / r.wall_seconds;
    std::printf("events=%llu\npending=%llu\nwall_s=%.3f\nfinal_time_ns=%lld\npeak_rss_kib=%ld\n",
                static_cast<unsigned long long>(r.events),
                static_cast<unsigned long long>(options->pending), r.wall_seconds,
                static_cast<long long>(r.final_time_ns), peak_memory_kib());
    std::printf("events_per_s=%.0f\n", rate);
    exit_status = kExitOk;
  });
}

}  // namespace kafkasim::cli
