#!/usr/bin/python3
"""Writes tests/GpuTrainer.Tests/Fixtures/lenet_golden.bin: the PyTorch golden fixture for LeNet-5
(and, with --model cifar-cnn, cifar_cnn_golden.bin: the same for the cifar-cnn preset, described at the end).

Run with PyTorch 1.13 CPU:  /usr/bin/python3 scripts/make_golden.py [--model cifar-cnn]
Everything is float32 on one CPU thread with deterministic algorithms and fixed seeds, so reruns
write the same bytes.

Model (61,706 parameters):
    conv1 Conv2d(1,6,5,padding=2) -> ReLU -> MaxPool2d(2)      input (N,1,28,28) -> (N,6,14,14)
    conv2 Conv2d(6,16,5)          -> ReLU -> MaxPool2d(2)      -> (N,16,5,5)
    flatten (N,400) -> fc1 Linear(400,120) -> ReLU -> fc2 Linear(120,84) -> ReLU -> fc3 Linear(84,10)
Flat arena order = model.parameters() order, each tensor row-major:
    conv1.weight (6,1,5,5), conv1.bias (6), conv2.weight (16,6,5,5), conv2.bias (16),
    fc1.weight (120,400), fc1.bias (120), fc2.weight (84,120), fc2.bias (84), fc3.weight (10,84), fc3.bias (10).

Tensors in the file (B = 5 images, K = 4 optimizer steps, P = 61706):
    input          (5,1,28,28)  synthetic digit-like strokes, normalised with MNIST mean 0.1307 / std 0.3081
    labels         (5)          class indices 0..9, stored as float32
    params.init    (P)          PyTorch default init (weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)))
    logits         (5,10)       model(input) at params.init
    loss           (1)          mean cross-entropy of logits against labels
    grads          (P)          d(mean loss)/d(params) at params.init
    meta.numel     (10)         element count of each parameter tensor, arena order
    meta.fan_in    (10)         fan_in of the layer owning each parameter tensor, arena order
    <run>.losses   (K)          loss before each of the K steps (so <run>.losses[0] == loss)
    <run>.params   (P)          params after the K-th step
Each run starts from params.init and steps on the same batch, with fresh optimizer state:
    sgd           SGD(lr=0.05, momentum=0.9, dampening=0, nesterov=False, weight_decay=5e-4)
    sgd_nesterov  SGD(lr=0.05, momentum=0.9, dampening=0, nesterov=True,  weight_decay=0)
    adam          Adam(lr=1e-3, betas=(0.9,0.999), eps=1e-8, weight_decay=0)
    adamw         AdamW(lr=3e-3, betas=(0.9,0.999), eps=1e-8, weight_decay=0.5)
                  (lr*wd = 1.5e-3: the decoupled decay moves each parameter by 0.15% per step, about 0.6%
                  over K steps, far outside the tests' tolerance, so dropping or coupling the decay fails them)

File format (little-endian):
    int32 magic = 0x4C4E4554 ("LNET"), int32 version = 1, int32 tensor count, then per tensor:
    int32 name length in bytes, name (UTF-8), int32 rank, rank x int32 dims, prod(dims) x float32 data
    (row-major). A rank-0 tensor is not used; scalars are written with shape (1).
"""
import math
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

MAGIC = 0x4C4E4554
VERSION = 1
BATCH = 5
STEPS = 4
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "GpuTrainer.Tests", "Fixtures", "lenet_golden.bin")


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def digit_like_batch(generator):
    """Random thick strokes on a dark 28x28 canvas with faint noise, in [0,1], then MNIST-normalised."""
    images = torch.rand(BATCH, 1, 28, 28, generator=generator) * 0.05
    rows = torch.arange(28, dtype=torch.float32).view(28, 1)
    cols = torch.arange(28, dtype=torch.float32).view(1, 28)
    for n in range(BATCH):
        for _ in range(3):
            r0, c0, r1, c1 = (4 + torch.rand(4, generator=generator) * 20).tolist()
            for t in torch.linspace(0, 1, 24).tolist():
                r, c = r0 + t * (r1 - r0), c0 + t * (c1 - c0)
                blob = torch.exp(-((rows - r) ** 2 + (cols - c) ** 2) / 2.0)
                images[n, 0] = torch.maximum(images[n, 0], blob)
    return (images.clamp(0, 1) - 0.1307) / 0.3081


def flat(tensors):
    return torch.cat([t.detach().reshape(-1) for t in tensors])


def run_optimizer(model, init, x, y, make):
    """K steps of make(params) on (x, y) from init; returns (losses before each step, final flat params)."""
    torch.nn.utils.vector_to_parameters(init.clone(), model.parameters())
    optimizer = make(model.parameters())
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return torch.tensor(losses, dtype=torch.float32), flat(model.parameters())


