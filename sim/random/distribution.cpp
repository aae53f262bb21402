#include "kafkasim/random/distribution.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <nlohmann/json.hpp>

namespace kafkasim {

double standard_normal(Rng& rng) {
  // Marsaglia's polar method. It discards its second variate on purpose: keeping it would
  // make a draw depend on the previous call, and a stream's n-th value on call order.
  for (;;) {
    const double u = 2.0 * rng.uniform01() - 1.0;
    const double v = 2.0 * rng.uniform01() - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

double Dist::sample(Rng& rng) const {
  switch (shape_) {
    case Shape::constant:
      return a_;
    case Shape::uniform:
      return a_ + (b_ - a_) * rng.uniform01();
    case Shape::exponential:
      // Inversion: 1 - U lies in (0, 1], so the logarithm is finite.
      return -a_ * std::log(1.0 - rng.uniform01());
    case Shape::normal:
      if (b_ == 0.0) return a_ < 0.0 ? 0.0 : a_;
      // Rejection keeps the exact truncated law. Validation requires mean >= 0, so at least
      // half of the draws are accepted.
      for (;;) {
        const double x = a_ + b_ * standard_normal(rng);
        if (x >= 0.0) return x;
      }
    case Shape::lognormal:
      return a_ * std::exp(b_ * standard_normal(rng));
  }
  return a_;
}

Duration Dist::sample_ms(Rng& rng) const {
  const double ms = sample(rng);
  if (!(ms > 0.0)) return Duration{0};  // also a NaN
  return duration_from_ms(std::min(ms, kMaxSampleMs));
}

namespace {
// Standard normal density and survival function, for the truncated normal's moments.
double phi(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}
double survival(double x) {
  return 0.5 * std::erfc(x / std::numbers::sqrt2);
}
}  // namespace

double Dist::mean() const {
  switch (shape_) {
    case Shape::constant:
      return a_;
    case Shape::uniform:
      return (a_ + b_) / 2.0;
    case Shape::exponential:
      return a_;
    case Shape::normal: {
      if (b_ == 0.0) return a_ < 0.0 ? 0.0 : a_;
      const double alpha = -a_ / b_;
      return a_ + b_ * phi(alpha) / survival(alpha);
    }
    case Shape::lognormal:
      return a_ * std::exp(b_ * b_ / 2.0);
  }
  return a_;
}

double Dist::variance() const {
  switch (shape_) {
    case Shape::constant:
      return 0.0;
    case Shape::uniform:
      return (b_ - a_) * (b_ - a_) / 12.0;
    case Shape::exponential:
      return a_ * a_;
    case Shape::normal: {
      if (b_ == 0.0) return 0.0;
      const double alpha = -a_ / b_;
      const double lambda = phi(alpha) / survival(alpha);
      return b_ * b_ * (1.0 + alpha * lambda - lambda * lambda);
    }
    case Shape::lognormal: {
      const double s2 = b_ * b_;
      return (std::exp(s2) - 1.0) * a_ * a_ * std::exp(s2);
    }
  }
  return 0.0;
}

std::string Dist::to_json() const {
  nlohmann::ordered_json j;
  switch (shape_) {
    case Shape::constant:
      return nlohmann::json(a_).dump();
    case Shape::uniform:
      j = {{"dist", "uniform"}, {"min", a_}, {"max", b_}};
      break;
    case Shape::exponential:
      j = {{"dist", "exponential"}, {"mean", a_}};
      break;
    case Shape::normal:
      j = {{"dist", "normal"}, {"mean", a_}, {"stddev", b_}};
      break;
    case Shape::lognormal:
      j = {{"dist", "lognormal"}, {"median", a_}, {"sigma", b_}};
      break;
  }
  return j.dump();
}

}  // namespace kafkasim
