#!/usr/bin/python3
"""One LeNet-5 epoch, GpuTrainer's managed CPU backend against PyTorch 1.13, interleaved: A B A B.

Run through scripts/epoch-ratio.sh. Each round trains GpuTrainer (a fresh process, 2 epochs) and then PyTorch
(2 epochs, same recipe as scripts/compare_torch.py: Adam lr 1e-3 fixed, batch 128) on the same thread count, and
compares the second epoch of each (both warm: JIT and allocator on ours, the autograd engine on theirs); seconds
cover the training batches only. The ratio is ours / PyTorch's, per round and its median; the load average
(/proc/loadavg, 1 minute) is recorded before and after each side.

With --bench (GpuTrainer.Benchmarks.dll) it first measures the machine's FP32 FMA peak (the `peak` verb: the widest
vectors, one thread per core, GFLOP/s of thread CPU time) and gives each side's epoch as GFLOP/s and a share of that
peak: LeNet-5 at 28x28 is LENET_FLOPS per image for forward and backward (see lenet_flops).
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import tempfile

import torch

from compare_torch import cpu_model, emit, load_average, ours_history, train_torch


def lenet_flops():
    """Multiply-adds x 2 of one LeNet-5 image, forward and backward (no data gradient into the input image).

    conv1 1->6 5x5 pad 2 on 28x28: 6*28*28*25 = 117,600 MACs; conv2 6->16 5x5 on 14x14: 16*10*10*150 = 240,000;
    fc 400->120, 120->84, 84->10: 48,000 + 10,080 + 840. Forward 416,520 MACs; backward: every layer's weight gradient
    (the forward's count again, 416,520) and every data gradient but conv1's (240,000 + 58,920): 715,440. In all
    1,131,960 MACs = 2,263,920 FLOP.
    Bias, ReLU, pooling, loss and the optimizer are elementwise (about 0.1% more) and not counted.
    """
    conv1, conv2, fc = 6 * 28 * 28 * 25, 16 * 10 * 10 * 6 * 25, 400 * 120 + 120 * 84 + 84 * 10
    forward = conv1 + conv2 + fc
    backward = conv1 + 2 * conv2 + 2 * fc
    return 2 * (forward + backward)


LENET_FLOPS = lenet_flops()   # 2,263,920


def machine_peak(bench, threads):
    """GFLOP/s of the `peak` verb's widest vectors on `threads` threads (thread CPU time), and its table."""
    out = subprocess.run(["dotnet", bench, "peak"], check=True, capture_output=True, text=True).stdout
    rows = [line.split("|") for line in out.splitlines() if line.startswith("| Vector")]
    best = [float(r[4]) for r in rows if int(r[2]) == threads]
    return (best[0] if best else None), out.strip()


def ours_epoch(cli, data, threads, seed):
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            ["dotnet", cli, "run", "--device", "cpu", "--threads", str(threads), "--data", data, "--opt", "adam", "--lr", "0.001",
             "--sched", "fixed", "--batch", "128", "--epochs", "2", "--seed", str(seed), "--out", os.path.join(out, "run")],
            check=True, stdout=subprocess.DEVNULL)
        history, device = ours_history(os.path.join(out, "run", "summary.json"))
    return history[1][0], device


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True, help="GpuTrainer.Cli.dll, built in Release")
    parser.add_argument("--data", required=True, help="directory of MNIST-format IDX files (60,000 train images)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", help="also write the table to this Markdown file")
    parser.add_argument("--bench", help="GpuTrainer.Benchmarks.dll: measure the FMA peak and give shares of it")
    args = parser.parse_args()

    peak, peak_table = machine_peak(args.bench, args.threads) if args.bench else (None, "")
    if peak:
        print(f"FP32 FMA peak on {args.threads} threads: {peak:.1f} GFLOP/s", flush=True)
    torch.set_num_threads(args.threads)
    rows, device = [], ""
    for r in range(1, args.rounds + 1):
        before = load_average()
        ours, device = ours_epoch(args.cli, args.data, args.threads, r)
        middle = load_average()
        theirs = train_torch(args.data, 2, 128, 1e-3, r)[0][1][0]
        rows.append((r, ours, theirs, ours / theirs, f"{before} -> {middle}", f"{middle} -> {load_average()}"))
        print(f"round {r}: ours {ours:.2f} s, pytorch {theirs:.2f} s, ratio {ours / theirs:.3f}", flush=True)

    median = statistics.median(row[3] for row in rows)
    epoch_gflop = 60000 * LENET_FLOPS * 1e-9

    def speed(seconds):
        rate = epoch_gflop / seconds
        return f"{rate:.1f} GFLOP/s" + (f", {rate / peak:.1%} of peak" if peak else "")

    median_ours = statistics.median(row[1] for row in rows)
    median_theirs = statistics.median(row[2] for row in rows)
    lines = [
        "# One LeNet-5 epoch: GpuTrainer (managed CPU backend) / PyTorch 1.13, interleaved",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} CPUs, {cpu_model()}",
        f"- GpuTrainer device: {device}; PyTorch {torch.__version__} (torch.set_num_threads({args.threads}))",
        f"- recipe: {args.data}, batch 128, Adam lr 0.001 fixed; per round each side trains 2 epochs in a fresh run, the second is timed (training batches only)",
        f"- command: scripts/epoch-ratio.sh {args.rounds}",
        f"- `uptime` at the end: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}",
        "",
        f"**Median ratio (ours / PyTorch): {median:.3f}** (target <= 0.15, issue 17)",
        "",
        f"An epoch is 60,000 images x {LENET_FLOPS:,} FLOP (LeNet-5 forward and backward, scripts/epoch_ratio.py's lenet_flops) = "
        f"{epoch_gflop:.1f} GFLOP. Median epochs: ours {median_ours:.2f} s ({speed(median_ours)}), PyTorch {median_theirs:.2f} s "
        f"({speed(median_theirs)})" + (f"; the peak is the `peak` verb's widest vectors on {args.threads} threads, measured before the "
                                        f"rounds: {peak:.1f} GFLOP/s." if peak else "."),
        "",
        "| round | GpuTrainer epoch (s) | PyTorch epoch (s) | ratio ours / PyTorch | load during ours | load during PyTorch |",
        "|---:|---:|---:|---:|---|---|",
    ]
    lines += [f"| {r} | {o:.2f} | {t:.2f} | {q:.3f} | {lo} | {lt} |" for r, o, t, q, lo, lt in rows]
    if peak_table:
        lines += ["", "`peak` (GpuTrainer.Benchmarks), before the rounds:", "", "```", peak_table, "```"]
    emit("\n".join(lines) + "\n", args.out)


if __name__ == "__main__":
    main()
