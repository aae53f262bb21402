#include "kafkasim/run/series.h"

#include <cinttypes>
#include <cstdio>

#include "kafkasim/run/csv.h"
#include "kafkasim/run/run_result.h"

namespace kafkasim {

std::string_view to_string(SeriesMetric metric) {
  switch (metric) {
    case SeriesMetric::isr_size:
      return "isr_size";
    case SeriesMetric::high_watermark:
      return "high_watermark";
    case SeriesMetric::log_end_offset:
      return "log_end_offset";
    case SeriesMetric::acked:
      return "acked";
    case SeriesMetric::latency_p99_ms:
      return "latency_p99_ms";
    case SeriesMetric::consumer_lag:
      return "consumer_lag";
    case SeriesMetric::broker_up:
      return "broker_up";
    case SeriesMetric::partition_lag:
      return "partition_lag";
    case SeriesMetric::member_lag:
      return "member_lag";
  }
  return "unknown";
}

std::string series_csv(const std::vector<RunResult>& runs) {
  CsvWriter csv;
  for (const char* column : {"acks", "seed", "time_ms", "metric", "subject", "value"})
    csv.field(column);
  csv.end_row();
  char value[64];
  for (const RunResult& run : runs) {
    for (const SeriesRow& row : run.series.rows) {
      if (row.metric == SeriesMetric::latency_p99_ms) {
        std::snprintf(value, sizeof value, "%.3f", row.value);
      } else {
        std::snprintf(value, sizeof value, "%" PRId64, static_cast<std::int64_t>(row.value));
      }
      csv.field(to_string(run.acks))
          .field(run.seed)
          .field(std::to_string(row.time_ms))
          .field(to_string(row.metric))
          .field(run.series.subjects[row.subject])
          .field(value);
      csv.end_row();
    }
  }
  return csv.take();
}

}  // namespace kafkasim
