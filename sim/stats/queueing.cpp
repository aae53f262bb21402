#include "kafkasim/stats/queueing.h"

#include <cmath>
#include <stdexcept>

namespace kafkasim {

double erlang_b(std::int32_t servers, double offered_load) {
  if (servers < 0 || !(offered_load >= 0)) {
    throw std::invalid_argument("erlang_b: needs servers >= 0 and offered load >= 0");
  }
  double b = 1.0;
  for (std::int32_t k = 1; k <= servers; ++k)
    b = offered_load * b / (k + offered_load * b);
  return b;
}

double erlang_c(std::int32_t servers, double offered_load) {
  if (servers < 1 || !(offered_load > 0) || !(offered_load < servers)) {
    throw std::invalid_argument("erlang_c: needs servers >= 1 and 0 < offered load < servers");
  }
  const double b = erlang_b(servers, offered_load);
  return servers * b / (servers - offered_load * (1 - b));
}

MMcQueue::MMcQueue(double lambda, double mu, std::int32_t servers)
    : lambda_(lambda), mu_(mu), servers_(servers) {
  if (!(lambda > 0) || !(mu > 0) || servers < 1 || !(lambda < servers * mu)) {
    throw std::invalid_argument("MMcQueue: needs lambda > 0, mu > 0, c >= 1, lambda < c mu");
  }
  waiting_probability_ = erlang_c(servers, lambda / mu);
}

double MMcQueue::mean_waiting() const {
  return waiting_probability_ / (servers_ * mu_ - lambda_);
}

double MMcQueue::mean_sojourn() const {
  return mean_waiting() + 1 / mu_;
}

double MMcQueue::sojourn_cdf(double t) const {
  if (t <= 0) return 0;
  const double theta = servers_ * mu_ - lambda_;
  const double c = waiting_probability_;
  const double no_wait = std::exp(-mu_ * t);
  double waited;
  if (std::abs(theta - mu_) <= 1e-9 * mu_) {
    waited = (1 + mu_ * t) * std::exp(-mu_ * t);
  } else {
    waited = (theta * std::exp(-mu_ * t) - mu_ * std::exp(-theta * t)) / (theta - mu_);
  }
  return 1 - ((1 - c) * no_wait + c * waited);
}

double MMcQueue::sojourn_quantile(double p) const {
  if (!(p > 0) || !(p < 1)) throw std::invalid_argument("sojourn_quantile: needs 0 < p < 1");
  // The CDF is continuous and increasing from 0: bracket, then bisect.
  double low = 0;
  double high = 1 / mu_;
  while (sojourn_cdf(high) < p)
    high *= 2;
  while (high - low > 1e-12 * high) {
    const double mid = 0.5 * (low + high);
    (sojourn_cdf(mid) < p ? low : high) = mid;
  }
  return 0.5 * (low + high);
}

double mm1_sojourn_variance_constant(double lambda, double mu) {
  if (!(lambda > 0) || !(mu > lambda)) {
    throw std::invalid_argument("mm1_sojourn_variance_constant: needs 0 < lambda < mu");
  }
  const double rho = lambda / mu;
  return (1 + rho) * (1 + rho) / (mu * mu * std::pow(1 - rho, 4));
}

double mg1_mean_waiting(double lambda, double mean_service, double service_second_moment) {
  const double rho = lambda * mean_service;
  if (!(lambda > 0) || !(mean_service > 0) ||
      !(service_second_moment >= mean_service * mean_service) || !(rho < 1)) {
    throw std::invalid_argument(
        "mg1_mean_waiting: needs lambda > 0, E[S] > 0, E[S^2] >= E[S]^2, lambda E[S] < 1");
  }
  return lambda * service_second_moment / (2 * (1 - rho));
}

double md1_mean_waiting(double lambda, double service) {
  return mg1_mean_waiting(lambda, service, service * service);
}

double md1_mean_sojourn(double lambda, double service) {
  return md1_mean_waiting(lambda, service) + service;
}

}  // namespace kafkasim
