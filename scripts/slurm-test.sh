#!/usr/bin/env bash
# The real single-node Slurm test of the study's cluster route (README "Beyond one machine"):
# installs Debian's slurmctld, slurmd, slurm-client and munge when they are missing, starts munged,
# slurmctld and slurmd directly (no systemd) with every path under a temporary folder and a generated
# slurm.conf (the node line from `slurmd -C`, random ports), submits a small study with
# `study slurm --submit` (the embedded sample, 1 epoch, 8 cells as a job array, at most 2 at once),
# waits for it with a bound, and checks that `study report` ranks the same cells with the same numbers
# as the single-machine `study` with the same seed (every column but the time). The daemons are stopped
# and the folder removed on every exit (trap).
# Exit 0: passed; 1: failed; 77: skipped (Slurm cannot be installed here and CI is not set).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
start=$SECONDS

say() { echo "slurm test: $*"; }
skip_or_fail() {
    if [ "${CI:-}" = "true" ]; then say "FAILED: $1"; exit 1; fi
    say "SKIPPED: $1"; exit 77
}

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    [ "$(id -u)" = 0 ] || skip_or_fail "Slurm is not installed and installing it needs root"
    command -v apt-get >/dev/null || skip_or_fail "Slurm is not installed and there is no apt-get"
    say "installing slurmctld slurmd slurm-client munge"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get -o DPkg::Lock::Timeout=120 update -qq &&
      apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge; } >/dev/null ||
        skip_or_fail "apt-get could not install Slurm"
fi
[ "$(id -u)" = 0 ] || skip_or_fail "the daemons run as root here (SlurmUser=root); run as root"

cli="$root/src/GpuTrainer.Cli/bin/Release/net10.0/GpuTrainer.Cli.dll"
if [ ! -f "$cli" ]; then
    dotnet build "$root/src/GpuTrainer.Cli" -c Release --nologo -v quiet
fi
gputrainer() { dotnet "$cli" "$@"; }

tmp=$(mktemp -d /tmp/gputrainer-slurm.XXXXXX)
export SLURM_CONF="$tmp/slurm.conf"
stop_daemon() {   # name pidfile: TERM, then wait up to 10 s, then KILL
    local pid
    [ -f "$2" ] && pid=$(cat "$2") || return 0
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    say "$1 did not stop; killing it"
    kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
    local status=$?
    if [ -f "$tmp/slurmctld.pid" ]; then scancel --full --quiet --user=root 2>/dev/null || true; fi
    stop_daemon slurmd "$tmp/slurmd.pid"
    stop_daemon slurmctld "$tmp/slurmctld.pid"
    stop_daemon munged "$tmp/munged.pid"
    if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then
        for f in "$tmp"/*.log "$tmp"/study/slurm/logs/*; do
            [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }
        done
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# munge: the package's key, copied so that this root-run daemon owns it.
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool"
chmod 700 "$tmp/munge"
install -m 600 /etc/munge/munge.key "$tmp/munge/munge.key"
munged --force --socket="$tmp/munge/munge.socket" --key-file="$tmp/munge/munge.key" --pid-file="$tmp/munged.pid" \
    --log-file="$tmp/munged.log" --seed-file="$tmp/munge/munged.seed"

host=$(hostname -s)
node=$(slurmd -C | head -n 1)
port=$((17000 + RANDOM % 2000))
cat > "$SLURM_CONF" <<EOF
ClusterName=gputrainer-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MailProg=/bin/true
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -c -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"

for _ in $(seq 150); do
    [ "$(sinfo -h -o %T 2>/dev/null)" = "idle" ] && break
    sleep 0.2
done
[ "$(sinfo -h -o %T 2>/dev/null)" = "idle" ] || { say "FAILED: the node did not become idle ($(sinfo -h -o %T 2>&1))"; exit 1; }
say "cluster up after $((SECONDS - start)) s: $node"

# The study: Adam, fixed and step, 4 candidates = 8 cells of 1 epoch; a short range test.
recipe=(--opt adam --sched fixed,step --epochs 1 --start 1e-4 --end 1 --steps 40 --smooth 0.9 --device cpu --threads 1)
gputrainer study slurm "${recipe[@]}" --out "$tmp/study" --cpus-per-task 1 --mem 500M --max-parallel 2 --time 00:05:00 --submit
grep -q -- '--array=0-7%2' "$tmp/study/slurm/cells.sbatch" || { say "FAILED: cells.sbatch has no --array=0-7%2"; exit 1; }

# The single-machine study with the same recipe, while the cluster works.
gputrainer study "${recipe[@]}" --out "$tmp/single" > "$tmp/single.log" 2>&1 &
single=$!

deadline=$((SECONDS + 150))
while [ -n "$(squeue -h -o %i 2>/dev/null)" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        say "FAILED: the jobs did not finish within the bound:"; squeue; exit 1
    fi
    sleep 1
done
wait "$single" || { say "FAILED: the single-machine study failed"; tail -n 5 "$tmp/single.log"; exit 1; }

report_log=$(ls "$tmp"/study/slurm/logs/gputrainer-report-*.out)
grep -q "report: 8 of 8 cells finished" "$report_log" || { say "FAILED: the report job did not see 8 finished cells"; cat "$report_log"; exit 1; }
gputrainer study report --out "$tmp/study" > /dev/null

rows() { grep '^| [0-9]' "$1" | cut -d'|' -f1-9,11-; }   # the ranked table without its time column
if ! diff <(rows "$tmp/single/report.md") <(rows "$tmp/study/report.md"); then
    say "FAILED: the cluster's report differs from the single-machine study's (above)"
    exit 1
fi
[ "$(rows "$tmp/study/report.md" | wc -l)" -eq 8 ] || { say "FAILED: the report does not rank 8 cells"; exit 1; }
say "passed in $((SECONDS - start)) s: 8 cells as a Slurm array, report equal to the single-machine study's"
