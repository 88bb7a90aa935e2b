#!/usr/bin/env bash
# The grouped-study measurement of issue 9 in one command (writes benchmarks/results/groups-study.txt):
#   bash benchmarks/results/groups-study.sh [EPOCHS [ROUNDS]]
# 1. the study's 16 cells on full Fashion-MNIST (60,000 images, batch 128, managed backend, 2 threads): one after
#    another (as `study --parallel 1`) and as one group, A B A B in one process, per-epoch seconds and their ratio,
#    the projected 30-epoch study with its range tests (benchmarks 'groups', see GroupStudyCommand);
# 2. gpubench on the managed backend: images x models per second for groups of K = 1, 4, 16 (the lenet_group_* rows).
# The load average is printed beside every figure: the machine is shared, so compare ratios, not seconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
epochs="${1:-1}"
rounds="${2:-2}"
data="${DATA:-/usr/share/datasets/fashion-mnist}"
out="$root/benchmarks/results/groups-study.txt"
cd "$root"
dotnet build GpuTrainer.sln -c Release --nologo -v quiet >/dev/null
{
    echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD); uptime: $(uptime)"
    echo "\$ dotnet benchmarks/GpuTrainer.Benchmarks/bin/Release/net10.0/GpuTrainer.Benchmarks.dll groups --data $data --epochs $epochs --rounds $rounds --threads 2"
    /usr/bin/time -f "wall %e s" dotnet benchmarks/GpuTrainer.Benchmarks/bin/Release/net10.0/GpuTrainer.Benchmarks.dll groups --data "$data" --epochs "$epochs" --rounds "$rounds" --threads 2 2>&1
    echo
    echo "uptime: $(uptime)"
    echo "\$ dotnet src/GpuTrainer.Cli/bin/Release/net10.0/GpuTrainer.Cli.dll gpubench --device cpu --threads 2 --size full"
    dotnet src/GpuTrainer.Cli/bin/Release/net10.0/GpuTrainer.Cli.dll gpubench --device cpu --threads 2 --size full 2>&1
    echo "uptime: $(uptime)"
} | tee "$out"
