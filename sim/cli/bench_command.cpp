// `kafkasim bench hold`: the engine benchmark. It prints figures; it asserts nothing, because a
// timed assertion would flake on a busy machine. Goals and measured figures are in README.md.
#include <sys/resource.h>

#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "kafkasim/bench/event_mix.h"
#include "kafkasim/bench/hold.h"
#include "kafkasim/run/cluster_run.h"
#include "kafkasim/scenario/loader.h"

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
  std::string target = "engine";
};

struct MixOptions {
  std::string file;
  std::vector<std::string> overrides;
  std::string mode;
  LoadLimits limits;
};

// The hold targets by name, in the order `--queue all` prints them: ours, then the peers.
struct NamedTarget {
  const char* name;
  HoldTarget target;
  const char* what;
};
constexpr NamedTarget kTargets[] = {
    {"engine", HoldTarget::engine, "kafkasim's engine: queue, timer table, dispatch"},
    {"queue", HoldTarget::event_queue, "kafkasim's event queue alone"},
    {"radix", HoldTarget::radix_heap, "peer: the radix heap it replaced"},
    {"calendar", HoldTarget::calendar_queue, "peer: calendar queue on integer ticks"},
    {"std", HoldTarget::priority_queue, "peer: std::priority_queue"},
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
  std::vector<std::string> names{"all"};
  for (const NamedTarget& t : kTargets)
    names.emplace_back(t.name);
  hold->add_option("--queue", options->target,
                   "engine: the full engine; queue: its event queue alone; the peers "
                   "(bench/peers/): radix (the queue before issue 15), calendar (a calendar "
                   "queue on integer ticks), std (std::priority_queue); all: each in turn, "
                   "in one table")
      ->check(CLI::IsMember(names, CLI::ignore_case))
      ->capture_default_str();
  hold->callback([options, &exit_status] {
    exit_status = kExitOk;
    if (options->target == "all") {
      std::printf(
          "events=%llu pending=%llu seed=%llu\n\n| queue | events/s | events per CPU s "
          "| final_time_ns |\n"
          "|---|---|---|---|\n",
          static_cast<unsigned long long>(options->events),
          static_cast<unsigned long long>(options->pending),
          static_cast<unsigned long long>(options->seed));
      for (const NamedTarget& t : kTargets) {
        const HoldResult r = run_hold(t.target, options->events, options->pending, options->seed);
        std::printf("| %s (%s) | %.2f M | %.2f M | %lld |\n", t.name, t.what,
                    static_cast<double>(r.events) / r.wall_seconds / 1e6,
                    static_cast<double>(r.events) / r.cpu_seconds / 1e6,
                    static_cast<long long>(r.final_time_ns));
        std::fflush(stdout);
      }
      return;
    }
    HoldTarget target = HoldTarget::engine;
    for (const NamedTarget& t : kTargets) {
      if (options->target == t.name) target = t.target;
    }
    const HoldResult r = run_hold(target, options->events, options->pending, options->seed);
    const double rate = static_cast<double>(r.events) / r.wall_seconds;
    std::printf(
        "events=%llu\npending=%llu\nwall_s=%.3f\ncpu_s=%.3f\nfinal_time_ns=%lld\n"
        "peak_rss_kib=%ld\nevents_per_cpu_s=%.0f\n",
        static_cast<unsigned long long>(r.events),
        static_cast<unsigned long long>(options->pending), r.wall_seconds, r.cpu_seconds,
        static_cast<long long>(r.final_time_ns), peak_memory_kib(),
        static_cast<double>(r.events) / r.cpu_seconds);
    std::printf("events_per_s=%.0f\n", rate);
  });

  CLI::App* mix = bench->add_subcommand(
      "mix", "The event mix of one run: timers and deliveries, their delays, cancellations");
  auto mix_options = std::make_shared<MixOptions>();
  mix->add_option("file", mix_options->file, "scenario file")->required();
  mix->add_option("--set", mix_options->overrides,
                  "override one value by JSON Pointer before validation: PTR=VALUE");
  mix->add_option("--acks", mix_options->mode,
                  "the mode to run (default: the scenario's first \"acks\")");
  add_limit_options(*mix, mix_options->limits);
  mix->callback([mix_options, &exit_status] {
    const LoadResult loaded =
        load_scenario_file(mix_options->file, mix_options->overrides, mix_options->limits);
    std::fputs(format_all(loaded.diagnostics, mix_options->file).c_str(), stderr);
    if (!loaded.ok()) {
      exit_status = kExitBadInput;
      return;
    }
    const Scenario& scenario = *loaded.scenario;
    AckMode mode = scenario.acks.front();
    if (!mix_options->mode.empty()) {
      const auto parsed = parse_ack_mode(mix_options->mode);
      if (!parsed) {
        std::fprintf(stderr, "error: --acks: '%s' is not an acks mode\n",
                     mix_options->mode.c_str());
        exit_status = kExitBadInput;
        return;
      }
      mode = *parsed;
    }
    EventMix event_mix;
    RunRecording recording;
    recording.schedule_observer = &event_mix;
    const RunResult result =
        run_scenario(scenario, mode, scenario.seed, RunChecks::none, recording);
    std::printf("scenario=%s\nacks=%s\nseed=%llu\nevents_delivered=%llu\n",
                mix_options->file.c_str(), std::string(to_string(mode)).c_str(),
                static_cast<unsigned long long>(scenario.seed),
                static_cast<unsigned long long>(result.events));
    std::fputs(event_mix.report().c_str(), stdout);
    exit_status = kExitOk;
  });
}

}  // namespace kafkasim::cli
