#!/usr/bin/env bash
# The report page's browser tests (report/test/, node --test): Debian's Chromium, driven by playwright-core from
# report/package-lock.json, opens a generated study's report.html from disk. The study is a real one on the embedded
# sample, 1 epoch, made partial on purpose (2 of its 4 array tasks trained, then `study report --partial`), so the page
# shows finished and missing runs. Needs the CLI built (scripts/test.sh builds it) and chromium (scripts/install-deps.sh).
#   REPORT_STUDY=DIR       use (or make) the study in DIR instead of a temporary one
#   REPORT_SCREENSHOTS=DIR also save screenshots of the page there
# Prints node's TAP summary ("# pass N", "# fail N"), which .ci/run counts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chromium=${CHROMIUM:-$(command -v chromium || true)}
if [ -z "$chromium" ] || [ ! -x "$chromium" ]; then
    echo "browser-test: no chromium found; install it with 'bash scripts/install-deps.sh' (as root) or set CHROMIUM." >&2
    exit 1
fi
bash "$root/scripts/report-deps.sh"
cli=(dotnet "$root/src/GpuTrainer.Cli/bin/Release/net10.0/GpuTrainer.Cli.dll")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
study=${REPORT_STUDY:-$tmp/study}
partial=
if [ ! -f "$study/report.html" ]; then
    partial=1
    common=(--device cpu --data "$root/data/mnist-sample")
    "${cli[@]}" study-plan --epochs 1 --parallel 4 "${common[@]}" --out "$study" >"$tmp/plan.log"
    "${cli[@]}" study-cell --index 0 --device cpu --out "$study" >"$tmp/cell0.log"
    "${cli[@]}" study-cell --index 1 --device cpu --out "$study" >"$tmp/cell1.log"
    "${cli[@]}" study-report --partial --out "$study" >"$tmp/report.log"
fi
cd "$root/report"
REPORT_PARTIAL=$partial REPORT_HTML="$study/report.html" CHROMIUM="$chromium" node --test --test-reporter=tap test/
