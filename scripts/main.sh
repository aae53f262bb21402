#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the flagship scenario (a leader crash
# under load) under each acknowledgement mode, printing the comparison table and the timeline.
# Extra arguments go to `kafkasim run` (e.g. --acks async,isr --json report.json).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" release >&2
cd "$root"
exec build/release/kafkasim run scenarios/leader-crash.json --timeline "$@"
