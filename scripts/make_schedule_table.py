#!/usr/bin/python3
"""Writes tests/GpuTrainer.Tests/Fixtures/schedules.csv: learning rates from PyTorch's own schedulers.

Run with PyTorch 1.13:  /usr/bin/python3 scripts/make_schedule_table.py
Each case builds a torch.optim.lr_scheduler class on a dummy SGD optimizer and records
optimizer.param_groups[0]['lr'] before the first scheduler.step() (step 0) and after each step, exactly as
a training loop would see it. Columns:
    schedule  the ScheduleFactory name (fixed, step, multistep, exponential, cosine, cosine-restarts, poly, onecycle)
    params    key=value pairs separated by ';' (milestones separated by spaces), named like the ScheduleOptions
              properties; base_lr is the optimizer's lr (the peak lr for onecycle), warmup_steps and
              warmup_start_factor select a linear warmup, built in PyTorch as
              SequentialLR([LinearLR(start_factor, 1.0, total_iters=warmup_steps), schedule], milestones=[warmup_steps])
    step      scheduler steps taken
    lr        the learning rate, printed with repr (shortest round-trip form)
"""
import csv
import os
import warnings

import torch
from torch.optim import lr_scheduler as S

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "GpuTrainer.Tests", "Fixtures", "schedules.csv")

# (schedule name, params, steps to record after step 0)
CASES = [
    ("fixed", {"base_lr": 0.1}, 50),
    ("step", {"base_lr": 0.1, "StepSize": 30, "Gamma": 0.1}, 100),
    ("step", {"base_lr": 0.05, "StepSize": 7, "Gamma": 0.5}, 60),
    ("multistep", {"base_lr": 0.1, "Milestones": [30, 60, 80], "Gamma": 0.1}, 100),
    ("multistep", {"base_lr": 0.01, "Milestones": [5, 6, 40], "Gamma": 0.3}, 60),
    ("exponential", {"base_lr": 0.1, "Gamma": 0.95}, 100),
    ("exponential", {"base_lr": 1.0, "Gamma": 0.999}, 200),
    ("cosine", {"base_lr": 0.1, "TMax": 100, "EtaMin": 0.0}, 100),
    ("cosine", {"base_lr": 0.1, "TMax": 50, "EtaMin": 0.0}, 150),
    ("cosine", {"base_lr": 0.05, "TMax": 37, "EtaMin": 1e-4}, 120),
    ("cosine-restarts", {"base_lr": 0.1, "T0": 10, "TMult": 1, "EtaMin": 0.0}, 60),
    ("cosine-restarts", {"base_lr": 0.1, "T0": 5, "TMult": 2, "EtaMin": 1e-3}, 160),
    ("cosine-restarts", {"base_lr": 0.02, "T0": 3, "TMult": 3, "EtaMin": 0.0}, 120),
    ("poly", {"base_lr": 0.1, "TotalIters": 50, "Power": 1.0}, 60),
    ("poly", {"base_lr": 0.1, "TotalIters": 80, "Power": 2.0}, 100),
    ("poly", {"base_lr": 0.3, "TotalIters": 33, "Power": 0.9}, 50),
    ("onecycle", {"base_lr": 0.1, "TotalSteps": 100, "PctStart": 0.3, "Anneal": "Cos", "DivFactor": 25.0, "FinalDivFactor": 1e4, "ThreePhase": False}, 100),
    ("onecycle", {"base_lr": 0.5, "TotalSteps": 77, "PctStart": 0.25, "Anneal": "Linear", "DivFactor": 10.0, "FinalDivFactor": 100.0, "ThreePhase": False}, 77),
    ("onecycle", {"base_lr": 0.2, "TotalSteps": 120, "PctStart": 0.3, "Anneal": "Cos", "DivFactor": 25.0, "FinalDivFactor": 1e4, "ThreePhase": True}, 120),
    ("onecycle", {"base_lr": 0.05, "TotalSteps": 50, "PctStart": 0.4, "Anneal": "Linear", "DivFactor": 5.0, "FinalDivFactor": 1e3, "ThreePhase": True}, 50),
    ("fixed", {"base_lr": 0.1, "WarmupSteps": 10, "WarmupStartFactor": 0.25}, 30),
    ("step", {"base_lr": 0.1, "StepSize": 20, "Gamma": 0.5, "WarmupSteps": 5, "WarmupStartFactor": 0.1}, 80),
    ("multistep", {"base_lr": 0.1, "Milestones": [20, 50], "Gamma": 0.2, "WarmupSteps": 5, "WarmupStartFactor": 0.5}, 80),
    ("exponential", {"base_lr": 0.1, "Gamma": 0.97, "WarmupSteps": 3, "WarmupStartFactor": 0.5}, 60),
    ("cosine", {"base_lr": 0.1, "TMax": 90, "EtaMin": 1e-5, "WarmupSteps": 10, "WarmupStartFactor": 1.0 / 3}, 100),
    ("cosine-restarts", {"base_lr": 0.1, "T0": 8, "TMult": 2, "EtaMin": 0.0, "WarmupSteps": 4, "WarmupStartFactor": 0.2}, 80),
    ("poly", {"base_lr": 0.1, "TotalIters": 40, "Power": 2.0, "WarmupSteps": 8, "WarmupStartFactor": 0.01}, 60),
]


