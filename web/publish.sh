#!/usr/bin/env bash
# Refreshes the copy of the page kept in the repository, docs/kafkasim.html (the page a teacher
# downloads without building anything): builds it with web/build.sh, then copies it there.
#   web/publish.sh [BUILD_DIR]     default build/web
# Then commit docs/kafkasim.html. tests/web/test_published.py (CTest web/published) fails while
# the committed page is older than the sources it is built from (web/page/sources.py).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/web}
bash "$root/web/build.sh" "$build"
cp "$build/kafkasim.html" "$root/docs/kafkasim.html"
echo "web/publish.sh: docs/kafkasim.html refreshed ($(wc -c <"$root/docs/kafkasim.html") bytes); commit it" >&2
