#!/usr/bin/env bash
# The GPU check, in one call, on a machine with an NVIDIA GPU, its driver, nvidia-smi and (optionally)
# PyTorch, but no .NET: this file travels as run-gpu-check.sh inside the bundle that scripts/gpu-check.sh packs.
#   ./run-gpu-check.sh                      nvidia-smi, devices, selftest (full), gpubench (full), PyTorch side by side
#   OUT=/some/dir ./run-gpu-check.sh        also writes gpu-check.md and every log there
#   GPU_CHECK_DEVICE=cpu GPU_CHECK_SIZE=small ./run-gpu-check.sh   dry run without a GPU (managed CPU, PyTorch on CPU)
# Exit codes: 0 done (the table says which targets were met), 1 selftest or gpubench failed, 4 no NVIDIA GPU.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
device="${GPU_CHECK_DEVICE:-cuda}"
size="${GPU_CHECK_SIZE:-full}"
logs="${OUT:-$(mktemp -d)}"
mkdir -p "$logs"
# The single-file app may unpack native parts; keep that out of a read-only home.
export DOTNET_BUNDLE_EXTRACT_BASE_DIR="${DOTNET_BUNDLE_EXTRACT_BASE_DIR:-$logs/.dotnet-bundle}"
gputrainer="$here/gputrainer"

section() { printf '\n== %s\n' "$*"; }

if [[ "$device" == cuda ]]; then
    section nvidia-smi
    if ! command -v nvidia-smi > /dev/null; then
        echo "gpu-check: nvidia-smi is not on PATH, so this machine has no usable NVIDIA GPU; nothing to check." >&2
        exit 4
    fi
    if ! nvidia-smi | tee "$logs/nvidia-smi.txt"; then
        echo "gpu-check: nvidia-smi failed (no GPU, or the driver is not loaded); nothing to check." >&2
        exit 4
    fi
fi

section "gputrainer devices"
"$gputrainer" devices | tee "$logs/devices.txt"
if [[ "$device" == cuda ]] && ! grep -q '^cuda ' "$logs/devices.txt"; then
    echo "gpu-check: nvidia-smi sees a GPU but ILGPU found no CUDA device (is libcuda.so.1 on the loader path?)." >&2
    exit 4
fi

section "gputrainer selftest --device $device --size $size"
"$gputrainer" selftest --device "$device" --size "$size" | tee "$logs/selftest.txt"
selftest_rc=${PIPESTATUS[0]}

section "gputrainer gpubench --device $device --size $size"
"$gputrainer" gpubench --device "$device" --size "$size" --json "$logs/gpubench.json" | tee "$logs/gpubench.md"
bench_rc=${PIPESTATUS[0]}
ours=()
[[ $bench_rc -eq 0 ]] && ours=(--ours "$logs/gpubench.json")

section "side by side with PyTorch"
torch_device=cuda
[[ "$device" == cuda ]] || torch_device=cpu
if command -v python3 > /dev/null; then
    python3 "$here/gpu_check.py" ${ours[@]+"${ours[@]}"} --selftest-rc "$selftest_rc" --device "$torch_device" --size "$size" \
        ${OUT:+--out "$OUT/gpu-check.md"}
else
    echo "gpu-check: python3 is not installed; only our figures (above) are available." >&2
fi

if [[ $selftest_rc -ne 0 || $bench_rc -ne 0 ]]; then
    echo "gpu-check: selftest exit $selftest_rc, gpubench exit $bench_rc (logs in $logs)." >&2
    exit 1
fi
echo "gpu-check: done (logs in $logs)."
