// The time series of a run (SPEC.md "--series"): metrics sampled every --series-interval-ms of
// scenario time, kept compactly (a row is 24 bytes; subjects are named once) and written as tidy
// CSV, one observation per row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kafkasim {

struct RunResult;

/// The SPEC's metrics, in the order their rows are written at each sample time.
enum class SeriesMetric : std::uint8_t {
  isr_size,        // partition: the leader's ISR; 0 while the partition has no live leader
  high_watermark,  // partition: the leader's; no row while there is no live leader
  log_end_offset,  // partition/broker: that replica's log, up or down (what its disk holds)
  acked,           // producer: records first acknowledged in the interval ending at time_ms
  latency_p99_ms,  // producer: p99 of those records' latency; no row when there were none
  consumer_lag,    // group: records below the high watermarks the group has not processed
  broker_up,       // broker: 1 while its process runs (a paused broker is up), else 0
  // Added after the SPEC's first seven, so their rows keep their order at each sample time.
  partition_lag,  // group/partition: that partition's share of the group's consumer_lag
  member_lag,     // member: the partition_lag of the partitions the member owns now, summed
};

std::string_view to_string(SeriesMetric metric);

struct SeriesRow {
  std::int64_t time_ms = 0;  // scenario time
  double value = 0;
  std::uint32_t subject = 0;  // index in Series::subjects
  SeriesMetric metric = SeriesMetric::isr_size;
};

struct Series {
  // "orders-0", "orders-0/broker-2", "app", "broker-1", "billing/orders-0", "billing-0"
  std::vector<std::string> subjects;
  std::vector<SeriesRow> rows;  // by time, then metric, then subject (scenario order)
};

/// The tidy CSV of every run's series: the header `acks,seed,time_ms,metric,subject,value`, then
/// the runs in the order given (that of --csv), each run's rows in its own order. Counts are
/// written as integers, latencies with three decimals.
std::string series_csv(const std::vector<RunResult>& runs);

}  // namespace kafkasim
