#!/usr/bin/env python3
"""Reads DIR/kernels.json, DIR/sass/NAME.ptxas.txt and DIR/sass/NAME.sass (written by scripts/ptx-report.sh)
and writes DIR/report.json and DIR/report.md: per kernel the ptxas resources, SASS counts, the main loop's
FFMA share, the widths of global/shared loads and stores, and the blocks per SM that sm_90 allows."""
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

# sm_90 (H100/H200) per-SM limits.
REGS_PER_SM = 65536
REG_ALLOC_UNIT = 256          # registers are allocated per warp in units of 256
SMEM_PER_SM = 228 * 1024
SMEM_RESERVED_PER_BLOCK = 1024
MAX_BLOCKS_PER_SM = 32
MAX_THREADS_PER_SM = 2048

INSTRUCTION = re.compile(r"/\*([0-9a-f]{4,})\*/\s+(?:@!?U?P[T0-9]+\s+)?([A-Z][A-Z0-9_.]*)\s*([^;]*);")
BRANCH_TARGET = re.compile(r"0x([0-9a-f]+)")
MEMORY_OPS = ("LDG", "STG", "LDS", "STS", "LDL", "STL", "LD", "ST", "LDSM", "RED", "ATOM", "ATOMS", "ATOMG")


def parse_ptxas(text):
    regs = re.search(r"Used (\d+) registers", text)
    smem = re.search(r"(\d+) bytes smem", text)
    spill = re.search(r"(\d+) bytes spill stores, (\d+) bytes spill loads", text)
    stack = re.search(r"(\d+) bytes stack frame", text)
    return {
        "registers": int(regs.group(1)) if regs else 0,
        "sharedBytes": int(smem.group(1)) if smem else 0,
        "spillStoreBytes": int(spill.group(1)) if spill else 0,
        "spillLoadBytes": int(spill.group(2)) if spill else 0,
        "stackBytes": int(stack.group(1)) if stack else 0,
    }


def parse_sass(text):
    """[(address, opcode, operands)] without the NOP padding."""
    return [(int(m.group(1), 16), m.group(2), m.group(3)) for m in INSTRUCTION.finditer(text) if m.group(2) != "NOP"]


def width(opcode):
    """Bits moved by a load/store opcode: LDG.E.128 -> 128, LDS -> 32, LDG.E.U8 -> 8."""
    for part in opcode.split(".")[1:]:
        if part in ("128", "64", "32"):
            return int(part)
        if part in ("U8", "S8"):
            return 8
        if part in ("U16", "S16"):
            return 16
    return 32


def memory_widths(instructions):
    counts = Counter()
    for _, opcode, _ in instructions:
        base = opcode.split(".")[0]
        if base in MEMORY_OPS:
            counts[f"{base}.{width(opcode)}"] += 1
    return dict(sorted(counts.items()))


def loops(instructions):
    """Every backward branch (address, target) as the loop body [target, address]."""
    found = []
    for address, opcode, operands in instructions:
        if opcode.startswith("BRA"):
            target = BRANCH_TARGET.search(operands)
            if target and int(target.group(1), 16) < address:
                found.append((int(target.group(1), 16), address))
    return found


def mix(instructions):
    ops = Counter(opcode.split(".")[0] for _, opcode, _ in instructions)
    total = sum(ops.values())
    return {
        "instructions": total,
        "ffma": ops["FFMA"],
        "fmul": ops["FMUL"],
        "fadd": ops["FADD"],
        "ffmaShare": round(ops["FFMA"] / total, 3) if total else 0.0,
    }


def main_loop(instructions):
    """The backward-branch loop holding the most FFMA (the shortest on a tie); None without loops."""
    best = None
    for start, end in loops(instructions):
        body = [i for i in instructions if start <= i[0] <= end]
        m = mix(body)
        key = (m["ffma"], -m["instructions"])
        if best is None or key > best[0]:
            best = (key, m)
    return best[1] if best else None


