#include "kafkasim/run/latency_csv.h"

#include "text_table.h"

namespace kafkasim {

std::string latency_csv(const std::vector<RunResult>& runs) {
  std::string out = "acks,seed,lower_ms,upper_ms,count\n";
  for (const RunResult& r : runs) {
    const std::string run = std::string(to_string(r.acks)) + "," + std::to_string(r.seed) + ",";
    for (const LatencyHistogram::Bucket& b : r.latency_buckets) {
      out += run + report_detail::fixed(static_cast<double>(b.lower_ns) / 1e6, 6) + "," +
             report_detail::fixed(static_cast<double>(b.upper_ns) / 1e6, 6) + "," +
             std::to_string(b.count) + "\n";
    }
  }
  return out;
}

}  // namespace kafkasim
