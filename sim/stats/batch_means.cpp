#include "kafkasim/stats/batch_means.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "kafkasim/stats/sampling_distributions.h"

namespace kafkasim {

double BatchMeans::half_width(double alpha) const {
  if (!(alpha > 0) || !(alpha < 1)) throw std::invalid_argument("half_width: needs 0 < alpha < 1");
  return student_t_quantile(1 - alpha / 2, static_cast<std::int64_t>(batches) - 1) * standard_error;
}

BatchMeans batch_means(std::span<const double> samples, std::size_t batches) {
  if (batches < 2 || samples.size() < batches) {
    throw std::invalid_argument("batch_means: needs at least 2 batches and a sample per batch");
  }
  BatchMeans result;
  result.batches = batches;
  result.batch_size = samples.size() / batches;
  const std::size_t skip = samples.size() - result.batch_size * batches;
  std::vector<double> means(batches, 0.0);
  for (std::size_t b = 0; b < batches; ++b) {
    double sum = 0;
    const std::size_t first = skip + b * result.batch_size;
    for (std::size_t i = 0; i < result.batch_size; ++i)
      sum += samples[first + i];
    means[b] = sum / static_cast<double>(result.batch_size);
  }
  double total = 0;
  for (const double m : means)
    total += m;
  const double count = static_cast<double>(batches);
  result.mean = total / count;
  double squares = 0;
  double lagged = 0;
  for (std::size_t b = 0; b < batches; ++b) {
    const double d = means[b] - result.mean;
    squares += d * d;
    if (b > 0) lagged += d * (means[b - 1] - result.mean);
  }
  result.standard_error = std::sqrt(squares / (count - 1) / count);
  result.lag1_correlation = squares > 0 ? lagged / squares : 0;
  return result;
}

}  // namespace kafkasim
