#!/usr/bin/env bash
# The README's test command: builds everything (benchmarks included, so they cannot rot) and runs
# every test; kernels run on ILGPU's CPU accelerator, so no GPU is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/report-deps.sh
dotnet build GpuTrainer.sln -c Release --nologo -v quiet
dotnet test tests/GpuTrainer.Tests -c Release --no-build --nologo "$@"
