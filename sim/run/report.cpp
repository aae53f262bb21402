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
  return report_detail::table_heading(scenario) + report_detail::render_rows(rows);
}

std::string timelines(const std::vector<RunResult>& runs) {
  std::string out;
  for (const RunResult& r : runs) {
    out += "\nTimeline, acks=" + std::string(to_string(r.acks)) + ", seed " +
           std::to_string(r.seed) + ":\n";
    for (const std::string& line : r.timeline)
      out += line + "\n";
    out += "  verdict: " + std::to_string(r.lost_acknowledged) + " acknowledged message(s) lost, " +
           std::to_string(r.failed) + " failed, " + std::to_string(r.duplicates) +
           " duplicate(s)\n";
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
    run["latency_ms"] = {{"mean", r.latency.mean_ms}, {"p50", r.latency.p50_ms},
                         {"p90", r.latency.p90_ms},   {"p99", r.latency.p99_ms},
                         {"p999", r.latency.p999_ms}, {"max", r.latency.max_ms}};
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
    run["consumer_groups"] = ordered_json::array();
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
