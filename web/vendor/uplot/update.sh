#!/usr/bin/env bash
# Replaces the vendored uPlot by another version from the npm registry: bash update.sh 1.6.32
set -euo pipefail
version=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "uplot@$version" >/dev/null && tar xzf "uplot-$version.tgz")
cp "$work/package/dist/uPlot.iife.min.js" "$work/package/dist/uPlot.min.css" \
  "$work/package/LICENSE" "$here/"
sha256sum "$work/uplot-$version.tgz"
echo "update README.md's version and sha256"
