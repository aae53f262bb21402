#include "kafkasim/run/trace.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "kafkasim/run/run_result.h"

namespace kafkasim {

namespace {

/// Thread ids inside a run's process: the run-wide track is 1, node n's lane k is
/// (n + 1) * kLanesPerTrack + k, so a node's lanes sort together, in node order.
constexpr std::uint64_t kWholeRunTid = 1;
constexpr std::uint64_t kLanesPerTrack = 1000;

/// Microseconds, exactly, from nanoseconds: "12.345".
std::string microseconds(std::int64_t ns) {
  char text[48];
  const char* sign = ns < 0 ? "-" : "";
  const std::int64_t magnitude = ns < 0 ? -ns : ns;
  std::snprintf(text, sizeof text, "%s%" PRId64 ".%03" PRId64, sign, magnitude / 1000,
                magnitude % 1000);
  return text;
}

std::string quoted(const std::string& text) {
  return nlohmann::json(text).dump();
}

std::string metadata(const char* what, std::uint64_t pid, std::uint64_t tid, const char* key,
                     const std::string& value) {
  return std::string("{\"ph\":\"M\",\"name\":\"") + what + "\",\"pid\":" + std::to_string(pid) +
         ",\"tid\":" + std::to_string(tid) + ",\"args\":{\"" + key + "\":" + value + "}}";
}

/// The lane of each event of one run: instants on lane 0, each slice on the first lane of its
/// track whose previous slice has ended by the slice's start (slices taken by start time).
std::vector<std::uint32_t> lanes(const Trace& trace, std::vector<std::uint32_t>& lanes_per_track) {
  std::vector<std::uint32_t> lane(trace.events.size(), 0);
  std::vector<std::size_t> order(trace.events.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return trace.events[a].start_ns < trace.events[b].start_ns;
  });
  std::vector<std::vector<std::int64_t>> lane_end(trace.tracks.size());
  lanes_per_track.assign(trace.tracks.size(), 1);
  for (const std::size_t i : order) {
    const TraceEvent& e = trace.events[i];
    if (e.duration_ns < 0 || e.track == TraceEvent::kWholeRun) continue;
    std::vector<std::int64_t>& ends = lane_end[e.track];
    std::size_t k = 0;
    while (k < ends.size() && ends[k] > e.start_ns)
      ++k;
    if (k == ends.size()) ends.push_back(0);
    ends[k] = e.start_ns + e.duration_ns;
    lane[i] = static_cast<std::uint32_t>(k);
    lanes_per_track[e.track] =
        std::max(lanes_per_track[e.track], static_cast<std::uint32_t>(ends.size()));
  }
  return lane;
}

}  // namespace

std::string trace_json(const std::vector<RunResult>& runs) {
  std::string out = "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n";
  bool first = true;
  auto emit = [&](const std::string& event) {
    out += first ? "" : ",\n";
    out += event;
    first = false;
  };
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const RunResult& run = runs[r];
    const Trace& trace = run.trace;
    const std::uint64_t pid = r + 1;
    emit(metadata(
        "process_name", pid, 0, "name",
        quoted("acks=" + std::string(to_string(run.acks)) + " seed=" + std::to_string(run.seed))));
    emit(metadata("process_sort_index", pid, 0, "sort_index", std::to_string(r)));
    emit(metadata("thread_name", pid, kWholeRunTid, "name", quoted("cluster")));
    emit(metadata("thread_sort_index", pid, kWholeRunTid, "sort_index", "0"));
    std::vector<std::uint32_t> lanes_per_track;
    const std::vector<std::uint32_t> lane = lanes(trace, lanes_per_track);
    for (std::size_t t = 0; t < trace.tracks.size(); ++t) {
      for (std::uint32_t k = 0; k < lanes_per_track[t]; ++k) {
        const std::uint64_t tid = (t + 1) * kLanesPerTrack + k;
        const std::string name =
            k == 0 ? trace.tracks[t] : trace.tracks[t] + " #" + std::to_string(k + 1);
        emit(metadata("thread_name", pid, tid, "name", quoted(name)));
        emit(metadata("thread_sort_index", pid, tid, "sort_index", std::to_string(tid)));
      }
    }
    for (std::size_t i = 0; i < trace.events.size(); ++i) {
      const TraceEvent& e = trace.events[i];
      const std::uint64_t tid = e.track == TraceEvent::kWholeRun
                                    ? kWholeRunTid
                                    : (e.track + 1) * kLanesPerTrack + lane[i];
      std::string text = "{\"ph\":\"";
      text += e.duration_ns < 0 ? "i" : "X";
      text += "\",\"name\":" + quoted(e.name) + ",\"cat\":" + quoted(e.category) +
              ",\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(tid) +
              ",\"ts\":" + microseconds(e.start_ns);
      text += e.duration_ns < 0 ? ",\"s\":\"t\"" : ",\"dur\":" + microseconds(e.duration_ns);
      text += ",\"args\":" + e.args + "}";
      emit(text);
    }
  }
  out += "\n]}\n";
  return out;
}

}  // namespace kafkasim
