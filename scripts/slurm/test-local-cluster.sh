#!/usr/bin/env bash
# End-to-end test of the Slurm scripts on a real single-node Slurm on this machine. It
# starts munged, slurmctld and slurmd on 127.0.0.1 and runs a small study twice: as a
# 4-task array plus the merge job through submit.sh, and on one machine. Both must give
# the same results.csv byte for byte, and the same results.json apart from the fields
# that record when, where and with how many threads a run ran. Then it resubmits one cut
# shard and checks again. It prints a PASS or FAIL line and exits non-zero on failure.
# Needs root, because it installs slurm-wlm and munge when missing, but not systemd.
# Everything Slurm keeps lives in STATE, cleared at the start:
#   STATE=/tmp/reram-emu-slurm-test  SWIFT=swift  JOB_TIMEOUT=600 (seconds)
# The daemons are stopped on every exit by the PIDs in their pid files.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
state=${STATE:-/tmp/reram-emu-slurm-test}
swift=${SWIFT:-swift}
job_timeout=${JOB_TIMEOUT:-600}
shards=4
test_started=$(date +%s)
started_munged=false
jobs_submitted=()
passed=""

step="starting"
failure=""
say() {
    step=$*
    echo "test-slurm: $*"
}
fail() {
    failure=$*
    exit 1
}

# Stops a daemon by the PID in its pid file if that process still runs under its name.
stop_pid_file() {
    local name=$1 file=$2 pid
    [ -s "$file" ] || return 0
    pid=$(cat "$file")
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    echo "test-slurm: $name (pid $pid) did not stop within 10 s; sending SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
}

