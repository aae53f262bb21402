#include "kafkasim/run/record_story.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "kafkasim/run/run_result.h"

namespace kafkasim {

namespace {

using Json = nlohmann::json;

double ms(std::int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

std::string at_text(std::int64_t ns) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f s", static_cast<double>(ns) / 1e9);
  return buffer;
}

/// The entry of a list argument about `partition` ("orders-0: ..." or "orders-0 from ..."),
/// with the partition's name and separator removed; nullopt when none is.
std::optional<std::string> entry_for(const Json& args, const char* key,
                                     const std::string& partition, const std::string& separator) {
  const auto it = args.find(key);
  if (it == args.end() || !it->is_array()) return std::nullopt;
  const std::string prefix = partition + separator;
  for (const Json& entry : *it) {
    if (!entry.is_string()) continue;
    const std::string& text = entry.get_ref<const std::string&>();
    if (text.rfind(prefix, 0) == 0) return text.substr(prefix.size());
  }
  return std::nullopt;
}

/// The number after `word` in `text` ("at offset 12" -> 12 for "at offset "); nullopt if absent.
std::optional<std::int64_t> number_after(const std::string& text, const std::string& word) {
  const std::size_t at = text.find(word);
  if (at == std::string::npos) return std::nullopt;
  std::size_t end = at + word.size();
  if (end >= text.size() || text[end] < '0' || text[end] > '9') return std::nullopt;
  return std::stoll(text.substr(end));
}

/// Whether a Produce request's "sequences" entry ("5+10": first sequence 5, 10 records) for
/// `partition` carries `sequence`; its first sequence when it does.
std::optional<std::int64_t> carries(const Json& args, const std::string& partition,
                                    std::int64_t sequence) {
  const auto entry = entry_for(args, "sequences", partition, ": ");
  if (!entry) return std::nullopt;
  const std::size_t plus = entry->find('+');
  if (plus == std::string::npos) return std::nullopt;
  const std::int64_t first = std::stoll(entry->substr(0, plus));
  const std::int64_t count = std::stoll(entry->substr(plus + 1));
  if (sequence < first || sequence >= first + count) return std::nullopt;
  return first;
}

/// Whether `text` names `node` ("broker-1", not as part of "broker-12").
bool names(const std::string& text, const std::string& node) {
  for (std::size_t at = text.find(node); at != std::string::npos; at = text.find(node, at + 1)) {
    const std::size_t end = at + node.size();
    if (end == text.size() || text[end] < '0' || text[end] > '9') return true;
  }
  return false;
}

}  // namespace

RecordStory record_story(const RunResult& traced, std::string_view id) {
  RecordStory story;
  story.id = std::string(id);
  // "<producer>/<partition>/<sequence>": the producer's name may itself hold no '/' in the
  // report's ids, the partition's never does; read from the right.
  const std::size_t last = id.rfind('/');
  const std::size_t middle = last == std::string_view::npos || last == 0 ? std::string_view::npos
                                                                         : id.rfind('/', last - 1);
  if (middle == std::string_view::npos || last + 1 >= id.size() ||
      id.find_first_not_of("0123456789", last + 1) != std::string_view::npos) {
    story.error =
        "expected a record id <producer>/<partition>/<sequence>, as lost_examples "
        "names them (\"producer-1/orders-0/12\")";
    return story;
  }
  const std::string producer(id.substr(0, middle));
  const std::string partition(id.substr(middle + 1, last - middle - 1));
  const std::int64_t sequence = std::stoll(std::string(id.substr(last + 1)));
  const Trace& trace = traced.trace;
  if (trace.tracks.empty()) {
    story.error = "the run was not traced";
    return story;
  }
  const auto track_name = [&](std::uint32_t track) -> std::string {
    return track < trace.tracks.size() ? trace.tracks[track] : std::string("cluster");
  };
  if (std::find(trace.tracks.begin(), trace.tracks.end(), producer) == trace.tracks.end()) {
    story.error = "no node named " + producer + " in this run";
    return story;
  }
  // The events by start time (the trace keeps them in the order they were recorded: a slice
  // when it ends).
  std::vector<std::size_t> order(trace.events.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return trace.events[a].start_ns < trace.events[b].start_ns;
  });
  const auto step = [&](std::int64_t ns, std::string node, std::string kind, std::string text) {
    story.steps.push_back({ms(ns), std::move(node), std::move(kind), std::move(text)});
  };

