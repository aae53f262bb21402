#include "kafkasim/run/latency_csv.h"

#include "kafkasim/run/csv.h"
#include "text_table.h"

namespace kafkasim {

std::string latency_csv(const std::vector<RunResult>& runs) {
  CsvWriter csv;
  for (const char* column : {"acks", "seed", "lower_ms", "upper_ms", "count"})
    csv.field(column);
  csv.end_row();
  for (const RunResult& r : runs) {
    for (const LatencyHistogram::Bucket& b : r.latency_buckets) {
      csv.field(to_string(r.acks))
          .field(r.seed)
          .field(report_detail::fixed(static_cast<double>(b.lower_ns) / 1e6, 6))
          .field(report_detail::fixed(static_cast<double>(b.upper_ns) / 1e6, 6))
          .field(b.count);
      csv.end_row();
    }
  }
  return csv.take();
}

}  // namespace kafkasim