# On every exit: cancels the jobs still queued, stops what this script started in reverse
# order, and ends with the PASS or FAIL line.
cleanup() {
    local status=$?
    set +e
    if [ ${#jobs_submitted[@]} -gt 0 ] && [ -n "$(squeue -h -j "$(IFS=,; echo "${jobs_submitted[*]}")" 2>/dev/null)" ]; then
        scancel "${jobs_submitted[@]}" 2>/dev/null
        sleep 2
    fi
    stop_pid_file slurmd "$state/run/slurmd.pid"
    stop_pid_file slurmctld "$state/run/slurmctld.pid"
    if $started_munged; then stop_pid_file munged /run/munge/munged.pid; fi
    if [ $status -eq 0 ]; then
        echo "test-slurm: PASS: $passed"
        exit 0
    fi
    for log in "$state"/log/*.log; do
        [ -f "$log" ] || continue
        echo "--- last lines of $log"
        tail -n 15 "$log"
    done
    echo "test-slurm: FAIL: ${failure:-exit status $status during: $step}"
    exit $status
}
trap cleanup EXIT
trap 'failure="interrupted during: $step"; exit 130' INT
trap 'failure="terminated during: $step"; exit 143' TERM

[ "$(id -u)" -eq 0 ] || fail "run as root: the test installs packages and starts munged and the Slurm daemons"

# Installs the packages only when missing.
missing=()
for package in slurm-wlm munge; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A clean state folder: job ids restart at 1 and no old journal is resumed. Daemons that
# an earlier run killed with SIGKILL left behind are stopped by their pid files first.
stop_pid_file slurmd "$state/run/slurmd.pid"
stop_pid_file slurmctld "$state/run/slurmctld.pid"
rm -rf "$state"
mkdir -p "$state"/{run,ctld,spool,log,study}

# munge: the Debian package creates /etc/munge/munge.key, but without systemd nothing
# creates /run/munge. A munged that already passes `munge -n | unmunge` is reused and
# left running.
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "using the munged already running"
else
    install -d -o munge -g munge -m 0755 /run/munge
    runuser -u munge -- /usr/sbin/munged
    started_munged=true
    for _ in $(seq 1 50); do
        munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
        sleep 0.2
    done
    munge -n | unmunge >/dev/null || fail "munged failed to start: munge -n | unmunge failed"
fi

# slurm.conf for one node on loopback. Its ports differ from the defaults (6817, 6818) so
# that a Slurm already configured on this machine keeps working.
host=$(hostname -s)
node=$(slurmd -C | head -n 1)
[[ $node == NodeName=* ]] || fail "slurmd -C printed no node line: $node"
export SLURM_CONF=$state/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=reram-emu-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmdPidFile=$state/run/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MailProg=/bin/true
ReturnToService=2
MinJobAge=600
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

say "starting slurmctld and slurmd (state in $state)"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
node_state=""
for _ in $(seq 1 60); do
    node_state=$(sinfo -h -o %T 2>/dev/null || true)
    [ "$node_state" = idle ] && break
    sleep 1
done
[ "$node_state" = idle ] || fail "node not idle after 60 s: sinfo shows '$node_state'"

say "building reram-emu"
(cd "$repo" && "$swift" build -c release --product reram-emu) >"$state/log/build.txt" 2>&1 ||
    { tail -n 30 "$state/log/build.txt"; fail "the release build failed"; }
binary=$repo/.build/release/reram-emu

# A small study from the default one: 3 levels x 2 variations x 2 ranges, 3 trials,
# scored on 500 images below. Paths in a config are relative to it, so they are made
# absolute for the copy.
config=$state/study/small.json
python3 - "$repo/configs/mnist-mlp.json" "$config" <<'PY'
import json, os, sys
source, target = sys.argv[1], sys.argv[2]
with open(source) as f:
    study = json.load(f)
base = os.path.dirname(os.path.abspath(source))
study["model"] = os.path.normpath(os.path.join(base, study["model"]))
for key, value in study["dataset"].items():
    if key.endswith(("Images", "Labels")):
        study["dataset"][key] = os.path.normpath(os.path.join(base, value))
study["name"] = "mnist-mlp-slurm-test"
study["grid"] = {"levels": [4, 16, "unquantized"], "variation": [0, 0.05], "dynamicRange": [10, 100]}
study["trials"] = 3
with open(target, "w") as f:
    json.dump(study, f, indent=2)
PY
run_options=(--limit 500 --quiet)
single=$state/study/single
out=$state/study/cluster

# Without accounting there is no sacct: squeue lists the jobs that still wait or run, and
# `scontrol show job` keeps the final states for MinJobAge seconds.
job_states() { scontrol show job -o "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort | uniq -c | awk '{ s = s (NR > 1 ? ", " : "") $1 " " $2 } END { printf "%s", s }'; }

# Waits for a shard array and its merge job, and fails unless all of them completed.
wait_for_jobs() {
    local array_job=$1 merge_job=$2 tasks=$3 since deadline shard_states merge_state
    since=$(date +%s)
    deadline=$((since + job_timeout))
    while [ -n "$(squeue -h -j "$array_job,$merge_job")" ]; do
        if scontrol show job -o "$array_job" | grep -Eq 'JobState=(FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL)'; then
            tail -n 20 "$out"/logs/shard-*-job"$array_job".out
            fail "a shard task of job $array_job failed: $(job_states "$array_job")"
        fi
        [ "$(date +%s)" -lt "$deadline" ] ||
            fail "jobs $array_job and $merge_job timed out after $job_timeout s: shards $(job_states "$array_job"), merge $(job_states "$merge_job")"
        sleep 2
    done
    shard_states=$(job_states "$array_job")
    merge_state=$(job_states "$merge_job")
    say "shards (job $array_job): $shard_states; merge (job $merge_job): $merge_state; $(($(date +%s) - since)) s"
    [ "$shard_states" = "$tasks COMPLETED" ] || fail "not every shard task of job $array_job completed"
    [ "$merge_state" = "1 COMPLETED" ] || { cat "$out/logs/merge-job$merge_job.out"; fail "merge job $merge_job did not complete"; }
}

# results.csv must match byte for byte, results.json apart from the timing fields.
compare_with_single() {
    cmp "$out/results.csv" "$single/results.csv" || fail "$1: results.csv differs from the single run"
    python3 - "$out/results.json" "$single/results.json" <<'PY' || fail "$1: results.json differs from the single run beyond the timing fields"
import json, sys
timing = {"runSeconds", "startedAt", "threads", "hostname"}
def without_timing(value):
    if isinstance(value, dict):
        return {key: without_timing(item) for key, item in value.items() if key not in timing}
    if isinstance(value, list):
        return [without_timing(item) for item in value]
    return value
merged, single = (without_timing(json.load(open(path))) for path in sys.argv[1:])
if merged != single:
    keys = sorted(key for key in set(merged) | set(single) if merged.get(key) != single.get(key))
    print("results.json differs in: " + ", ".join(keys))
    sys.exit(1)
PY
    say "$1: results.csv identical, results.json identical apart from the timing fields"
}

say "running the study on one machine"
"$binary" run "$config" --output "$single" "${run_options[@]}" >"$state/log/single.txt" 2>&1 ||
    { tail -n 20 "$state/log/single.txt"; fail "the single-machine run failed"; }

say "submitting $shards shards and the merge job with submit.sh"
RERAM_EMU=$binary "$repo/scripts/slurm/submit.sh" "$config" "$out" "$shards" "${run_options[@]}" >"$state/log/submit.txt"
array_job=$(sed -n 's/^array job: //p' "$state/log/submit.txt")
merge_job=$(sed -n 's/^merge job: //p' "$state/log/submit.txt")
[ -n "$array_job" ] && [ -n "$merge_job" ] || { cat "$state/log/submit.txt"; fail "submit.sh printed no job ids"; }
jobs_submitted=("$array_job" "$merge_job")
wait_for_jobs "$array_job" "$merge_job" "$shards"
compare_with_single "all shards"

# As if shard 3 had stopped after 2 of its grid points: its journal keeps the header and 2
# entries, and no merge has run. Resubmitting only that array task continues it.
say "cutting shard 3 back to 2 grid points; resubmitting only it and a new merge job"
journal=$out/shard-3/journal.jsonl
expected=$(($(wc -l <"$journal") - 1))
head -n 3 "$journal" >"$journal.cut" && mv "$journal.cut" "$journal"
rm "$out/results.csv" "$out/results.json"
export RERAM_EMU=$binary
array_job=$(sbatch --parsable --array=3 --output="$out/logs/shard-%a-job%A.out" \
    "$repo/scripts/slurm/run-shards.sbatch" "$config" "$out" "$shards" "${run_options[@]}")
merge_job=$(sbatch --parsable --dependency="afterok:$array_job" --output="$out/logs/merge-job%j.out" \
    "$repo/scripts/slurm/merge.sbatch" "$out" "$shards")
jobs_submitted+=("$array_job" "$merge_job")
wait_for_jobs "$array_job" "$merge_job" 1
entries=$(($(wc -l <"$journal") - 1))
[ "$entries" -eq "$expected" ] || fail "resubmitted shard 3 holds $entries grid points, not $expected"
compare_with_single "shard 3 resubmitted"

rows=$(($(wc -l <"$single/results.csv") - 1))
passed="a study of $rows grid points in $shards Slurm shards, merged, equals the single run, also after resubmitting one shard ($(($(date +%s) - test_started)) s in all)"