def blocks_per_sm(threads, registers, shared_bytes):
    warps = math.ceil(threads / 32)
    regs_per_warp = math.ceil(max(registers, 1) * 32 / REG_ALLOC_UNIT) * REG_ALLOC_UNIT
    by_regs = REGS_PER_SM // (regs_per_warp * warps)
    by_smem = SMEM_PER_SM // (shared_bytes + SMEM_RESERVED_PER_BLOCK) if shared_bytes else MAX_BLOCKS_PER_SM
    by_threads = MAX_THREADS_PER_SM // (warps * 32)
    return {"byRegisters": by_regs, "bySharedMemory": by_smem, "byThreads": by_threads,
            "blocks": min(by_regs, by_smem, by_threads, MAX_BLOCKS_PER_SM)}


def auto_group(registers, shared_bytes):
    """ILGPU's auto-grouped launch asks the driver for the group size of highest occupancy: emulate it."""
    best = None
    for threads in range(32, 1025, 32):
        warps = blocks_per_sm(threads, registers, shared_bytes)["blocks"] * threads // 32
        if best is None or warps >= best[0]:
            best = (warps, threads)
    return best[1]


def analyse(folder):
    kernels = json.loads((folder / "kernels.json").read_text())
    rows = []
    for k in kernels:
        resources = parse_ptxas((folder / "sass" / f"{k['file']}.ptxas.txt").read_text())
        instructions = parse_sass((folder / "sass" / f"{k['file']}.sass").read_text())
        threads = k["groupThreads"] or auto_group(resources["registers"], resources["sharedBytes"])
        rows.append({
            "name": k["name"],
            "groupThreads": threads,
            "groupThreadsChosenByIlgpu": k["groupThreads"] is None,
            **resources,
            "sass": mix(instructions),
            "mainLoop": main_loop(instructions),
            "memoryOps": memory_widths(instructions),
            "occupancy": blocks_per_sm(threads, resources["registers"], resources["sharedBytes"]),
        })
    return rows


