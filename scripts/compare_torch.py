#!/usr/bin/python3
"""Trains LeNet-5 on MNIST-format data with PyTorch and prints the GpuTrainer-vs-PyTorch table.

Run through scripts/compare-torch.sh, which first trains GpuTrainer with the same recipe and passes its
summary.json here. Run with PyTorch 1.13 CPU:
    /usr/bin/python3 scripts/compare_torch.py --data DIR --epochs E --ours runs/x/summary.json --out table.md

The recipe matches `gputrainer run --opt adam --lr 0.001 --sched fixed --batch 128`:
    model    LeNet-5 (conv 1->6 5x5 pad 2, ReLU, max-pool 2, conv 6->16 5x5, ReLU, max-pool 2,
             fc 400->120 ReLU, 120->84 ReLU, 84->10), PyTorch's default initialisation
    data     grey levels g -> (g/255 - 0.1307) / 0.3081 (MNIST's statistics, as GpuTrainer's BatchLoader),
             a new random permutation per epoch, the last batch smaller (drop_last=False)
    loss     mean softmax cross-entropy; Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
Timing: an epoch's seconds cover the training batches only (data already normalised in memory on both
sides); the test-set evaluation after each epoch is not timed, as in GpuTrainer's epoch lines.
"""
import argparse
import datetime
import gzip
import json
import os
import platform
import statistics
import struct
import subprocess
import time

import numpy as np
import torch
from torch import nn

MEAN, STD = 0.1307, 0.3081


def read_idx(directory, stem):
    """Reads stem or stem.gz (IDX format) into a numpy uint8 array of its stored shape."""
    path = os.path.join(directory, stem)
    opener = open if os.path.exists(path) else gzip.open
    with opener(path if os.path.exists(path) else path + ".gz", "rb") as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_split(directory, prefix):
    images = read_idx(directory, f"{prefix}-images-idx3-ubyte")
    labels = read_idx(directory, f"{prefix}-labels-idx1-ubyte")
    x = (torch.from_numpy(images.astype(np.float32)) / 255.0 - MEAN) / STD
    return x.unsqueeze(1).contiguous(), torch.from_numpy(labels.astype(np.int64))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def load_average():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def train_torch(data, epochs, batch, lr, seed):
    """Returns a list of (train seconds, test accuracy) per epoch."""
    torch.manual_seed(seed)
    x_train, y_train = load_split(data, "train")
    x_test, y_test = load_split(data, "t10k")
    model = lenet5()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    history = []
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(x_train))
        started = time.perf_counter()
        for first in range(0, len(x_train), batch):
            index = order[first:first + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[index]), y_train[index])
            loss.backward()
            optimizer.step()
        seconds = time.perf_counter() - started
        model.eval()
        correct = 0
        with torch.no_grad():
            for first in range(0, len(x_test), 1000):
                logits = model(x_test[first:first + 1000])
                correct += (logits.argmax(1) == y_test[first:first + 1000]).sum().item()
        history.append((seconds, correct / len(x_test)))
        print(f"pytorch epoch {len(history)}/{epochs}: {seconds:.1f} s, test acc {100 * correct / len(x_test):.2f}%", flush=True)
    return history, len(x_train)


def ours_history(summary_path):
    """(train seconds, test accuracy) per epoch from GpuTrainer's summary.json, and its device name."""
    with open(summary_path) as f:
        summary = json.load(f)
    history = [(summary["trainImages"] / e["imagesPerSecond"], e["testAccuracy"]) for e in summary["history"]]
    return history, summary["device"]


def steady(history):
    """Mean seconds of epochs 2..E (epoch 1 alone when E = 1)."""
    seconds = [s for s, _ in history]
    return statistics.mean(seconds[1:]) if len(seconds) > 1 else seconds[0]


def dotnet_version():
    try:
        return subprocess.run(["dotnet", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def table(ours, device, theirs, images, epochs, batch, lr, data, note, loads):
    ours_steady, torch_steady = steady(ours), steady(theirs)
    rows = [
        ("epoch 1 (s)", f"{ours[0][0]:.2f}", f"{theirs[0][0]:.2f}", f"{theirs[0][0] / ours[0][0]:.2f}"),
        (f"mean epoch 2..{epochs} (s)" if epochs > 1 else "epoch (s)",
         f"{ours_steady:.2f}", f"{torch_steady:.2f}", f"{torch_steady / ours_steady:.2f}"),
        ("images/s (steady)", f"{images / ours_steady:,.0f}", f"{images / torch_steady:,.0f}", ""),
        (f"test accuracy after epoch {epochs}", f"{100 * ours[-1][1]:.2f}%", f"{100 * theirs[-1][1]:.2f}%", ""),
    ]
    lines = [
        "# GpuTrainer (managed CPU backend) vs PyTorch, LeNet-5 training on CPU",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}",
        f"- machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}",
        f"- versions: PyTorch {torch.__version__} (torch.set_num_threads({torch.get_num_threads()})), "
        f"Python {platform.python_version()}, .NET SDK {dotnet_version()}",
        f"- GpuTrainer device: {device}",
        f"- recipe: {data}, {images:,} train images, batch {batch}, {epochs} epochs, Adam lr {lr:g} fixed, "
        "MNIST normalisation (0.1307, 0.3081), shuffled each epoch; seconds = training batches only",
        f"- 1-minute load average at the start and end of each side: GpuTrainer {loads[0]}, PyTorch {loads[1]} "
        "(the sides run one after the other; compare them only when the two are alike)",
    ]
    if note:
        lines.append(f"- note: {note}")
    lines += [
        "",
        "| metric | GpuTrainer | PyTorch | ratio (PyTorch time / ours) |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines) + "\n"


def emit(text, out):
    """Prints the table and, when out is given, writes it there too."""
    print(text)
    if out:
        with open(out, "w") as f:
            f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="directory of MNIST-format IDX files")
    parser.add_argument("--ours", required=True, help="GpuTrainer's summary.json for the same recipe")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ours-load", default="unknown", help="load average while GpuTrainer ran, e.g. '0.3 -> 2.1'")
    parser.add_argument("--note", default="", help="a line added to the table's header (e.g. machine load)")
    parser.add_argument("--out", help="also write the table to this Markdown file")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    ours, device = ours_history(args.ours)
    if len(ours) != args.epochs:
        parser.error(f"{args.ours} holds {len(ours)} epochs but --epochs is {args.epochs}")
    load_before = load_average()
    theirs, images = train_torch(args.data, args.epochs, args.batch, args.lr, args.seed)
    torch_load = f"{load_before} -> {load_average()}"
    emit(table(ours, device, theirs, images, args.epochs, args.batch, args.lr, args.data, args.note, (args.ours_load, torch_load)), args.out)


if __name__ == "__main__":
    main()
