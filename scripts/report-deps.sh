#!/usr/bin/env bash
# Installs report/node_modules exactly as report/package-lock.json pins it (`npm ci`) when it is missing or older than
# the lockfile: uPlot and the DejaVu Sans font, which the build embeds into GpuTrainer.dll (the report page's charts,
# the PNG plots' labels), and playwright-core for the page's browser tests. Called by test.sh, gputrainer, pack.sh,
# gpu-check.sh and install-deps.sh; quiet and quick when nothing changed.
set -euo pipefail
report="$(cd "$(dirname "${BASH_SOURCE[0]}")/../report" && pwd)"
stamp="$report/node_modules/.package-lock.json"
if [ -f "$stamp" ] && [ ! "$report/package-lock.json" -nt "$stamp" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "report-deps: npm is missing; install Node.js and npm (bash scripts/install-deps.sh does, as root)." >&2
    exit 1
fi
npm ci --prefix "$report" --no-audit --no-fund --loglevel=error >/dev/null
