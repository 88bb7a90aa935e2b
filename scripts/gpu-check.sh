#!/usr/bin/env bash
# Packs the GPU check bundle into artifacts/gpu-bundle/ (git-ignored, < 64 MiB): a self-contained, compressed
# single-file `gputrainer` for linux-x64 (no .NET needed on the GPU machine), gpu_check.py and run-gpu-check.sh.
#   scripts/gpu-check.sh                         build the bundle
#   artifacts/gpu-bundle/run-gpu-check.sh        run it (on the GPU machine; see that script for options)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/report-deps.sh"   # uPlot and the plots' font, embedded by the build
bundle="$root/artifacts/gpu-bundle"
limit=$((64 * 1024 * 1024))

rm -rf "$bundle"
mkdir -p "$bundle"
# No trimming: ILGPU compiles kernels through reflection. Native libraries, if any, unpack on first run.
dotnet publish "$root/src/GpuTrainer.Cli" -c Release -r linux-x64 --self-contained --nologo -v quiet \
    -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:DebugType=none -o "$bundle/publish"
mv "$bundle/publish/GpuTrainer.Cli" "$bundle/gputrainer"
rm -rf "$bundle/publish"
install -m 755 "$root/scripts/gpu-check-runner.sh" "$bundle/run-gpu-check.sh"
install -m 644 "$root/scripts/gpu_check.py" "$bundle/gpu_check.py"

bytes=$(du -sb "$bundle" | cut -f1)
if (( bytes >= limit )); then
    echo "gpu-check: the bundle is $bytes bytes, over the 64 MiB limit." >&2
    exit 1
fi
echo "gpu-check: $bundle ($((bytes / 1024 / 1024)) MiB): gputrainer, gpu_check.py, run-gpu-check.sh"
