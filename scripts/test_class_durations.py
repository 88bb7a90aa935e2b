#!/usr/bin/env python3
"""Sums the per-test times of a `dotnet test --logger "console;verbosity=normal"` log by test class.

    dotnet test tests/GpuTrainer.Tests -c Release --no-build --filter "FullyQualifiedName~IlgpuCpu" \
        --logger "console;verbosity=normal" > ilgpu-cpu.log; uptime
    python3 scripts/test_class_durations.py ilgpu-cpu.log

Times are xunit's own per test (the first test of a collection also pays for its fixture); say the load beside them.
"""
import collections
import re
import sys

LINE = re.compile(r"\s+(Passed|Failed|Skipped) (GpuTrainer\.Tests\.[\w.]+?)\.(\w+)(\(.*\))? \[(.*)\]\s*$")
UNITS = {"m": 60.0, "s": 1.0, "ms": 1e-3}


def main(path):
    seconds, tests = collections.defaultdict(float), collections.Counter()
    for line in open(path, encoding="utf-8", errors="replace"):
        match = LINE.match(line)
        if match:
            cls = match.group(2).rsplit(".", 1)[-1]
            seconds[cls] += sum(float(v) * UNITS[u] for v, u in re.findall(r"([\d.]+) (m|s|ms)\b", match.group(5)))
            tests[cls] += 1
    for cls in sorted(seconds, key=seconds.get, reverse=True):
        print(f"{cls:40s} {tests[cls]:4d} tests {seconds[cls]:8.1f} s")
    print(f"{'total':40s} {sum(tests.values()):4d} tests {sum(seconds.values()):8.1f} s")


if __name__ == "__main__":
    main(sys.argv[1])
