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

/// The variance constant of the M/M/1 sojourn-time mean, sigma^2 = lim n Var((T_1 + ... +
/// T_n) / n) over successive customers: (1 + rho)^2 / (mu^2 (1 - rho)^4). It is what makes
/// a queue's mean slow to estimate: at rho 0.8 it is 81 times the variance of one sojourn time.
///
/// Derivation (ours; an independent recursion in the unit test agrees). By Little's law for
/// paths the customers' summed sojourn is the area A(t) under the number in system Q(t), so the
/// mean is A(t)/N(t), N(t) the arrivals, and sigma^2 = s^2 / lambda with s^2 the variance
/// constant of X(t) = A(t) - W N(t), an additive functional of the birth-death chain Q with mean
/// rate 0. Poisson's equation for Q's generator, lambda (h(i+1) - h(i)) + mu (h(i-1) - h(i))
/// [i > 0] = -(i - lambda W), has the solution h(i) = i (i + 1) / (2 (mu - lambda)); the
/// martingale X(t) + h(Q(t)) - h(Q(0)) jumps by (i + 1)/(mu - lambda) - W = i/(mu - lambda) at
/// an arrival in state i and by -i/(mu - lambda) at a departure, so s^2 = (lambda + mu) E[Q^2] /
/// (mu - lambda)^2 with E[Q^2] = rho (1 + rho) / (1 - rho)^2.
double mm1_sojourn_variance_constant(double lambda, double mu);

/// The Pollaczek-Khinchine mean waiting time of an M/G/1 queue: Wq = lambda E[S^2] /
/// (2 (1 - rho)), rho = lambda E[S]. Throws std::invalid_argument unless lambda > 0,
/// E[S] > 0, E[S^2] >= E[S]^2 and rho < 1.
double mg1_mean_waiting(double lambda, double mean_service, double service_second_moment);

/// M/D/1 (constant service d): Wq = rho d / (2 (1 - rho)), and the sojourn Wq + d.
double md1_mean_waiting(double lambda, double service);
double md1_mean_sojourn(double lambda, double service);

}  // namespace kafkasim
