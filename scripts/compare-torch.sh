#!/usr/bin/env bash
# Trains LeNet-5 on Fashion-MNIST with GpuTrainer's managed CPU backend and with PyTorch (same recipe,
# same thread count), one after the other, and writes the side-by-side table to
# benchmarks/results/cpu-vs-pytorch.md.
#   scripts/compare-torch.sh [EPOCHS] [--note "machine shared with ..."]
# Needs: bash scripts/install-deps.sh --torch (Fashion-MNIST and PyTorch 1.13 CPU as /usr/bin/python3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs=3
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
    epochs=$1
    shift
fi
data=${DATA:-/usr/share/datasets/fashion-mnist}
threads=${THREADS:-2}
out_dir=$(mktemp -d)
trap 'rm -rf "$out_dir"' EXIT

load_before=$(cut -d' ' -f1 /proc/loadavg)
"$root/scripts/gputrainer" run --device cpu --threads "$threads" --data "$data" --opt adam --lr 0.001 --sched fixed \
    --batch 128 --epochs "$epochs" --seed 1 --out "$out_dir/run"
ours_load="$load_before -> $(cut -d' ' -f1 /proc/loadavg)"
mkdir -p "$root/benchmarks/results"
/usr/bin/python3 "$root/scripts/compare_torch.py" --data "$data" --ours "$out_dir/run/summary.json" \
    --epochs "$epochs" --batch 128 --lr 0.001 --threads "$threads" --ours-load "$ours_load" --out "$root/benchmarks/results/cpu-vs-pytorch.md" "$@"
