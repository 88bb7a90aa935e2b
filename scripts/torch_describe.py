#!/usr/bin/python3
"""Trains a GpuTrainer model description with PyTorch 1.13 on MNIST-format IDX data, for side-by-side comparisons.

    /usr/bin/python3 scripts/torch_describe.py --model "conv 32 kernel=3 padding=1; relu; ..." --data DIR \
        --epochs 2 --batch 128 --lr 0.001 --seed 1 --threads 2

The description format is GpuTrainer's (src/GpuTrainer/Nn/ModelDescription.cs; pass its canonical text, which
`gputrainer models` prints per layer): conv OUT kernel=K stride=S padding=P, maxpool K stride=S, avgpool K stride=S,
relu, flatten, linear OUT. Recipe: Adam at a fixed rate, mean cross-entropy, shuffled batches (the last one kept), images
normalised with MNIST's mean and std as GpuTrainer does for IDX data. Prints one line per epoch: test accuracy and
the epoch's training time.
"""
import argparse
import gzip
import os
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">i", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank])
    return torch.frombuffer(bytearray(data[4 + 4 * rank:]), dtype=torch.uint8).reshape(dims)


def find(directory, name):
    for candidate in (name, name + ".gz"):
        if os.path.exists(os.path.join(directory, candidate)):
            return os.path.join(directory, candidate)
    raise SystemExit("missing " + name)


def build(text, shape):
    layers, (c, h, w) = [], shape
    for item in [i.strip() for i in text.split(";") if i.strip()]:
        words = item.split()
        kind = words[0]
        args = {k: int(v) for k, v in (a.split("=") for a in words[2:])}
        if kind == "conv":
            k, s, p = args["kernel"], args.get("stride", 1), args.get("padding", 0)
            layers.append(nn.Conv2d(c, int(words[1]), k, s, p))
            c, h, w = int(words[1]), (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        elif kind in ("maxpool", "avgpool"):
            k = int(words[1])
            s = args.get("stride", k)
            layers.append((nn.MaxPool2d if kind == "maxpool" else nn.AvgPool2d)(k, s))
            h, w = (h - k) // s + 1, (w - k) // s + 1
        elif kind == "relu":
            layers.append(nn.ReLU())
        elif kind == "flatten":
            layers.append(nn.Flatten())
            c, h, w = c * h * w, 1, 1
        elif kind == "linear":
            if h * w != 1 or not isinstance(layers[-1] if layers else None, (nn.Flatten, nn.Linear, nn.ReLU)):
                layers.append(nn.Flatten())
            layers.append(nn.Linear(c * h * w, int(words[1])))
            c, h, w = int(words[1]), 1, 1
    return nn.Sequential(*layers)


def main():
    a = argparse.ArgumentParser()
    for name, kind in (("--model", str), ("--data", str), ("--epochs", int), ("--batch", int), ("--lr", float), ("--seed", int), ("--threads", int)):
        a.add_argument(name, type=kind, required=True)
    o = a.parse_args()
    torch.set_num_threads(o.threads)
    torch.manual_seed(o.seed)
    split = {}
    for prefix in ("train", "t10k"):
        x = read_idx(find(o.data, prefix + "-images-idx3-ubyte")).float().div(255).sub(0.1307).div(0.3081).unsqueeze(1)
        y = read_idx(find(o.data, prefix + "-labels-idx1-ubyte")).long()
        split[prefix] = (x, y)
    model = build(o.model, tuple(split["train"][0].shape[1:]))
    optimizer = torch.optim.Adam(model.parameters(), lr=o.lr)
    x, y = split["train"]
    for epoch in range(1, o.epochs + 1):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(len(y))
        for b in range(0, len(y), o.batch):
            index = order[b:b + o.batch]
            optimizer.zero_grad()
            F.cross_entropy(model(x[index]), y[index]).backward()
            optimizer.step()
        seconds = time.perf_counter() - start
        model.eval()
        with torch.no_grad():
            tx, ty = split["t10k"]
            correct = sum((model(tx[b:b + 1000]).argmax(1) == ty[b:b + 1000]).sum().item() for b in range(0, len(ty), 1000))
        print("epoch %d  test acc %.2f%%  train %.1f s" % (epoch, 100.0 * correct / len(ty), seconds), flush=True)


if __name__ == "__main__":
    main()