def make(name, p, optimizer):
    if name == "fixed":
        return S.LambdaLR(optimizer, lambda step: 1.0)
    if name == "step":
        return S.StepLR(optimizer, step_size=p["StepSize"], gamma=p["Gamma"])
    if name == "multistep":
        return S.MultiStepLR(optimizer, milestones=p["Milestones"], gamma=p["Gamma"])
    if name == "exponential":
        return S.ExponentialLR(optimizer, gamma=p["Gamma"])
    if name == "cosine":
        return S.CosineAnnealingLR(optimizer, T_max=p["TMax"], eta_min=p["EtaMin"])
    if name == "cosine-restarts":
        return S.CosineAnnealingWarmRestarts(optimizer, T_0=p["T0"], T_mult=p["TMult"], eta_min=p["EtaMin"])
    if name == "poly":
        return S.PolynomialLR(optimizer, total_iters=p["TotalIters"], power=p["Power"])
    if name == "onecycle":
        return S.OneCycleLR(optimizer, max_lr=p["base_lr"], total_steps=p["TotalSteps"], pct_start=p["PctStart"],
                            anneal_strategy=p["Anneal"].lower(), div_factor=p["DivFactor"],
                            final_div_factor=p["FinalDivFactor"], three_phase=p["ThreePhase"])
    raise ValueError(name)


def learning_rates(name, p, steps):
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=p["base_lr"], momentum=0.9)
    if "WarmupSteps" in p:
        warmup = S.LinearLR(optimizer, start_factor=p["WarmupStartFactor"], end_factor=1.0, total_iters=p["WarmupSteps"])
        scheduler = S.SequentialLR(optimizer, [warmup, make(name, p, optimizer)], milestones=[p["WarmupSteps"]])
    else:
        scheduler = make(name, p, optimizer)
    lrs = [optimizer.param_groups[0]["lr"]]
    for _ in range(steps):
        optimizer.step()
        scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    return lrs


def format_params(p):
    def value(v):
        if isinstance(v, list):
            return " ".join(str(m) for m in v)
        if isinstance(v, bool):
            return str(v).lower()
        return v if isinstance(v, str) else repr(v)
    return ";".join("%s=%s" % (k, value(v)) for k, v in p.items())


def main():
    warnings.simplefilter("ignore")  # SequentialLR's scheduler.step(0) is deprecated but is what it does
    rows = 0
    with open(OUT, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["schedule", "params", "step", "lr"])
        for name, p, steps in CASES:
            for step, lr in enumerate(learning_rates(name, p, steps)):
                writer.writerow([name, format_params(p), step, repr(lr)])
                rows += 1
    print("wrote %d rows for %d cases to %s" % (rows, len(CASES), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
