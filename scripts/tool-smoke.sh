#!/usr/bin/env bash
# Packs the dotnet tool, installs it from the local package only (its own NuGet config and package cache, so no
# other source and no stale cached copy is used) into a temporary --tool-path, and runs `gputrainer --version` and
# one epoch on the embedded sample that ships inside the tool. Exit 0 when all of it works.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")
bash "$root/scripts/pack.sh" >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$root/artifacts/packages" />
  </packageSources>
</configuration>
XML
NUGET_PACKAGES="$tmp/nuget-cache" dotnet tool install GpuTrainer.Tool --version "$version" --tool-path "$tmp/tools" --configfile "$tmp/nuget.config" >/dev/null
shown=$("$tmp/tools/gputrainer" --version)
case "$shown" in
    *"$version"*) ;;
    *) echo "tool-smoke: 'gputrainer --version' printed '$shown', not version $version" >&2; exit 1 ;;
esac
cd "$tmp"   # far from the repository: the sample must come from inside the tool
"$tmp/tools/gputrainer" run --epochs 1 --device cpu --out "$tmp/run" >"$tmp/run.log"
grep -q "mnist-sample: 8,000 train / 2,000 test images" "$tmp/run.log" || { cat "$tmp/run.log" >&2; exit 1; }
grep -q "$tmp/tools/.store/" "$tmp/run.log" || { echo "tool-smoke: the sample was not the one inside the tool" >&2; cat "$tmp/run.log" >&2; exit 1; }
test -f "$tmp/run/metrics.csv"
echo "tool-smoke: gputrainer $version installed from artifacts/packages, --version and a one-epoch run on the embedded sample passed"