def markdown(rows, ptxas_version):
    out = ["# Static GPU report (sm_90, no GPU needed)", "",
           f"Written by `bash scripts/ptx-report.sh`: ILGPU 1.5.3 PTX (ISA 7.8, context at O2), `ptxas -arch=sm_90 -v` "
           f"({ptxas_version}), `cuobjdump -sass`. SASS counts exclude NOP padding. The main loop is the "
           "backward-branch loop with the most FFMA. Blocks/SM: sm_90 limits (65,536 registers in units of 256 per warp, "
           "228 KB shared memory with 1 KB reserved per block, 2,048 threads, 32 blocks); kernels marked * are "
           "auto-grouped, for which the group size of highest occupancy is assumed (what ILGPU asks the driver for).", "",
           "| kernel | threads | regs | spill B | smem B | SASS | FFMA | FFMA % | loop SASS | loop FFMA % | blocks/SM (regs, smem) | loads/stores |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for r in rows:
        loop = r["mainLoop"]
        occ = r["occupancy"]
        mem = ", ".join(f"{k} x{v}" for k, v in r["memoryOps"].items())
        out.append(
            f"| {r['name']} | {r['groupThreads']}{'*' if r['groupThreadsChosenByIlgpu'] else ''} | {r['registers']} | "
            f"{r['spillStoreBytes'] + r['spillLoadBytes']} | {r['sharedBytes']} | {r['sass']['instructions']} | {r['sass']['ffma']} | "
            f"{100 * r['sass']['ffmaShare']:.1f} | {loop['instructions'] if loop else '-'} | "
            f"{format(100 * loop['ffmaShare'], '.1f') if loop else '-'} | {occ['blocks']} ({occ['byRegisters']}, {occ['bySharedMemory']}) | {mem} |")
    return "\n".join(out) + "\n"


# ---- Predictions (H200), checked when a GPU appears -------------------------------------------------
# Model: time = max(issue time, HBM time) + launch overhead, per launch.
#   issue time: warp-instructions / (SMs x 4 schedulers x clock). For a GEMM-shaped kernel the work is the
#     padded FMAs (tile-rounded M, N, K) / 32 per warp, times (main-loop SASS instructions / main-loop FFMA);
#     groups run in ceil(groups / SMs) rounds on the busiest SM (one group's 8 warps alone can issue 4/clk).
#     Element-wise kernels: elements / 32 x whole-kernel SASS instructions.
#   HBM time: compulsory bytes (each operand read once, each output written once) / bandwidth.
# Inputs: H200 132 SMs, 1.98 GHz boost, 4 warp-instructions/clk/SM (so 32-lane FFMA peak = 66.9 TFLOP/s),
# 4.8 TB/s HBM3e, 2.5 us launch overhead (a typical CUDA launch-to-launch gap for a dependent stream).
SMS, CLOCK, ISSUE, HBM, LAUNCH = 132, 1.98e9, 4, 4.8e12, 2.5e-6
TILE = {"Tiled": (16, 16, 16), "Blocked64": (64, 64, 32), "Blocked128": (128, 128, 16)}


def gemm_variant(rows, cols, batch):
    """GemmChoice.ForGpu: least ceil(groups / 132) * BM * BN * (main-loop SASS per FFMA), constants as there."""
    per_fma = {"Tiled": 10.0, "Blocked64": 1.96, "Blocked128": 1.52}
    def cost(v):
        edge = TILE[v][0]
        return math.ceil(math.ceil(rows / edge) * math.ceil(cols / edge) * batch / SMS) * edge * edge * per_fma[v]
    return min(["Tiled", "Blocked64", "Blocked128"], key=cost)


def gemm_launch(label, operands, rows, cols, depth, batch=1, variant=None, members=1):
    """members: one launch for K members, GEMM batches K x batch; the variant is one member's (IlgpuBackend, GemmVariants)."""
    variant = variant or gemm_variant(rows, cols, batch)
    bm, bn, bk = TILE[variant]
    groups = math.ceil(rows / bm) * math.ceil(cols / bn) * batch * members
    fmas = groups * bm * bn * math.ceil(depth / bk) * bk
    bytes_ = 4 * batch * members * (rows * depth + depth * cols + rows * cols)
    return {"label": label, "kernel": f"GemmKernels.{variant}Kernel<{operands}>", "groups": groups,
            "usefulFlops": 2 * rows * cols * depth * batch, "paddedFmas": fmas, "bytes": bytes_}


def elementwise(label, kernel, elements, bytes_per_element, groups=None):
    """groups: a reduction that runs groups over channels (BiasGradientKernel) instead of one thread per element."""
    launch = {"label": label, "kernel": kernel, "elements": elements, "bytes": elements * bytes_per_element}
    return {**launch, "groups": groups} if groups else launch


def bias_gradient(label, elements, channels):
    """IlgpuBackend.BiasGradient: slices per channel so that about 256 groups run, each >= 4 elements per thread."""
    slices = max(1, min(math.ceil(256 / channels), math.ceil(elements / channels / (4 * 256)), 256))
    return elementwise(label, "ReductionKernels.BiasGradientKernel", elements, 4, groups=channels * slices)


def weight_splits(oc, cols, n, target_groups=256):
    """IlgpuBackend.SplitImages: split-K of a backward-weight GEMM over images, enough splits for about 256 groups."""
    bm, bn, _ = TILE[gemm_variant(oc, cols, 1)]
    tiles = math.ceil(oc / bm) * math.ceil(cols / bn)
    per_split = math.ceil(n / min(max(target_groups // tiles, 1), n))
    return per_split, math.ceil(n / per_split)


def lenet_step(n=128, k=1):
    """The launches of one LeNet-5 training step at batch n (Nn/LeNet5.cs, Adam, fused ops of IBackend.Fused.cs), in order,
    for a model of k members: every launch covers all k (GEMM batches k x its own, k x the elements or groups), split-K
    counts and GEMM variants are one member's. The gather is shared; conv1 reads the shared batch."""
    (img2, splits2), (img1, splits1) = weight_splits(16, 151, n), weight_splits(6, 26, n)
    c1, c2 = k * n * 6 * 28 * 28, k * n * 16 * 10 * 10
    p1, p2 = k * n * 6 * 14 * 14, k * n * 16 * 5 * 5

    def gemm(label, operands, rows, cols, depth, batch=1):
        return gemm_launch(label, operands, rows, cols, depth, batch=batch, members=k)

    launches = [
        elementwise("gather batch", "GatherKernels.BatchKernel", n * 784, 8),
        gemm("conv1 forward + bias + ReLU", "ConvForwardBiasActivationOperands", 6, n * 784, 25),
        elementwise("pool1 forward", "PoolingKernels.MaxForwardKernel", p1, 20),
        gemm("conv2 forward + bias + ReLU", "ConvForwardBiasActivationOperands", 16, n * 100, 150),
        elementwise("pool2 forward", "PoolingKernels.MaxForwardKernel", p2, 20),
        gemm("fc1 forward + bias + ReLU", "GemmBiasActivationOperands", n, 120, 400),
        gemm("fc2 forward + bias + ReLU", "GemmBiasActivationOperands", n, 84, 120),
        gemm("fc3 forward + bias", "GemmBiasActivationOperands", n, 10, 84),
        # The loss: one group of n threads per member, a row each.
        elementwise("softmax-cross-entropy", "LossKernels.SoftmaxCrossEntropyKernel", k * n, 84, groups=k),
        # LinearBackward: GEMM batch 0 is dW with db as an extra column (out x in+1, depth n), batch 1 dX masked by
        # the input's ReLU (n x in, depth out); the grid covers the larger of the two in each dimension.
        gemm("fc3 dW + db, dX (ReLU-masked)", "LinearBackwardOperands", max(10, n), 85, max(n, 10), batch=2),
        gemm("fc2 dW + db, dX (ReLU-masked)", "LinearBackwardOperands", max(84, n), 121, max(n, 84), batch=2),
        gemm("fc1 dW + db, dX", "LinearBackwardOperands", max(120, n), 401, max(n, 120), batch=2),
        elementwise("pool2 backward + ReLU backward", "PoolingKernels.MaxBackwardKernel", c2, 12),
        gemm(f"conv2 dW + db (split-K, {splits2} splits)", "ConvBackwardWeightBiasOperands", 16, 151, img2 * 100, batch=splits2),
        elementwise("conv2 dW + db split sums", "SplitSumKernels.SumSlicePairsKernel", k * 2416, splits2 * 4 + 4),
        gemm("conv2 dX", "ConvBackwardDataStride1Operands", 6, n * 196, 400),
        elementwise("pool1 backward + ReLU backward", "PoolingKernels.MaxBackwardKernel", c1, 12),
        gemm(f"conv1 dW + db (split-K, {splits1} splits)", "ConvBackwardWeightBiasOperands", 6, 26, img1 * 784, batch=splits1),
        elementwise("conv1 dW + db split sums", "SplitSumKernels.SumSlicePairsKernel", k * 156, splits1 * 4 + 4),
        elementwise("Adam (61,706 parameters per member)", "OptimizerKernels.StepKernel", k * 61706, 28),
    ]
    return launches


def cifar_step(n=128):
    """The launches of one training step of the cifar-cnn preset (Nn/ModelDescription.cs: conv 32 3x3 pad 1 + ReLU, max-pool
    2, conv 64 3x3 pad 1 + ReLU, max-pool 2, flatten, linear 256 + ReLU, linear 10) on 3x32x32 images at batch n, Adam,
    one member: the same kernels as LeNet-5's step at other shapes (1,070,794 parameters)."""
    (img2, splits2), (img1, splits1) = weight_splits(64, 289, n), weight_splits(32, 28, n)
    return [
        elementwise("gather batch", "GatherKernels.BatchKernel", n * 3072, 8),
        gemm_launch("conv1 forward + bias + ReLU", "ConvForwardBiasActivationOperands", 32, n * 1024, 27),
        elementwise("pool1 forward", "PoolingKernels.MaxForwardKernel", n * 32 * 16 * 16, 20),
        gemm_launch("conv2 forward + bias + ReLU", "ConvForwardBiasActivationOperands", 64, n * 256, 288),
        elementwise("pool2 forward", "PoolingKernels.MaxForwardKernel", n * 64 * 8 * 8, 20),
        gemm_launch("fc1 forward + bias + ReLU", "GemmBiasActivationOperands", n, 256, 4096),
        gemm_launch("fc2 forward + bias", "GemmBiasActivationOperands", n, 10, 256),
        elementwise("softmax-cross-entropy", "LossKernels.SoftmaxCrossEntropyKernel", n, 84, groups=1),
        gemm_launch("fc2 dW + db, dX (ReLU-masked)", "LinearBackwardOperands", max(10, n), 257, max(n, 10), batch=2),
        gemm_launch("fc1 dW + db, dX", "LinearBackwardOperands", max(256, n), 4097, max(n, 256), batch=2),
        elementwise("pool2 backward + ReLU backward", "PoolingKernels.MaxBackwardKernel", n * 64 * 16 * 16, 12),
        gemm_launch(f"conv2 dW + db (split-K, {splits2} splits)", "ConvBackwardWeightBiasOperands", 64, 289, img2 * 256, batch=splits2),
        elementwise("conv2 dW + db split sums", "SplitSumKernels.SumSlicePairsKernel", 64 * 289, splits2 * 4 + 4),
        gemm_launch("conv2 dX", "ConvBackwardDataStride1Operands", 32, n * 256, 576),
        elementwise("pool1 backward + ReLU backward", "PoolingKernels.MaxBackwardKernel", n * 32 * 32 * 32, 12),
        gemm_launch(f"conv1 dW + db (split-K, {splits1} splits)", "ConvBackwardWeightBiasOperands", 32, 28, img1 * 1024, batch=splits1),
        elementwise("conv1 dW + db split sums", "SplitSumKernels.SumSlicePairsKernel", 32 * 28, splits1 * 4 + 4),
        elementwise("Adam (1,070,794 parameters)", "OptimizerKernels.StepKernel", 1070794, 28),
    ]


def predict(launch, rows_by_name):
    r = rows_by_name[launch["kernel"]]
    if "paddedFmas" in launch:
        loop = r["mainLoop"] or r["sass"]
        per_fma = loop["instructions"] / max(loop["ffma"], 1)
        per_group = launch["paddedFmas"] / launch["groups"] / 32 * per_fma
        issue = math.ceil(launch["groups"] / SMS) * per_group / (ISSUE * CLOCK)
    elif "groups" in launch:
        # Each group's threads stride over its channel: (elements / groups) / 32 warp-iterations of the loop.
        loop = r["mainLoop"] or r["sass"]
        issue = math.ceil(launch["groups"] / SMS) * launch["elements"] / launch["groups"] / 32 * loop["instructions"] / (ISSUE * CLOCK)
    else:
        issue = launch["elements"] / 32 * r["sass"]["instructions"] / (SMS * ISSUE * CLOCK)
    memory = launch["bytes"] / HBM
    return {**launch, "issueUs": round(issue * 1e6, 2), "memoryUs": round(memory * 1e6, 2),
            "predictedUs": round((max(issue, memory) + LAUNCH) * 1e6, 2), "bound": "issue" if issue > memory else "memory"}


def predictions(rows):
    by_name = {r["name"]: r for r in rows}
    step = [predict(l, by_name) for l in lenet_step()]
    group = [predict(l, by_name) for l in lenet_step(k=16)]
    cifar = [predict(l, by_name) for l in cifar_step()]
    big = predict(gemm_launch("GEMM 4096^3", "GemmOperands", 4096, 4096, 4096), by_name)
    big["tflops"] = round(big["usefulFlops"] / (big["predictedUs"] * 1e-6) / 1e12, 1)
    return {"model": "max(issue, HBM) + 2.5 us launch; H200 132 SMs, 1.98 GHz, 4 issue/clk/SM, 4.8 TB/s",
            "lenetStepBatch128": step, "lenetStepUs": round(sum(p["predictedUs"] for p in step), 1),
            "group16StepBatch128": group, "group16StepUs": round(sum(p["predictedUs"] for p in group), 1),
            "cifarCnnStepBatch128": cifar, "cifarCnnStepUs": round(sum(p["predictedUs"] for p in cifar), 1), "gemm4096": big}


def predictions_markdown(p):
    out = ["", "## Predictions for an H200 (to check when a GPU appears)", "",
           "Model, per launch: time = max(issue time, HBM time) + 2.5 us launch overhead. Issue time counts warp-instructions "
           "at 4 per clock per SM on 132 SMs at 1.98 GHz (so all-FFMA code peaks at 66.9 TFLOP/s FP32): for GEMM-shaped "
           "kernels, padded FMAs (M, N, K rounded up to the tile) / 32 x (main-loop SASS / main-loop FFMA), spread in "
           "ceil(groups / 132) rounds over the busiest SM; for element-wise kernels, elements / 32 x the kernel's SASS count. "
           "HBM time: compulsory bytes / 4.8 TB/s. Latency, cache reuse and bank conflicts are ignored, so the figures are "
           "lower bounds for issue-bound launches.", "",
           "| launch (LeNet-5 step, batch 128) | kernel | groups | issue us | HBM us | predicted us |",
           "|---|---|---:|---:|---:|---:|"]
    for l in p["lenetStepBatch128"]:
        out.append(f"| {l['label']} | {l['kernel']} | {l.get('groups', '-')} | {l['issueUs']} | {l['memoryUs']} | {l['predictedUs']} |")
    g = p["gemm4096"]
    out += ["", f"LeNet-5 training step at batch 128: **{p['lenetStepUs']} us** predicted ({len(p['lenetStepBatch128'])} launches; "
            f"launch overhead alone is {2.5 * len(p['lenetStepBatch128']):.0f} us), so an epoch of 469 steps takes about "
            f"{p['lenetStepUs'] * 469 / 1000:.0f} ms on the device.", "",
            "| launch (16 members, batch 128: one launch for all) | kernel | groups | issue us | HBM us | predicted us |",
            "|---|---|---:|---:|---:|---:|"]
    for l in p["group16StepBatch128"]:
        out.append(f"| {l['label']} | {l['kernel']} | {l.get('groups', '-')} | {l['issueUs']} | {l['memoryUs']} | {l['predictedUs']} |")
    out += ["", f"A group of 16 LeNet-5 members at batch 128: **{p['group16StepUs']} us** a step predicted "
            f"({len(p['group16StepBatch128'])} launches), {p['group16StepUs'] / 16:.1f} us per member against "
            f"{p['lenetStepUs']} us alone ({p['lenetStepUs'] * 16 / p['group16StepUs']:.1f}x).", "",
            "| launch (cifar-cnn step, 3x32x32, batch 128) | kernel | groups | issue us | HBM us | predicted us |",
            "|---|---|---:|---:|---:|---:|"]
    for l in p["cifarCnnStepBatch128"]:
        out.append(f"| {l['label']} | {l['kernel']} | {l.get('groups', '-')} | {l['issueUs']} | {l['memoryUs']} | {l['predictedUs']} |")
    out += ["", f"A cifar-cnn training step at batch 128 (issue 18's preset): **{p['cifarCnnStepUs']} us** predicted "
            f"({len(p['cifarCnnStepBatch128'])} launches), so an epoch of 50,000 images (391 steps) takes about "
            f"{p['cifarCnnStepUs'] * 391 / 1000:.0f} ms on the device.", "",
            f"GEMM 4096^3 ({g['kernel']}, {g['groups']} groups): **{g['predictedUs'] / 1000:.2f} ms, {g['tflops']} TFLOP/s** predicted "
            f"({g['bound']}-bound)."]
    return "\n".join(out) + "\n"


def targets_markdown(rows, forecast):
    """Issue 8's static targets, each with its measured value."""
    by_name = {r["name"]: r for r in rows}
    gemm = by_name["GemmKernels.Blocked128Kernel<GemmOperands>"]
    spills = max(r["spillStoreBytes"] + r["spillLoadBytes"] for r in rows)
    step = {l["kernel"] for l in forecast["lenetStepBatch128"]}
    fewest = min((by_name[k]["occupancy"]["blocks"], k) for k in step)
    def mark(ok):
        return "met" if ok else "NOT met"
    return "\n".join([
        "", "## Targets (issue 8)", "",
        "| target | measured | status |", "|---|---|---|",
        f"| GEMM kernel (Blocked128Kernel<GemmOperands>) >= 50% FFMA, whole kernel | {100 * gemm['sass']['ffmaShare']:.1f}% "
        f"(main loop {100 * gemm['mainLoop']['ffmaShare']:.1f}%) | {mark(gemm['sass']['ffmaShare'] >= 0.5)} |",
        f"| 0 spill bytes in every kernel | largest {spills} B | {mark(spills == 0)} |",
        f"| >= 2 blocks/SM for every kernel a LeNet step launches | fewest {fewest[0]} ({fewest[1]}) | {mark(fewest[0] >= 2)} |",
    ]) + "\n"


def main():
    folder = Path(sys.argv[1])
    ptxas_version = sys.argv[2] if len(sys.argv) > 2 else "ptxas"
    rows = analyse(folder)
    forecast = predictions(rows)
    report = {"ptxas": ptxas_version, "arch": "sm_90", "kernels": rows, "predictions": forecast}
    (folder / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (folder / "report.md").write_text(markdown(rows, ptxas_version) + targets_markdown(rows, forecast) + predictions_markdown(forecast))


if __name__ == "__main__":
    main()