  // 1. The producer's requests that carried it, the leader's appends, the answers.
  std::int64_t appended_ns = -1;
  std::uint32_t leader_track = 0;
  for (std::size_t i : order) {
    const TraceEvent& e = trace.events[i];
    if (e.name != "Produce") continue;
    const Json args = Json::parse(e.args);
    const bool client = e.category == "client";
    if (client ? track_name(e.track) != producer : args.value("from", "") != producer) continue;
    const auto first = carries(args, partition, sequence);
    if (!first) continue;
    const auto result = entry_for(args, "result", partition, ": ");
    const auto base = result ? number_after(*result, "at offset ") : std::nullopt;
    // Where the answer put it: its batch's base offset plus its place in the batch.
    std::int64_t offset = -1;
    if (base) offset = *base + (sequence - *first);
    const bool ok = result && result->rfind("NONE", 0) == 0 && offset >= 0;
    if (client) {
      const std::string to = args.value("to", "?");
      step(e.start_ns, producer, "send",
           producer + " sends it (sequence " + std::to_string(sequence) + " of a batch of " +
               partition + ") in a Produce request to " + to + ", acks=" + args.value("acks", "?"));
      const std::int64_t end = e.start_ns + std::max<std::int64_t>(0, e.duration_ns);
      if (ok) {
        step(end, producer, "acknowledged",
             to + "'s answer reaches " + producer + ": acknowledged at offset " +
                 std::to_string(offset));
      } else {
        step(end, producer, "answer",
             to + " answers " + (result ? *result : std::string("nothing about ") + partition) +
                 ": not acknowledged by this request");
      }
    } else {
      const std::string leader = track_name(e.track);
      if (ok) {
        if (appended_ns < 0) {
          appended_ns = e.start_ns;
          leader_track = e.track;
          story.offset = offset;
          story.leader = leader;
        }
        step(e.start_ns, leader, "append",
             leader + " appends it to its log of " + partition + " at offset " +
                 std::to_string(offset) + " (the leader)");
      } else if (result) {
        step(e.start_ns, leader, "append", leader + " refuses it: " + *result);
      }
    }
  }
  if (story.offset < 0) {
    step(story.steps.empty() ? 0 : std::int64_t(story.steps.back().at_ms * 1e6), producer, "answer",
         "no leader appended it with a known offset in the trace (never sent, acks=0, or its "
         "request was never answered)");
    return story;
  }
  const std::int64_t offset = story.offset;
  const std::string& leader = story.leader;

