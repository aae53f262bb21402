// The scenario's DIST: a number, or {"dist": ...} with one of five shapes (SPEC.md "Scenario
// file"). Sampling is written here, not taken from std::*_distribution, whose algorithms differ
// between standard libraries and would break byte-identical output across builds.
#pragma once

#include <string>

#include "kafkasim/core/time.h"
#include "kafkasim/random/rng.h"

namespace kafkasim {

class Dist {
 public:
  enum class Shape { constant, uniform, exponential, normal, lognormal };

  static Dist constant(double value) { return Dist(Shape::constant, value, 0); }
  static Dist uniform(double min, double max) { return Dist(Shape::uniform, min, max); }
  static Dist exponential(double mean) { return Dist(Shape::exponential, mean, 0); }
  /// Normal(mean, stddev) truncated at 0: negative draws are rejected and drawn again, so the
  /// result follows the conditional distribution, without a spike at zero.
  static Dist normal(double mean, double stddev) { return Dist(Shape::normal, mean, stddev); }
  /// exp(Normal(ln median, sigma)).
  static Dist lognormal(double median, double sigma) {
    return Dist(Shape::lognormal, median, sigma);
  }

  Dist() = default;

  Shape shape() const { return shape_; }
  /// The shape's two parameters in the order of the factory function (value/min/mean/median,
  /// then max/stddev/sigma).
  double first() const { return a_; }
  double second() const { return b_; }

  double sample(Rng& rng) const;
  /// Samples above this many milliseconds (10^12, the loader's bound on any time) are taken
  /// as this: a heavy tail (a lognormal with a large sigma) can draw more than a Duration holds.
  static constexpr double kMaxSampleMs = 1e12;
  /// A sample read as milliseconds, as every time DIST of a scenario is, within
  /// [0, kMaxSampleMs] (a NaN, which no valid parameters give, reads as 0).
  Duration sample_ms(Rng& rng) const;

  /// The exact mean of the distribution (of the truncated normal for `normal`).
  double mean() const;
  /// The exact variance (of the truncated normal for `normal`).
  double variance() const;

  /// The form a scenario would write, e.g. {"dist":"uniform","min":2,"max":8}, for reports.
  std::string to_json() const;

  bool operator==(const Dist&) const = default;

 private:
  Dist(Shape s, double a, double b) : shape_(s), a_(a), b_(b) {}
  Shape shape_ = Shape::constant;
  double a_ = 0;
  double b_ = 0;
};

/// One draw of a standard normal variable (Marsaglia's polar method).
double standard_normal(Rng& rng);

}  // namespace kafkasim
