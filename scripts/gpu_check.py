#!/usr/bin/env python3
"""GPU check: our figures (from `gputrainer gpubench --json`) beside PyTorch's on the same device, as one Markdown table.

Measures with PyTorch: torch.matmul n^3 FP32 (TF32 off), torch's fused (or foreach) Adam and a tensor copy over the
same parameter count as ours, and a LeNet-5 epoch in eager mode with the data resident on the device (synthetic
MNIST-shaped data, batches gathered by a shuffled index on the device, batch 128, Adam lr 1e-3, the per-step losses kept
on the device and read once per epoch, as our trainer does; cuDNN TF32 off too, so both sides compute in FP32).
Our per-step launches, host synchronisations and allocations (gpubench's lenet_step_* and group16_step_*) are listed against their targets. Without torch, or without CUDA in torch, the PyTorch columns say why they are empty.

    python3 gpu_check.py --ours bench.json --selftest-rc 0 [--device cuda|cpu] [--size full|small] [--out gpu-check.md]
"""
import argparse
import json
import sys
import time

# Must match BenchSizes.For in src/GpuTrainer/Diagnostics/BenchSizes.cs.
SIZES = {
    "full": dict(gemm=4096, adam=100_000_000, images=60_000, batch=128, repeats=10),
    "small": dict(gemm=64, adam=100_000, images=64, batch=32, repeats=1),
}
ADAM_BYTES_PER_PARAM = 28  # read p, g, m, v; write p, m, v (float32)


def timed(sync, repeats, fn):
    """Mean seconds of fn over `repeats` runs after one warm-up, waiting for the device around the loop."""
    fn()
    sync()
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    sync()
    return (time.perf_counter() - start) / repeats


