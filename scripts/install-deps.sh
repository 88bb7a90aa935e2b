#!/usr/bin/env bash
# Installs what GpuTrainer's scripts and tests use beyond the .NET SDK, from Debian's packages: Node.js and npm (the
# report page's chart library and the plots' font come from npm: report/package-lock.json, installed here by
# scripts/report-deps.sh), Chromium (the report page's browser tests drive it through playwright-core), and full
# Fashion-MNIST (for --data examples and its loading test). Safe to run again; needs root.
#   bash scripts/install-deps.sh --torch    also PyTorch (python3-torch), to regenerate fixtures or compare speed
#   bash scripts/install-deps.sh --ptxas    also NVIDIA's ptxas/cuobjdump (nvidia-cuda-toolkit 11.8 from Debian's
#                                           non-free component), unpacked into a cache folder, never installed
# The ptxas tools land in ${GPUTRAINER_CUDA_CACHE:-$HOME/.cache/gputrainer/cuda}/usr/bin; scripts/ptx-report.sh
# and the PTX tests look there.
set -euo pipefail
packages=(dataset-fashion-mnist chromium)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)   # a Node.js from elsewhere (with its own npm) is kept
want_ptxas=0
for arg in "$@"; do
    case "$arg" in
        --torch) packages+=(python3-torch python3-numpy) ;;
        --ptxas) want_ptxas=1 ;;
        *) echo "install-deps: unknown option '$arg'; use --torch or --ptxas." >&2; exit 2 ;;
    esac
done

missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: not root; skipping Debian packages ${missing[*]} (tests that need them say so)." >&2
    else
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
fi

bash "$(dirname "$0")/report-deps.sh"

if [ "$want_ptxas" -eq 1 ]; then
    cache=${GPUTRAINER_CUDA_CACHE:-$HOME/.cache/gputrainer/cuda}
    if [ -x "$cache/usr/bin/ptxas" ] && [ -x "$cache/usr/bin/cuobjdump" ]; then
        exit 0
    fi
    # A private apt state: the machine's own Debian sources with 'non-free' added, its own lists and cache.
    # Nothing under /etc/apt or /var/lib/apt is touched, and the package is unpacked, not installed.
    state=$(mktemp -d)
    trap 'rm -rf "$state"' EXIT
    mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/sources.list.d" "$state/debs"
    found=0
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -e "$f" ] || continue
        grep -q 'debian' "$f" || continue
        sed -E 's/^(Components:.*)$/\1 non-free/' "$f" >"$state/sources.list.d/$(basename "$f")"
        found=1
    done
    if [ -f /etc/apt/sources.list ] && grep -q '^deb .*debian' /etc/apt/sources.list; then
        grep '^deb .*debian' /etc/apt/sources.list | sed -E 's/$/ non-free/' >"$state/sources.list.d/base.list"
        found=1
    fi
    if [ "$found" -eq 0 ]; then
        echo "install-deps: no Debian sources found under /etc/apt to derive the non-free list from." >&2
        exit 3
    fi
    opts=(-o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache" -o "Dir::Etc::sourcelist=/dev/null"
          -o "Dir::Etc::sourceparts=$state/sources.list.d" -o "Debug::NoLocking=1")
    apt-get "${opts[@]}" update -qq
    (cd "$state/debs" && apt-get "${opts[@]}" download -qq nvidia-cuda-toolkit)
    mkdir -p "$cache.partial"
    for deb in "$state"/debs/*.deb; do
        dpkg -x "$deb" "$cache.partial"
    done
    if [ ! -x "$cache.partial/usr/bin/ptxas" ]; then
        echo "install-deps: the nvidia-cuda-toolkit package held no usr/bin/ptxas." >&2
        rm -rf "$cache.partial"
        exit 3
    fi
    rm -rf "$cache"
    mv "$cache.partial" "$cache"
    "$cache/usr/bin/ptxas" --version | tail -n 1
fi
