#include "kafkasim/run/report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "kafkasim/run/aggregate.h"
#include "kafkasim/run/csv.h"
#include "kafkasim/run/fault_report.h"
#include "kafkasim/run/load_change_notes.h"
#include "run_fields.h"
#include "text_table.h"

namespace kafkasim {

using report_detail::csv_fields;
using report_detail::fixed;
using report_detail::format;
using report_detail::put;
using report_detail::run_fields;
using report_detail::RunField;
using report_detail::RunValue;
using report_detail::TextRow;

namespace {

std::string number(double value, int decimals) {
  return fixed(value, decimals);
}

}  // namespace

namespace {

/// Up to this many partitions get a row each in the table; more get one row of their range.
constexpr std::size_t kPartitionRowsMax = 16;

/// The records each partition holds at the end: its leader's high watermark, the offsets the
/// final read reads (lesson 4 reads a partitioner's spread off these rows). Every run has the
/// same partitions. A partition without a live leader at the end reads as offline. Beyond
/// kPartitionRowsMax partitions, one row gives the smallest and the largest count (the JSON's
/// `partitions` has each).
template <class Add>
void add_partition_rows(const std::vector<RunResult>& runs, Add add) {
  const std::size_t partitions = runs.empty() ? 0 : runs.front().partitions.size();
  if (partitions == 0) return;
  if (partitions <= kPartitionRowsMax) {
    for (std::size_t p = 0; p < partitions; ++p) {
      add("records in " + runs.front().partitions[p].name, [p](const RunResult& r) {
        const PartitionReport& report = r.partitions.at(p);
        return report.leader == "none" ? std::string("offline")
                                       : std::to_string(report.high_watermark);
      });
    }
    return;
  }
  add("records per partition, min-max", [](const RunResult& r) {
    const auto [low, high] =
        std::minmax_element(r.partitions.begin(), r.partitions.end(),
                            [](const PartitionReport& a, const PartitionReport& b) {
                              return a.high_watermark < b.high_watermark;
                            });
    return std::to_string(low->high_watermark) + "-" + std::to_string(high->high_watermark);
  });
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
  for (const RunField& field : run_fields()) {
    if (field.label.empty()) continue;
    const auto cell = [&field](const RunResult& r) {
      return format(field.value(r), field.table_decimals);
    };
    const auto nonzero = [&field](const RunResult& r) {
      const RunValue value = field.value(r);
      const auto* count = std::get_if<std::uint64_t>(&value);
      return count == nullptr || *count > 0;
    };
    // A row that is only noise elsewhere (abandoned: only scenarios that crash a producer).
    if (field.table_if_any && std::none_of(runs.begin(), runs.end(), nonzero)) continue;
    add(std::string(field.label), cell);
  }
  add_partition_rows(runs, add);
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
    // The group coordinator's rows, for a group it runs (the ZooKeeper consumer's tables stay
    // as they were; the JSON report has the fields for every group).
    if (runs.front().consumer_groups[g].coordination == "coordinator") {
      add(name + "rebalances", group([](G c) { return std::to_string(c.rebalances); }));
      add(name + "rebalance ms", group([](G c) { return number(c.rebalance_ms, 1); }));
      add(name + "coordinator", group([](G c) { return c.coordinator; }));
    }
  }
  return report_detail::table_heading(scenario) + report_detail::render_rows(rows);
}

/// The end of a run's story: what the mode cost, and for a loss, when the lost records were
/// acknowledged and, from the first lost example, who held one and what removed it.
std::string timeline_verdict(const RunResult& r) {
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
  for (const PartitionReport& p : r.partitions) {
    if (p.diverged_offsets == 0) continue;
    std::string replicas;
    for (const std::string& b : p.diverged_replicas)
      replicas += (replicas.empty() ? "" : ", ") + b;
    out += "    " + p.name + ": replicas DIVERGED: [" + replicas +
           "] hold other records than leader " + p.leader + " at " +
           std::to_string(p.diverged_offsets) + " offset(s) below the high watermark\n";
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

std::string timelines(const std::vector<RunResult>& runs) {
  std::string out;
  for (const RunResult& r : runs) {
    out += "\nTimeline, acks=" + std::string(to_string(r.acks)) + ", seed " +
           std::to_string(r.seed) + ":\n";
    for (const std::string& line : r.timeline)
      out += line + "\n";
    out += timeline_verdict(r);
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
  // What the timeline's "load change" lines tell, for the plots to mark (analysis/).
  ordered_json changes = ordered_json::array();
  for (const LoadChange& change :
       load_changes(scenario.producers, Instant::start(), Instant::start() + scenario.duration)) {
    changes.push_back({{"at_ms", to_ms(change.at)},
                       {"producer", scenario.producers[change.producer].name},
                       {"from_per_s", change.from_per_s},
                       {"to_per_s", change.to_per_s},
                       {"key", std::string(change.key)}});
  }
  report["scenario"]["load_changes"] = changes;
  report["seed"] = first_seed;
  report["seeds"] = seeds;
  report["version"] = KAFKASIM_VERSION;
  ordered_json list = ordered_json::array();
  for (const RunResult& r : runs) {
    ordered_json run;
    for (const RunField& field : run_fields())
      put(run, field.json, field.value(r));
    list.push_back(run);
  }
  report["runs"] = list;
  if (seeds > 1) report["aggregate"] = aggregate_json(report["runs"]);
  return report;
}

std::vector<std::string> summary_csv_columns() {
  std::vector<std::string> columns{"scenario"};
  for (const RunField* field : csv_fields())
    columns.emplace_back(field->csv);
  return columns;
}

std::vector<std::string> summary_csv_row(const Scenario& scenario, const RunResult& run) {
  std::vector<std::string> row{scenario.name};
  for (const RunField* field : csv_fields())
    row.push_back(format(field->value(run), field->csv_decimals));
  return row;
}

std::string summary_csv(const Scenario& scenario, const std::vector<RunResult>& runs) {
  CsvWriter csv;
  for (const std::string& column : summary_csv_columns())
    csv.field(column);
  csv.end_row();
  for (const RunResult& r : runs) {
    for (const std::string& field : summary_csv_row(scenario, r))
      csv.field(field);
    csv.end_row();
  }
  return csv.take();
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
