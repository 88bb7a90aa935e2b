#!/usr/bin/env bash
# Builds the `gputrainer` dotnet tool package into artifacts/packages/GpuTrainer.Tool.VERSION.nupkg
# (version: Directory.Build.props). Install it with
#   dotnet tool install --global GpuTrainer.Tool --add-source artifacts/packages
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/report-deps.sh"   # uPlot and the plots' font, embedded by the build
out="$root/artifacts/packages"
mkdir -p "$out"
dotnet pack "$root/src/GpuTrainer.Cli" -c Release -o "$out" --nologo -v quiet
ls "$out"/GpuTrainer.Tool.*.nupkg
