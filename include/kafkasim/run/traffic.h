// The produce and fetch traffic of a traced run (RunResult::trace), counted per link and per
// interval of scenario time: what the browser page's step-through view draws as arrows between
// the nodes (docs/browser.md). A request counts in the interval in which its server received it.
#pragma once

#include <cstdint>
#include <string>

#include "kafkasim/run/trace.h"

namespace kafkasim {

/// {"bucket_ms", "links": [[from, to, kind], ...], "counts": [[bucket, link, requests], ...]}
/// with kind "Produce", "Fetch (follower)" or "Fetch (consumer)"; links in order of first use,
/// counts by bucket then link. Precondition: bucket_ms > 0.
std::string traffic_json(const Trace& trace, std::int64_t bucket_ms);

}  // namespace kafkasim
