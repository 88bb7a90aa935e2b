#!/usr/bin/env bash
# Static GPU report without a GPU: writes the PTX of every kernel (every operand specialisation of the
# generic ones) for sm_90 with PTX ISA 7.8, assembles each with `ptxas -arch=sm_90 -v`, disassembles it
# with `cuobjdump -sass`, and writes DIR/report.md and DIR/report.json (registers, spills, shared memory,
# SASS counts, FFMA share of the whole kernel and of its main loop, load/store widths, blocks per SM,
# predicted H200 times). DIR defaults to benchmarks/results/ptx.
#   bash scripts/install-deps.sh --ptxas && bash scripts/ptx-report.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-benchmarks/results/ptx}
bin=${GPUTRAINER_CUDA_CACHE:-$HOME/.cache/gputrainer/cuda}/usr/bin
ptxas=$bin/ptxas
cuobjdump=$bin/cuobjdump
if [ ! -x "$ptxas" ] || [ ! -x "$cuobjdump" ]; then
    echo "ptx-report: no ptxas/cuobjdump under $bin; run 'bash scripts/install-deps.sh --ptxas' first." >&2
    exit 4
fi

dotnet build benchmarks/GpuTrainer.Benchmarks -c Release --nologo -v quiet >/dev/null
rm -rf "$dir/ptx" "$dir/sass"
mkdir -p "$dir/sass"
dotnet benchmarks/GpuTrainer.Benchmarks/bin/Release/net10.0/GpuTrainer.Benchmarks.dll ptx "$dir"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for ptx in "$dir"/ptx/*.ptx; do
    name=$(basename "$ptx" .ptx)
    "$ptxas" -arch=sm_90 -v -o "$work/$name.cubin" "$ptx" 2>"$dir/sass/$name.ptxas.txt"
    "$cuobjdump" -sass "$work/$name.cubin" >"$dir/sass/$name.sass"
done
python3 scripts/ptx_report.py "$dir" "$("$ptxas" --version | tail -n 1)"
echo "ptx-report: wrote $dir/report.md and $dir/report.json"