def write(path, tensors):
    with open(path, "wb") as f:
        f.write(struct.pack("<iii", MAGIC, VERSION, len(tensors)))
        for name, t in tensors:
            t = t.detach().contiguous().float()
            encoded = name.encode("utf-8")
            f.write(struct.pack("<i", len(encoded)) + encoded)
            f.write(struct.pack("<i", t.dim()) + struct.pack("<%di" % t.dim(), *t.shape))
            f.write(t.numpy().astype("<f4").tobytes())
            print("%-20s %-16s %s" % (name, tuple(t.shape), "" if t.numel() > 10 else t.tolist()))


# The cifar-cnn preset (src/GpuTrainer/Nn/ModelDescription.cs):
#     conv 32 kernel=3 padding=1; relu; maxpool 2; conv 64 kernel=3 padding=1; relu; maxpool 2; flatten; linear 256; relu; linear 10
# on CIFAR-shaped input (B = 3 images of 3 channels). The images are 16x16, not CIFAR's 32x32: the layers are the
# preset's, only linear 256's fan-in shrinks from 4096 to 1024, which keeps the fixture at 3.4 MB instead of 13 MB
# (three arenas of P floats) and the ILGPU CPU accelerator's run short. P = 896 + 18,496 + 262,400 + 2,570 = 284,362.
# Tensors: input (3,3,16,16) uniform levels normalised with CIFAR-10's per-channel mean/std, labels (3), params.init,
# logits (3,10), loss (1), grads, adam.losses (4), adam.params: Adam(lr=1e-3) for four steps from params.init.
CIFAR_SIDE = 16
CIFAR_BATCH = 3
CIFAR_OUT = os.path.join(os.path.dirname(OUT), "cifar_cnn_golden.bin")


class CifarCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * (CIFAR_SIDE // 4) ** 2, 256)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))


def deterministic(seed):
    """Float32 on one CPU thread with deterministic algorithms, the model's initialisation seeded."""
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    torch.manual_seed(seed)


def gradients(model, x, y):
    """(logits, mean cross-entropy, flat d(loss)/d(params)) at the model's current parameters."""
    model.zero_grad()
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    return logits, loss, flat(p.grad for p in model.parameters())


def cifar_main():
    deterministic(20261206)
    model = CifarCnn()
    assert sum(p.numel() for p in model.parameters()) == 284362
    generator = torch.Generator().manual_seed(11)
    levels = torch.randint(0, 256, (CIFAR_BATCH, 3, CIFAR_SIDE, CIFAR_SIDE), generator=generator).float() / 255
    mean = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)
    std = torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1)
    x = (levels - mean) / std
    y = torch.randint(0, 10, (CIFAR_BATCH,), generator=generator)
    init = flat(model.parameters()).clone()
    logits, loss, grads = gradients(model, x, y)
    losses, params = run_optimizer(model, init, x, y, lambda p: torch.optim.Adam(p, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0))
    write(CIFAR_OUT, [
        ("input", x), ("labels", y.float()), ("params.init", init), ("logits", logits.detach()), ("loss", loss.detach().reshape(1)),
        ("grads", grads), ("adam.losses", losses), ("adam.params", params),
    ])
    print("loss %.6f, max |grad| %.4g, wrote %s (%d bytes)" % (loss.item(), grads.abs().max().item(), os.path.normpath(CIFAR_OUT), os.path.getsize(CIFAR_OUT)))


def main():
    deterministic(20240605)
    model = LeNet5()
    numels = [p.numel() for p in model.parameters()]
    assert sum(numels) == 61706, sum(numels)
    fan_in = []
    for layer in (model.conv1, model.conv2, model.fc1, model.fc2, model.fc3):
        fan = layer.weight[0].numel()
        fan_in += [fan, fan]

    generator = torch.Generator().manual_seed(5)
    x = digit_like_batch(generator)
    y = torch.randint(0, 10, (BATCH,), generator=generator)
    init = flat(model.parameters()).clone()
    logits, loss, grads = gradients(model, x, y)

    tensors = [
        ("input", x),
        ("labels", y.float()),
        ("params.init", init),
        ("logits", logits.detach()),
        ("loss", loss.detach().reshape(1)),
        ("grads", grads),
        ("meta.numel", torch.tensor(numels, dtype=torch.float32)),
        ("meta.fan_in", torch.tensor(fan_in, dtype=torch.float32)),
    ]
    runs = {
        "sgd": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0, nesterov=False, weight_decay=5e-4),
        "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0, nesterov=True, weight_decay=0),
        "adam": lambda p: torch.optim.Adam(p, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0),
        "adamw": lambda p: torch.optim.AdamW(p, lr=3e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.5),
    }
    for name, make in runs.items():
        losses, params = run_optimizer(model, init, x, y, make)
        tensors += [(name + ".losses", losses), (name + ".params", params)]

    write(OUT, tensors)
    print("loss %.6f, max |grad| %.4g, wrote %s (%d bytes)" % (loss.item(), grads.abs().max().item(), os.path.normpath(OUT), os.path.getsize(OUT)))


if __name__ == "__main__":
    cifar_main() if sys.argv[1:] == ["--model", "cifar-cnn"] else main()