def torch_figures(device, size):
    """PyTorch's figures on `device`, or (None, reason) when torch cannot run there."""
    try:
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
    except ImportError:
        return None, "PyTorch is not installed"
    if device == "cuda" and not torch.cuda.is_available():
        return None, "PyTorch sees no CUDA device"
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device(device)
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    s = SIZES[size]
    torch.manual_seed(0)
    out = {"torch": torch.__version__, "device": torch.cuda.get_device_name(0) if device == "cuda" else "CPU"}

    n = s["gemm"]
    a = torch.randn(n, n, device=dev)
    b = torch.randn(n, n, device=dev)
    out["gemm_gflops"] = 2 * n ** 3 / timed(sync, s["repeats"], lambda: torch.matmul(a, b)) / 1e9
    del a, b

    count = s["adam"]
    p = torch.zeros(count, device=dev, requires_grad=True)
    p.grad = torch.full((count,), 0.01, device=dev)
    for kind in ("fused", "foreach"):
        try:
            opt = torch.optim.Adam([p], lr=1e-3, **{kind: True})
        except (TypeError, RuntimeError, ValueError):
            continue
        try:
            seconds = timed(sync, s["repeats"], opt.step)
        except RuntimeError:
            continue  # fused Adam needs CUDA
        out["adam_gbps"] = count * ADAM_BYTES_PER_PARAM / seconds / 1e9
        out["adam_kind"] = kind
        break
    del p
    src = torch.empty(count * ADAM_BYTES_PER_PARAM // 8, device=dev)
    dst = torch.empty_like(src)
    out["copy_gbps"] = count * ADAM_BYTES_PER_PARAM / timed(sync, s["repeats"], lambda: dst.copy_(src)) / 1e9
    del src, dst

    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    images, batch = s["images"], s["batch"]
    x = torch.randn(images, 1, 28, 28, device=dev)
    y = torch.randint(0, 10, (images,), device=dev)

    def step(index):
        xb, yb = x[index], y[index]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        return loss.detach()

    order = torch.randperm(images, device=dev)
    for _ in range(3):
        step(order[:batch])
    sync()
    start = time.perf_counter()
    losses = torch.stack([step(order[i:i + batch]) for i in range(0, images, batch)])
    losses.cpu()  # the one read per epoch
    out["lenet_epoch_resident_s"] = time.perf_counter() - start
    return out, None


def share(a, b):
    return a / b if a and b else None


def fmt(value, digits=4):
    return "-" if value is None else f"{value:.{digits}g}"


def table(ours, theirs, why, selftest_rc, size):
    """The Markdown report: one row per figure with PyTorch's value, the ratio and the target."""
    o = {r["key"]: r["value"] for r in ours["results"]} if ours else {}
    t = theirs or {}
    torch_note = why or f"PyTorch {t.get('torch')} on {t.get('device')}"
    s = SIZES[size]
    n, count, images = s["gemm"], s["adam"], s["images"]
    lines = [
        f"# GPU check ({size})",
        "",
        f"- ours: {ours['device'] if ours else 'gpubench did not run'}",
        f"- reference: {torch_note}",
        "",
        "| check | ours | PyTorch | ratio | target | verdict |",
        "|---|---:|---:|---:|---|---|",
    ]

    def ratio_row(name, key, unit, target, higher_better, torch_key=None, ratio_of=None):
        mine, ref = o.get(key), t.get(torch_key or key)
        ratio = share(mine, ref)
        verdict = "-"
        if ratio is not None and target is not None:
            met = ratio >= target if higher_better else ratio <= target
            verdict = "MET" if met else "MISSED"
        goal = "-" if target is None else (f">= {target:g}x" if higher_better else f"<= {target:g}x")
        lines.append(f"| {name} ({unit}) | {fmt(mine)} | {fmt(ref)} | {fmt(ratio, 3)} | {goal} | {verdict} |")

    lines.append(f"| selftest --size {size} | {'PASS' if selftest_rc == 0 else f'FAIL (exit {selftest_rc})'} | - | - | all kernels pass | "
                 f"{'MET' if selftest_rc == 0 else 'MISSED'} |")
    ratio_row(f"GEMM {n}^3 FP32, ours vs torch.matmul TF32 off", "gemm_gflops", "GFLOP/s", 0.7, True)
    ratio_row(f"Adam {count:,} params, ours vs torch {(t.get('adam_kind', '') + ' ').lstrip()}Adam", "adam_gbps", "GB/s", None, True)
    ratio_row("copy of the same bytes, ILGPU MemoryBuffer vs torch copy_", "copy_gbps", "GB/s", None, True)
    mine = share(o.get("adam_gbps"), o.get("copy_gbps") or o.get("copy_kernel_gbps"))
    ref = share(t.get("adam_gbps"), t.get("copy_gbps"))
    lines.append(f"| Adam bandwidth / copy bandwidth, each on its own side | {fmt(mine, 3)} | {fmt(ref, 3)} | {fmt(share(mine, ref), 3)} | - | - |")
    ratio_row(f"LeNet-5 epoch, {images:,} images resident, ours vs eager", "lenet_epoch_resident_s", "s", 0.5, False)
    ratio_row("LeNet-5 epoch, ours uploading each batch vs eager resident", "lenet_epoch_upload_s", "s", None, False,
              torch_key="lenet_epoch_resident_s")
    for key, name, target in (("lenet_step_launches", "kernel launches per LeNet-5 step", 20), ("lenet_step_syncs", "host synchronisations per step", 0),
                              ("lenet_step_alloc_bytes", "bytes allocated per step", 0),
                              ("lenet_step_own_alloc_bytes", "bytes allocated per step outside ILGPU's launch calls", 0),
                              ("group16_step_launches", "kernel launches per step of a 16-member model", 24),
                              ("group16_step_syncs", "host synchronisations per step of a 16-member model", 0),
                              ("group16_step_own_alloc_bytes", "bytes allocated per 16-member step outside ILGPU's launch calls", 0)):
        mine = o.get(key)
        verdict = "-" if mine is None else ("MET" if mine <= target else "MISSED")
        lines.append(f"| {name} (ours) | {fmt(mine)} | - | - | <= {target} | {verdict} |")
    lines += ["", "Ratios are ours / PyTorch. Both resident LeNet-5 loops keep the losses on the device and read them once per epoch;",
              "the upload row reads each step's loss back. TF32 is off on both sides."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ours", help="JSON written by `gputrainer gpubench --json`")
    parser.add_argument("--selftest-rc", type=int, required=True, help="exit code of `gputrainer selftest`")
    parser.add_argument("--device", choices=["cuda", "cpu"], default="cuda", help="where PyTorch runs (cpu: dry run)")
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--out", help="also write the table here")
    args = parser.parse_args()

    ours = None
    if args.ours:
        try:
            with open(args.ours, encoding="utf-8") as f:
                ours = json.load(f)
        except (OSError, ValueError) as e:
            print(f"gpu_check: cannot read our figures ({e}); the table shows PyTorch only.", file=sys.stderr)
    theirs, why = torch_figures(args.device, args.size)
    if why:
        print(f"gpu_check: {why}; the PyTorch columns stay empty.", file=sys.stderr)
    report = table(ours, theirs, why, args.selftest_rc, args.size)
    print(report)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
