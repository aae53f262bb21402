#!/usr/bin/env bash
# The main job: installs what is missing, builds, and checks every shipped scenario.
# (The cluster model, and with it `kafkasim run`, is the next milestone: until it exists this
# validates the scenarios rather than pretend to simulate them.)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" release >&2
cd "$root"
mapfile -t scenarios < <(find scenarios -name '*.json' ! -name schema.json | sort)
exec build/release/kafkasim validate "${scenarios[@]}"
