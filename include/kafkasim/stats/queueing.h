// Steady-state formulas of the queues a broker's request-handler pool can be (its num.io.threads
// threads are c servers in front of one FIFO queue; see kafka/request_handler_pool.h). The
// queueing tests compare the simulator with them.
//
// Notation: arrival rate lambda, service rate mu per server (mean service 1/mu), c servers,
// offered load a = lambda/mu (Erlangs), utilisation rho = a/c, which must be below 1. Waiting is
// the time in the queue; sojourn is waiting plus service (the latency a producer sees when the
// pool is the only delay). Times come out in the unit of 1/lambda and 1/mu.
//
// Sources: Kleinrock, Queueing Systems vol. 1 (1975), chapter 3 (M/M/1, whose sojourn time is
// exponential with rate mu - lambda, and M/M/m with Erlang's C formula) and chapter 5 (M/G/1,
// the Pollaczek-Khinchine mean value formula); Gross and Harris, Fundamentals of Queueing
// Theory, chapter 2 (the M/M/c waiting-time distribution under FIFO).
#pragma once

#include <cstdint>

namespace kafkasim {

/// Erlang's B formula B(c, a): the blocking probability of c servers offered a Erlangs, by the
/// recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), which is stable for any c.
double erlang_b(std::int32_t servers, double offered_load);

/// Erlang's C formula C(c, a): the probability that an arrival waits (all c servers busy), for
/// a < c: C = c B / (c - a (1 - B)), B = erlang_b(c, a).
double erlang_c(std::int32_t servers, double offered_load);

/// An M/M/c queue (Poisson arrivals, exponential service, c servers, FIFO). Throws
/// std::invalid_argument unless lambda > 0, mu > 0, c >= 1 and lambda < c mu.
class MMcQueue {
 public:
  MMcQueue(double lambda, double mu, std::int32_t servers);

  double utilisation() const { return lambda_ / (servers_ * mu_); }
  /// C(c, a): the probability of waiting at all.
  double probability_of_waiting() const { return waiting_probability_; }
  /// Wq = C(c, a) / (c mu - lambda).
  double mean_waiting() const;
  /// W = Wq + 1/mu; for c = 1, 1 / (mu - lambda).
  double mean_sojourn() const;
  /// P(sojourn <= t). The wait is 0 with probability 1 - C and else exponential with rate
  /// theta = c mu - lambda (FIFO); the service is an independent exponential with rate mu, so
  /// P(T > t) = (1 - C) e^(-mu t) + C (theta e^(-mu t) - mu e^(-theta t)) / (theta - mu),
  /// which is C (1 + mu t) e^(-mu t) + (1 - C) e^(-mu t) when theta = mu.
  double sojourn_cdf(double t) const;
  /// The p-quantile of the sojourn time, 0 < p < 1: the t with sojourn_cdf(t) = p (bisection
  /// to a relative 1e-12). For c = 1 it is -ln(1 - p) / (mu - lambda).
  double sojourn_quantile(double p) const;

 private:
  double lambda_;
  double mu_;
  std::int32_t servers_;
  double waiting_probability_;
};

/// The Pollaczek-Khinchine mean waiting time of an M/G/1 queue: Wq = lambda E[S^2] /
/// (2 (1 - rho)), rho = lambda E[S]. Throws std::invalid_argument unless lambda > 0,
/// E[S] > 0, E[S^2] >= E[S]^2 and rho < 1.
double mg1_mean_waiting(double lambda, double mean_service, double service_second_moment);

/// M/D/1 (constant service d): Wq = rho d / (2 (1 - rho)), and the sojourn Wq + d.
double md1_mean_waiting(double lambda, double service);
double md1_mean_sojourn(double lambda, double service);

}  // namespace kafkasim
