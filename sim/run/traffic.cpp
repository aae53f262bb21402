#include "kafkasim/run/traffic.h"

#include <cassert>
#include <map>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

namespace kafkasim {

std::string traffic_json(const Trace& trace, std::int64_t bucket_ms) {
  assert(bucket_ms > 0);
  using Link = std::tuple<std::string, std::string, std::string>;  // from, to, kind
  std::map<Link, std::size_t> link_index;
  nlohmann::ordered_json links = nlohmann::ordered_json::array();
  std::map<std::pair<std::int64_t, std::size_t>, std::uint64_t> counts;
  for (const TraceEvent& e : trace.events) {
    // The server's slices: one per request received, on the node that served it.
    if (e.category != "request" || e.track >= trace.tracks.size()) continue;
    if (e.name != "Produce" && e.name != "Fetch") continue;
    const nlohmann::json args = nlohmann::json::parse(e.args);
    const std::string kind = e.name == "Produce"
                                 ? std::string("Produce")
                                 : "Fetch (" + args.value("fetcher", std::string("?")) + ")";
    Link link{args.value("from", std::string("?")), trace.tracks[e.track], kind};
    auto [it, added] = link_index.try_emplace(link, link_index.size());
    if (added) links.push_back({std::get<0>(link), std::get<1>(link), std::get<2>(link)});
    if (e.start_ns < 0) continue;  // before the scenario's start
    ++counts[{e.start_ns / (bucket_ms * 1'000'000), it->second}];
  }
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& [key, n] : counts)
    rows.push_back({key.first, key.second, n});
  return nlohmann::ordered_json{{"bucket_ms", bucket_ms}, {"links", links}, {"counts", rows}}
      .dump();
}

}  // namespace kafkasim
