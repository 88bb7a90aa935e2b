#!/usr/bin/env bash
# Packs the dotnet tool, installs it from the local package only (its own NuGet config and package cache, so no
# other source and no stale cached copy is used) into a temporary --tool-path, and runs `gputrainer --version`,
# one epoch on the embedded sample that ships inside the tool (its folder gets report.html) and a short LR range test
# (lr-find.png). As root with util-linux's unshare, both run with every font folder hidden (an empty tmpfs over each,
# fontconfig pointed at nothing), and the plot's title must still be drawn text (scripts/png_has_text.py).
# Exit 0 when all of it works.
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
cat > "$tmp/runs.sh" <<SH
set -e
"$tmp/tools/gputrainer" run --epochs 1 --device cpu --out "$tmp/run" >"$tmp/run.log"
"$tmp/tools/gputrainer" lr-find --steps 200 --device cpu --out "$tmp/lr" >"$tmp/lr.log"
SH
fonts=present
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1; then
    hide='for d in /usr/share/fonts /usr/local/share/fonts "$HOME/.fonts" "$HOME/.local/share/fonts"; do [ ! -d "$d" ] || mount -t tmpfs none "$d"; done'
    unshare --mount --propagation private sh -c "$hide; export FONTCONFIG_FILE=/dev/null; sh $tmp/runs.sh"
    fonts=hidden
else
    sh "$tmp/runs.sh"
fi
grep -q "mnist-sample: 8,000 train / 2,000 test images" "$tmp/run.log" || { cat "$tmp/run.log" >&2; exit 1; }
grep -q "$tmp/tools/.store/" "$tmp/run.log" || { echo "tool-smoke: the sample was not the one inside the tool" >&2; cat "$tmp/run.log" >&2; exit 1; }
test -f "$tmp/run/metrics.csv"
grep -q '<script id="report-data"' "$tmp/run/report.html" || { echo "tool-smoke: the run wrote no report.html" >&2; exit 1; }
python3 "$root/scripts/png_has_text.py" "$tmp/lr/lr-find.png" >/dev/null || { echo "tool-smoke: lr-find.png has no title text (fonts $fonts)" >&2; exit 1; }
echo "tool-smoke: gputrainer $version installed from artifacts/packages, --version, a one-epoch run on the embedded sample (report.html) and a range test (lr-find.png with its labels drawn; fonts $fonts) passed"
