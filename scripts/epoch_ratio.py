#!/usr/bin/python3
"""One LeNet-5 epoch, GpuTrainer's managed CPU backend against PyTorch 1.13, interleaved: A B A B.

Run through scripts/epoch-ratio.sh. Each round trains GpuTrainer (a fresh process, 2 epochs) and then PyTorch
(2 epochs, same recipe as scripts/compare_torch.py: Adam lr 1e-3 fixed, batch 128) on the same thread count, and
compares the second epoch of each (both warm: JIT and allocator on ours, the autograd engine on theirs); seconds
cover the training batches only. The ratio is ours / PyTorch's, per round and its median; the load average
(/proc/loadavg, 1 minute) is recorded before and after each side.
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
    args = parser.parse_args()

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
    lines = [
        "# One LeNet-5 epoch: GpuTrainer (managed CPU backend) / PyTorch 1.13, interleaved",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} CPUs, {cpu_model()}",
        f"- GpuTrainer device: {device}; PyTorch {torch.__version__} (torch.set_num_threads({args.threads}))",
        f"- recipe: {args.data}, batch 128, Adam lr 0.001 fixed; per round each side trains 2 epochs in a fresh run, the second is timed (training batches only)",
        f"- command: scripts/epoch-ratio.sh {args.rounds}",
        f"- `uptime` at the end: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}",
        "",
        f"**Median ratio (ours / PyTorch): {median:.3f}** (target <= 0.25)",
        "",
        "| round | GpuTrainer epoch (s) | PyTorch epoch (s) | ratio ours / PyTorch | load during ours | load during PyTorch |",
        "|---:|---:|---:|---:|---|---|",
    ]
    lines += [f"| {r} | {o:.2f} | {t:.2f} | {q:.3f} | {lo} | {lt} |" for r, o, t, q, lo, lt in rows]
    emit("\n".join(lines) + "\n", args.out)


if __name__ == "__main__":
    main()
