#!/usr/bin/env bash
# The single-model CPU speed target as ONE command: one LeNet-5 epoch of 60,000 Fashion-MNIST images at batch 128 on
# 2 threads, GpuTrainer's managed backend against PyTorch 1.13, interleaved A B A B over ROUNDS rounds (default 3);
# prints and writes benchmarks/results/epoch-ratio.md with the median ratio ours / PyTorch (target <= 0.15, issue 17),
# and each side's GFLOP/s as a share of the machine's FP32 FMA peak (the benchmarks' `peak` verb, run first).
#   scripts/epoch-ratio.sh [ROUNDS]
# Needs: bash scripts/install-deps.sh --torch (Fashion-MNIST and PyTorch 1.13 CPU as /usr/bin/python3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-3}
"$root/scripts/gputrainer" --version >/dev/null   # builds the CLI once, before any timing
dotnet build "$root/benchmarks/GpuTrainer.Benchmarks" -c Release --nologo -v quiet >/dev/null   # the `peak` verb
PYTHONPATH="$root/scripts" /usr/bin/python3 "$root/scripts/epoch_ratio.py" --cli "$root/src/GpuTrainer.Cli/bin/Release/net10.0/GpuTrainer.Cli.dll" \
    --data "${DATA:-/usr/share/datasets/fashion-mnist}" --rounds "$rounds" --threads "${THREADS:-2}" \
    --bench "$root/benchmarks/GpuTrainer.Benchmarks/bin/Release/net10.0/GpuTrainer.Benchmarks.dll" \
    --out "$root/benchmarks/results/epoch-ratio.md"
