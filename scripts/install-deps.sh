#!/usr/bin/env bash
# Installs what GpuTrainer's scripts and optional tests use beyond the .NET SDK, from Debian's packages:
# full Fashion-MNIST (for --data examples and its loading test). Safe to run again; needs root.
# PyTorch (python3-torch) is only needed to regenerate fixtures or run the speed comparison:
#   bash scripts/install-deps.sh --torch
set -euo pipefail
packages=(dataset-fashion-mnist)
if [ "${1:-}" = "--torch" ]; then
    packages+=(python3-torch python3-numpy)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: not root; skipping Debian packages ${missing[*]} (tests that need them return early)." >&2
    exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
