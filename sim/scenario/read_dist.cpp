// DIST values (SPEC.md "Scenario file": a number, or {"dist": ...} of five shapes).
#include <cmath>

#include "json_reader.h"
#include "kafkasim/scenario/json_pointer.h"

namespace kafkasim::scenario_detail {

namespace {

const std::vector<std::string_view> kShapes{"constant", "uniform", "exponential", "normal",
                                            "lognormal"};

// The two parameter names of each shape, in Dist's factory order (first, second).
std::vector<std::string_view> parameters_of(std::string_view shape) {
  if (shape == "constant") return {"value"};
  if (shape == "uniform") return {"min", "max"};
  if (shape == "exponential") return {"mean"};
  if (shape == "normal") return {"mean", "stddev"};
  return {"median", "sigma"};  // lognormal
}

std::optional<Dist> make_dist(std::string_view shape, double first, double second) {
  if (shape == "constant") return Dist::constant(first);
  if (shape == "uniform") return Dist::uniform(first, second);
  if (shape == "exponential") return Dist::exponential(first);
  if (shape == "normal") return Dist::normal(first, second);
  return Dist::lognormal(first, second);
}

// A lognormal's median must be > 0 (its logarithm is the normal's mean); every other parameter
// only needs to be >= 0.
Sign sign_of(std::string_view parameter) {
  return parameter == "median" ? Sign::positive : Sign::non_negative;
}

}  // namespace

std::optional<Dist> read_dist(const Json& value, const std::string& pointer,
                              Diagnostics& diagnostics) {
  if (value.is_number()) {
    const auto x = read_number(value, pointer, diagnostics, Sign::non_negative);
    if (x && *x > kMaxMs) {
      diagnostics.error(pointer, describe(value), "a number in [0, 1e12]");
      return std::nullopt;
    }
    return x ? std::optional<Dist>(Dist::constant(*x)) : std::nullopt;
  }
  if (!value.is_object()) {
    diagnostics.error(pointer, describe(value), "a number >= 0 or {\"dist\": ...}");
    return std::nullopt;
  }
  const auto shape_it = value.find("dist");
  if (shape_it == value.end()) {
    diagnostics.error(pointer_child(pointer, "dist"), "nothing",
                      expected_choice(kShapes) + " (required)");
    return std::nullopt;
  }
  const auto shape = read_choice(*shape_it, pointer_child(pointer, "dist"), diagnostics, kShapes);
  if (!shape) return std::nullopt;
  std::vector<std::string_view> keys = parameters_of(*shape);
  keys.insert(keys.begin(), "dist");
  const ObjectReader reader(value, pointer, diagnostics, keys);
  std::vector<std::optional<double>> params;
  for (std::size_t i = 1; i < keys.size(); ++i) {
    params.push_back(reader.number(keys[i], sign_of(keys[i]), Need::required));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (!params[i]) return std::nullopt;
    // Every parameter is a time in ms but lognormal's sigma, which is bounded alike: beyond it,
    // draws only saturate at Dist::kMaxSampleMs.
    if (*params[i] > kMaxMs) {
      diagnostics.error(reader.pointer_of(keys[i + 1]), describe(value[std::string(keys[i + 1])]),
                        "at most 1e12");
      return std::nullopt;
    }
  }
  const double first = *params[0];
  const double second = params.size() > 1 ? *params[1] : 0.0;
  if (*shape == "uniform" && first > second) {
    diagnostics.error(reader.pointer_of("max"), describe(value["max"]),
                      "a number >= min (" + describe(value["min"]) + ")");
    return std::nullopt;
  }
  return make_dist(*shape, first, second);
}

}  // namespace kafkasim::scenario_detail
