// Private to the loader: one --set override applied to the parsed JSON document.
#pragma once

#include "json_reader.h"
#include "kafkasim/scenario/override.h"

namespace kafkasim::scenario_detail {

/// Replaces (or adds) the value at the override's pointer; reports a pointer that cannot be
/// followed and leaves the document unchanged then.
void apply_override(Json& root, const Override& override_value, Diagnostics& diagnostics);

}  // namespace kafkasim::scenario_detail
