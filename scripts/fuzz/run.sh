#!/usr/bin/env bash
# Runs one fuzz target for a bounded time: scripts/fuzz/run.sh TARGET [SECONDS].
#
# The working corpus in .build/fuzz/corpus/TARGET grows across runs; the seeds in
# .build/fuzz/seeds/TARGET (from seeds.py) are read each time. A crash, leak or hang
# leaves its input in .build/fuzz/artifacts/TARGET/; reproduce it with
# `.build/fuzz/fuzz-TARGET FILE` and shrink it with `-minimize_crash=1 -runs=10000 FILE`.
# The log goes to .build/fuzz/logs/TARGET.log, and the last lines printed are
# libFuzzer's final stats: executed units, executions per second and new corpus units.
set -euo pipefail

cd "$(dirname "$0")/../.."
TARGET=${1:?usage: scripts/fuzz/run.sh ONNX|IDX|CIFAR|StudyConfig [SECONDS]}
SECONDS_TO_RUN=${2:-60}
FUZZ=.build/fuzz

case $TARGET in
    ONNX) MAX_LEN=4096 ;;
    IDX) MAX_LEN=4096 ;;
    # Up to two 3,073-byte records, so the fuzzer can build multi-record batches.
    CIFAR) MAX_LEN=8192 ;;
    StudyConfig) MAX_LEN=4096 ;;
    *) echo "run.sh: unknown target $TARGET" >&2; exit 2 ;;
esac

[[ -d $FUZZ/seeds/$TARGET ]] || python3 scripts/fuzz/seeds.py
mkdir -p "$FUZZ/corpus/$TARGET" "$FUZZ/artifacts/$TARGET" "$FUZZ/logs"
OPTIONS=(-max_total_time="$SECONDS_TO_RUN" -max_len="$MAX_LEN" -timeout=10 -rss_limit_mb=2048
         -print_final_stats=1 -artifact_prefix="$FUZZ/artifacts/$TARGET/")
[[ -f Fuzz/$TARGET/$TARGET.dict ]] && OPTIONS+=(-dict="Fuzz/$TARGET/$TARGET.dict")

# Swift's own crash handler reads the crashed process's memory, and ASan reports that as
# a second, misleading error. libFuzzer prints the stack of the Swift trap itself.
export SWIFT_BACKTRACE=enable=no
echo "fuzz: $TARGET for $SECONDS_TO_RUN s: $FUZZ/fuzz-$TARGET ${OPTIONS[*]} $FUZZ/corpus/$TARGET $FUZZ/seeds/$TARGET"
status=0
"$FUZZ/fuzz-$TARGET" "${OPTIONS[@]}" "$FUZZ/corpus/$TARGET" "$FUZZ/seeds/$TARGET" \
    >"$FUZZ/logs/$TARGET.log" 2>&1 || status=$?
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
    "$FUZZ/logs/$TARGET.log" | sed "s/^/fuzz: $TARGET: /" || true
# The DONE line gives the coverage and the corpus that libFuzzer kept in memory (units and
# bytes). The folder may hold more files, because libFuzzer does not delete inputs that
# later ones made redundant.
grep -E '^#[0-9]+[[:space:]]+DONE' "$FUZZ/logs/$TARGET.log" | tail -n 1 | sed "s/^/fuzz: $TARGET: /" || true
echo "fuzz: $TARGET: corpus folder $(find "$FUZZ/corpus/$TARGET" -type f | wc -l) files"
if [[ $status -ne 0 ]]; then
    echo "fuzz: $TARGET: libFuzzer exited with $status; see $FUZZ/logs/$TARGET.log and $FUZZ/artifacts/$TARGET/" >&2
    grep -E 'ERROR|Fatal error|SUMMARY|Test unit written' "$FUZZ/logs/$TARGET.log" | head -5 >&2 || true
fi
exit "$status"
