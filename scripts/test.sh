#!/usr/bin/env bash
# The README's test command: installs what the tests use (scripts/install-deps.sh: Chromium, Node.js and npm as root,
# and report/node_modules from its lockfile), builds everything (benchmarks included, so they cannot rot) and runs
# every test: the xunit suite (kernels on ILGPU's CPU accelerator, so no GPU is needed; arguments go to dotnet test),
# then the report page's browser tests (scripts/browser-test.sh, node --test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
dotnet build GpuTrainer.sln -c Release --nologo -v quiet
status=0
dotnet test tests/GpuTrainer.Tests -c Release --no-build --nologo "$@" || status=$?
bash scripts/browser-test.sh || status=$?
exit "$status"
