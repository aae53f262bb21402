// The method of batch means (Law and Kelton, Simulation Modeling and Analysis, chapter 9): the
// confidence interval of the mean of one long, autocorrelated output sequence — the latencies
// of successive records in a queue, where a record that waited long is followed by others that
// wait long. The sequence is cut into B consecutive batches of equal size; when a batch is much
// longer than the sequence's correlation time, the batch means are nearly independent and
// normal, so mean +- t(1 - alpha/2; B - 1) * s_B / sqrt(B) is an interval of level 1 - alpha,
// s_B the standard deviation of the batch means. The queueing tests take their tolerances from
// it: they come from the run's own statistics, not from a number picked to pass.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace kafkasim {

struct BatchMeans {
  /// The mean of the samples used (the mean of the batch means).
  double mean = 0;
  /// s_B / sqrt(B): the standard error of `mean`.
  double standard_error = 0;
  std::size_t batches = 0;
  std::size_t batch_size = 0;
  /// The lag-1 autocorrelation of the batch means: near 0 when the batches are long enough
  /// (under independence its standard deviation is about 1/sqrt(B)).
  double lag1_correlation = 0;

  /// t(1 - alpha/2; B - 1) * standard_error: the half-width at two-sided level 1 - alpha.
  double half_width(double alpha) const;
};

/// Batch means of `samples` in `batches` batches of floor(n / batches) samples; the first
/// n mod batches samples (the oldest, nearest the start-up transient) are left out. Throws
/// std::invalid_argument for fewer than 2 batches or fewer samples than batches.
BatchMeans batch_means(std::span<const double> samples, std::size_t batches);

}  // namespace kafkasim
