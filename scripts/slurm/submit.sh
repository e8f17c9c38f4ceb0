#!/usr/bin/env bash
# Submits a reram-emu study to Slurm as an array of N shard tasks plus a merge job that
# starts once every task has succeeded (--dependency=afterok). The results land in
# OUT/results.csv and OUT/results.json, the shard journals in OUT/shard-I, the logs in
# OUT/logs. See README.md beside this script.
# Usage: scripts/slurm/submit.sh CONFIG OUT N [run options...]
#   run options go to every `reram-emu run`, e.g. --limit 500 --trials 3 --quiet.
# Environment: RERAM_EMU, the binary (default: .build/release/reram-emu in this
# repository); SBATCH_OPTIONS, extra sbatch options for both jobs, e.g. "--partition=long".
# Prints the two job ids as "array job: ID" and "merge job: ID".
set -euo pipefail

if [ $# -lt 3 ]; then
    sed -n 's/^# \{0,1\}//; 2,10p' "$0" >&2
    exit 2
fi
config=$1 out=$2 count=$3
shift 3
case $count in
    '' | *[!0-9]* | 0*) echo "error: invalid shard count '$count'; N must be a positive integer without leading zeros" >&2; exit 2 ;;
esac
for option in "$@"; do
    case $option in
        --output | --output=* | --shard | --shard=* | --resume | --force)
            echo "error: invalid run option $option: run-shards.sbatch sets it, so leave it out" >&2
            exit 2 ;;
    esac
done
[ -f "$config" ] || { echo "error: config file not found: $config" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
binary=${RERAM_EMU:-$here/../../.build/release/reram-emu}
[ -x "$binary" ] || { echo "error: reram-emu binary not found at $binary; build it with: swift build -c release --product reram-emu" >&2; exit 2; }
# The jobs get absolute paths because they may start in another folder or on another node.
# That node must see the repository, the config, its data and OUT at the same paths.
export RERAM_EMU
RERAM_EMU=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
config=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)

# shellcheck disable=SC2086 # SBATCH_OPTIONS holds several options on purpose
array_job=$(sbatch --parsable ${SBATCH_OPTIONS:-} --array="1-$count" \
    --output="$out/logs/shard-%a-job%A.out" \
    "$here/run-shards.sbatch" "$config" "$out" "$count" "$@")
array_job=${array_job%%;*}
# shellcheck disable=SC2086
merge_job=$(sbatch --parsable ${SBATCH_OPTIONS:-} --dependency="afterok:$array_job" \
    --output="$out/logs/merge-job%j.out" \
    "$here/merge.sbatch" "$out" "$count")
merge_job=${merge_job%%;*}

echo "array job: $array_job"
echo "merge job: $merge_job"
echo "logs: $out/logs; results after the merge: $out/results.csv and results.json"
# The commands that rerun only failed shards (here 2 and 3), quoted for the shell.
run_args=$(printf ' %q' "$here/run-shards.sbatch" "$config" "$out" "$count" "$@")
merge_args=$(printf ' %q' "$here/merge.sbatch" "$out" "$count")
echo "if shards fail, cancel the waiting merge job and resubmit only those shards (here 2 and 3):"
echo "  scancel $merge_job"
echo "  export RERAM_EMU=$(printf %q "$RERAM_EMU")"
echo "  sbatch --array=2,3 --output=$(printf %q "$out/logs/shard-%a-job%A.out")$run_args"
echo "  sbatch --dependency=afterok:NEW_ARRAY_JOB_ID --output=$(printf %q "$out/logs/merge-job%j.out")$merge_args"