  // 2. Each follower's fetch that brought it, and the high watermark passing it: the leader's
  // answers to fetches of the partition after the append.
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> delivering;  // follower: fetch
  std::set<std::string> confirmed;
  std::set<std::string> holders{leader};
  bool high_watermark_passed = false;
  for (std::size_t i : order) {
    const TraceEvent& e = trace.events[i];
    if (e.name != "Fetch" || e.category != "request" || e.track != leader_track) continue;
    const std::int64_t end = e.start_ns + std::max<std::int64_t>(0, e.duration_ns);
    if (end < appended_ns) continue;
    const Json args = Json::parse(e.args);
    const auto from_offset = entry_for(args, "partitions", partition, " from offset ");
    if (!from_offset) continue;
    const std::int64_t fetch_offset = std::stoll(*from_offset);
    const std::string fetcher = args.value("from", "?");
    const bool follower = args.value("fetcher", "") == "follower";
    const auto result = entry_for(args, "result", partition, ": ");
    // The trace shows the leader's high watermark only in its fetch answers, so the story
    // names the first answer that carries one past the record: the instant the cluster learns
    // the record is committed. The leader advanced it a little earlier, on the fetch that
    // brought its last ISR follower past the record (Kafka 2.4: ReplicaManager.fetchMessages
    // reads the answer, then updateFollowerFetchState -> Partition.maybeIncrementLeaderHW).
    if (!high_watermark_passed && result) {
      const auto hw = number_after(*result, "high watermark ");
      if (hw && *hw > offset) {
        high_watermark_passed = true;
        step(end, leader, "high_watermark",
             leader + "'s high watermark is " + std::to_string(*hw) + ", past offset " +
                 std::to_string(offset) + ": the record is committed (as its answer to " + fetcher +
                 "'s fetch says)");
      }
    }
    if (!follower || confirmed.contains(fetcher)) continue;
    if (fetch_offset <= offset) {
      delivering[fetcher] = {e.start_ns, end};
    } else if (e.start_ns >= appended_ns) {
      confirmed.insert(fetcher);
      holders.insert(fetcher);
      const auto d = delivering.find(fetcher);
      if (d != delivering.end()) {
        step(d->second.second, fetcher, "fetch",
             fetcher + " fetches it from " + leader + " (its fetch sent at " +
                 at_text(d->second.first) + ", answered at " + at_text(d->second.second) +
                 "); its next fetch, from offset " + std::to_string(fetch_offset) +
                 ", tells the leader it has it");
      } else {
        step(e.start_ns, fetcher, "fetch",
             fetcher + "'s fetch from offset " + std::to_string(fetch_offset) + " tells " + leader +
                 " it has the record");
      }
    }
  }

  // 3. What happened to it after: the leader's crash, the session, the elections of its
  // partition, and each truncation that removed it from a broker holding it.
  std::set<std::string> removed_from;
  for (std::size_t i : order) {
    const TraceEvent& e = trace.events[i];
    if (e.category != "timeline" || e.start_ns < appended_ns) continue;
    const Json args = Json::parse(e.args);
    const std::string text = args.value("text", "");
    const std::string node = track_name(e.track);
    if (e.name == "truncation") {
      // "<broker> truncated N record(s) of <partition> from offset F (...)"
      const auto records = number_after(text, " truncated ");
      const auto from = number_after(text, " of " + partition + " from offset ");
      if (!records || !from || offset < *from || offset >= *from + *records) continue;
      if (!holders.contains(node) || removed_from.contains(node)) continue;
      removed_from.insert(node);
      step(e.start_ns, node, "truncation", "removed from " + node + "'s log: " + text);
    } else if (e.name == "crash" || e.name == "power loss") {
      if (holders.contains(node) && removed_from.size() < holders.size())
        step(e.start_ns, node, "crash", text);
    } else if (e.name.find("election") != std::string::npos &&
               text.find(": " + partition + " -> ") != std::string::npos) {
      if (removed_from.size() < holders.size()) step(e.start_ns, node, "election", text);
    } else if (e.name.find("session") != std::string::npos && names(text, leader) &&
               removed_from.size() < holders.size()) {
      step(e.start_ns, node, "session", text);
    }
  }
  std::stable_sort(story.steps.begin(), story.steps.end(),
                   [](const StoryStep& a, const StoryStep& b) { return a.at_ms < b.at_ms; });
  return story;
}

std::string record_story_json(const RecordStory& story) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const StoryStep& s : story.steps)
    steps.push_back({{"at_ms", s.at_ms}, {"node", s.node}, {"kind", s.kind}, {"text", s.text}});
  return nlohmann::ordered_json{{"id", story.id},
                                {"offset", story.offset},
                                {"leader", story.leader},
                                {"error", story.error},
                                {"steps", steps}}
      .dump();
}

}  // namespace kafkasim
