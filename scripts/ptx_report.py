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


def main():
    folder = Path(sys.argv[1])
    ptxas_version = sys.argv[2] if len(sys.argv) > 2 else "ptxas"
    rows = analyse(folder)
    (folder / "report.json").write_text(json.dumps({"ptxas": ptxas_version, "arch": "sm_90", "kernels": rows}, indent=2) + "\n")
    (folder / "report.md").write_text(markdown(rows, ptxas_version))


if __name__ == "__main__":
    main()
