#include "kafkasim/run/report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "kafkasim/run/aggregate.h"
#include "kafkasim/run/fault_report.h"
#include "text_table.h"

namespace kafkasim {

using report_detail::fixed;
using report_detail::TextRow;

namespace {

std::string number(double value, int decimals) {
  return fixed(value, decimals);
}

nlohmann::ordered_json latency_json(const LatencySummary& l) {
  return {{"mean", l.mean_ms}, {"p50", l.p50_ms},   {"p90", l.p90_ms},
          {"p99", l.p99_ms},   {"p999", l.p999_ms}, {"max", l.max_ms}};
}

nlohmann::ordered_json consumer_groups_json(const RunResult& r) {
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  for (const ConsumerGroupReport& g : r.consumer_groups) {
    groups.push_back({{"group", g.group},
                      {"members", g.members},
                      {"consumed", g.consumed},
                      {"redelivered", g.redelivered},
                      {"max_lag", g.max_lag},
                      {"max_lag_at_ms", g.max_lag_at_ms},
                      {"lag_at_end", g.lag_at_end},
                      {"end_to_end_latency_ms", latency_json(g.end_to_end_latency)}});
  }
  return groups;
}

}  // namespace

std::string comparison_table(const Scenario& scenario, const std::vector<RunResult>& runs) {
  std::vector<TextRow> rows;
  auto add = [&](std::string label, auto cell) {
    TextRow row{std::move(label), {}};
    for (const RunResult& r : runs)
      row.cells.push_back(cell(r));
    rows.push_back(std::move(row));
  };
  auto count = [](std::uint64_t RunResult::*field) {
    return [field](const RunResult& r) { return std::to_string(r.*field); };
  };
  add("mode", [](const RunResult& r) { return std::string(to_string(r.acks)); });
  add("seed", [](const RunResult& r) { return std::to_string(r.seed); });
  add("produced", count(&RunResult::produced));
  add("acknowledged", count(&RunResult::acknowledged));
  add("failed", count(&RunResult::failed));
  add("pending at end", count(&RunResult::pending));
  // Only scenarios that crash a producer have any; the row would be noise elsewhere.
  if (std::any_of(runs.begin(), runs.end(), [](const RunResult& r) { return r.abandoned > 0; }))
    add("abandoned in a crash", count(&RunResult::abandoned));
  add("lost acknowledged", count(&RunResult::lost_acknowledged));
  add("duplicates", count(&RunResult::duplicates));
  add("reordered", count(&RunResult::reordered));
  add("latency mean ms", [](const RunResult& r) { return number(r.latency.mean_ms, 2); });
  add("latency p50 ms", [](const RunResult& r) { return number(r.latency.p50_ms, 2); });
  add("latency p99 ms", [](const RunResult& r) { return number(r.latency.p99_ms, 2); });
  add("latency p99.9 ms", [](const RunResult& r) { return number(r.latency.p999_ms, 2); });
  add("latency max ms", [](const RunResult& r) { return number(r.latency.max_ms, 2); });
  add("offline ms", [](const RunResult& r) { return number(r.offline_ms, 1); });
  add("leader elections", count(&RunResult::leader_elections));
  add("unclean elections", count(&RunResult::unclean_leader_elections));
  add("controller elections", count(&RunResult::controller_elections));
  add("ISR shrinks", count(&RunResult::isr_shrinks));
  add("ISR expands", count(&RunResult::isr_expands));
  // Consumer groups, when the scenario has them (every run has the same groups).
  const std::size_t groups = runs.empty() ? 0 : runs.front().consumer_groups.size();
  for (std::size_t g = 0; g < groups; ++g) {
    const std::string name = "group " + runs.front().consumer_groups[g].group + " ";
    auto group = [g](auto field) {
      return [g, field](const RunResult& r) { return field(r.consumer_groups[g]); };
    };
    using G = const ConsumerGroupReport&;
    add(name + "consumed", group([](G c) { return std::to_string(c.consumed); }));
    add(name + "redelivered", group([](G c) { return std::to_string(c.redelivered); }));
    add(name + "max lag", group([](G c) { return std::to_string(c.max_lag); }));
    add(name + "lag at end", group([](G c) { return std::to_string(c.lag_at_end); }));
    add(name + "e2e mean ms", group([](G c) { return number(c.end_to_end_latency.mean_ms, 2); }));
    add(name + "e2e p50 ms", group([](G c) { return number(c.end_to_end_latency.p50_ms, 2); }));
    add(name + "e2e p99 ms", group([](G c) { return number(c.end_to_end_latency.p99_ms, 2); }));
    add(name + "e2e max ms", group([](G c) { return number(c.end_to_end_latency.max_ms, 2); }));
  }
  return report_detail::table_heading(scenario) + report_detail::render_rows(rows);
}

namespace {

/// The end of a run's story: what the mode cost, and for a loss, when the lost records were
/// acknowledged and, from the first lost example, who held one and what removed it.
std::string verdict(const RunResult& r) {
  std::string out = "  verdict, acks=" + std::string(to_string(r.acks)) + ": ";
  if (r.lost_acknowledged == 0) {
    out += "no acknowledged message lost (all " + std::to_string(r.acknowledged) +
           " are in the final read)";
  } else {
    out += std::to_string(r.lost_acknowledged) + " of " + std::to_string(r.acknowledged) +
           " acknowledged message(s) LOST";
  }
  out += "; " + std::to_string(r.failed) + " failed, " + std::to_string(r.pending) +
         " still pending at the end, " + std::to_string(r.duplicates) + " duplicate(s); " +
         number(r.offline_ms / 1000.0, 3) + " s offline (summed over partitions)\n";
  for (const PartitionReport& p : r.partitions) {
    if (p.lost_acknowledged == 0) continue;
    out += "    " + p.name + ": " + std::to_string(p.lost_acknowledged) +
           " lost, acknowledged between " + number(p.lost_acknowledged_from_ms / 1000.0, 3) +
           " s and " + number(p.lost_acknowledged_to_ms / 1000.0, 3) + " s\n";
  }
  if (!r.lost_examples.empty()) {
    const LostExample& e = r.lost_examples.front();
    std::string held;
    for (const std::string& b : e.held_by)
      held += (held.empty() ? "" : ", ") + b;
    out += "    e.g. " + e.id + " (offset " + std::to_string(e.offset) + "), acknowledged at " +
           number(e.acknowledged_at_ms / 1000.0, 3) + " s, held then by [" + held +
           "]; removed by: " + e.removed_by + "\n";
  }
  return out;
}

}  // namespace

std::string timelines(const std::vector<RunResult>& runs) {
  std::string out;
  for (const RunResult& r : runs) {
    out += "\nTimeline, acks=" + std::string(to_string(r.acks)) + ", seed " +
           std::to_string(r.seed) + ":\n";
    for (const std::string& line : r.timeline)
      out += line + "\n";
    out += verdict(r);
  }
  return out;
}

nlohmann::ordered_json report_json(const Scenario& scenario, const std::vector<RunResult>& runs,
                                   std::uint64_t first_seed, std::uint64_t seeds) {
  using nlohmann::ordered_json;
  ordered_json report;
  report["scenario"] = {
      {"name", scenario.name}, {"description", scenario.description}, {"file", scenario.file}};
  report["scenario"]["duration_ms"] = to_ms(scenario.duration);
  report["scenario"]["faults"] = faults_json(scenario);
  report["seed"] = first_seed;
  report["seeds"] = seeds;
  report["version"] = KAFKASIM_VERSION;
  ordered_json list = ordered_json::array();
  for (const RunResult& r : runs) {
    ordered_json run;
    run["acks"] = to_string(r.acks);
    run["seed"] = r.seed;
    run["produced"] = r.produced;
    run["acknowledged"] = r.acknowledged;
    run["failed"] = r.failed;
    run["pending"] = r.pending;
    run["abandoned"] = r.abandoned;
    run["lost_acknowledged"] = r.lost_acknowledged;
    run["duplicates"] = r.duplicates;
    run["reordered"] = r.reordered;
    run["latency_ms"] = latency_json(r.latency);
    run["offline_ms"] = r.offline_ms;
    run["leader_elections"] = r.leader_elections;
    run["unclean_leader_elections"] = r.unclean_leader_elections;
    run["controller_elections"] = r.controller_elections;
    run["isr_shrinks"] = r.isr_shrinks;
    run["isr_expands"] = r.isr_expands;
    ordered_json partitions = ordered_json::array();
    for (const PartitionReport& p : r.partitions) {
      ordered_json ends = ordered_json::object();
      for (const ReplicaEnd& e : p.replicas)
        ends[e.broker] = e.log_end_offset;
      partitions.push_back({{"partition", p.name},
                            {"leader", p.leader},
                            {"isr", p.isr},
                            {"high_watermark", p.high_watermark},
                            {"log_end_offset", ends},
                            {"lost_acknowledged", p.lost_acknowledged}});
    }
    run["partitions"] = partitions;
    run["consumer_groups"] = consumer_groups_json(r);
    ordered_json examples = ordered_json::array();
    for (const LostExample& e : r.lost_examples) {
      examples.push_back({{"id", e.id},
                          {"partition", e.partition},
                          {"offset", e.offset},
                          {"acknowledged_at_ms", e.acknowledged_at_ms},
                          {"held_by", e.held_by},
                          {"removed_by", e.removed_by}});
    }
    run["lost_examples"] = examples;
    run["events"] = r.events;
    list.push_back(run);
  }
  report["runs"] = list;
  if (seeds > 1) report["aggregate"] = aggregate_json(report["runs"]);
  return report;
}

std::string summary_csv(const Scenario& scenario, const std::vector<RunResult>& runs) {
  std::string out =
      "scenario,acks,seed,produced,acknowledged,failed,lost_acknowledged,duplicates,"
      "latency_mean_ms,latency_p50_ms,latency_p99_ms,latency_p999_ms,latency_max_ms,offline_ms,"
      "leader_elections,unclean_leader_elections,isr_shrinks,isr_expands,reordered,"
      "latency_p90_ms,controller_elections,pending,events,abandoned\n";
  for (const RunResult& r : runs) {
    out += scenario.name + "," + std::string(to_string(r.acks)) + "," + std::to_string(r.seed) +
           "," + std::to_string(r.produced) + "," + std::to_string(r.acknowledged) + "," +
           std::to_string(r.failed) + "," + std::to_string(r.lost_acknowledged) + "," +
           std::to_string(r.duplicates) + "," + number(r.latency.mean_ms, 4) + "," +
           number(r.latency.p50_ms, 4) + "," + number(r.latency.p99_ms, 4) + "," +
           number(r.latency.p999_ms, 4) + "," + number(r.latency.max_ms, 4) + "," +
           number(r.offline_ms, 3) + "," + std::to_string(r.leader_elections) + "," +
           std::to_string(r.unclean_leader_elections) + "," + std::to_string(r.isr_shrinks) + "," +
           std::to_string(r.isr_expands) + "," + std::to_string(r.reordered) + "," +
           number(r.latency.p90_ms, 4) + "," + std::to_string(r.controller_elections) + "," +
           std::to_string(r.pending) + "," + std::to_string(r.events) + "," +
           std::to_string(r.abandoned) + "\n";
  }
  return out;
}

namespace {

// Writes all of `content` to `fd`; false on any error (a full disk, a closed pipe).
bool write_all(int fd, const std::string& content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::filesystem::path target(path);
  // A unique temporary name in the target's directory (mkstemp), so the rename stays within one
  // file system and two runs writing the same file never share a temporary.
  std::string temporary = target.string() + ".kafkasim-XXXXXX";
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  // fsync before the rename: after a power cut the file is either the old one or the whole new
  // one, never a renamed empty file. mkstemp makes the file 0600; reports are shared: 0644.
  const bool written = write_all(fd, content) && ::fchmod(fd, 0644) == 0 && ::fsync(fd) == 0;
  const int saved_errno = errno;
  const bool closed = ::close(fd) == 0;
  std::error_code error;
  if (written && closed) std::filesystem::rename(temporary, target, error);
  if (!written || !closed || error) {
    const std::string reason = error ? error.message() : std::strerror(saved_errno);
    std::filesystem::remove(temporary, error);
    throw std::runtime_error("cannot write " + path + ": " + reason);
  }
}

}  // namespace kafkasim
