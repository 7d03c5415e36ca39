#!/usr/bin/env bash
# Builds the fuzz targets and runs one of them (docs/robustness.md).
#
#   Fuzz/run.sh ingest|reader SECONDS [extra libFuzzer flags…]
#
# The working corpus grows in Fuzz/.build/corpus/<target>/ (gitignored), seeded from Fuzz/seeds/, data/samples/,
# Tests/Fixtures/public-data/ and Fuzz/regressions/; crashes, hangs and leaks are written to
# Fuzz/.build/findings/. A crash is saved and the run goes on with the time left; the log is
# Fuzz/.build/logs/<target>-<date>.log, and the last lines printed summarise the run (exit 1 when it found something).
#
# Environment: RIVERTRACE_FUZZ_KNOWN (findings to step over, e.g. iconv-leak,midline-row-end),
#              RIVERTRACE_SOURCE (rivertrace sources to fuzz; default the checkout), FUZZ_SCRATCH (build folder,
#              default Fuzz/.build), FUZZ_NO_BUILD=1 (use the last build), FUZZ_MAX_FINDINGS (stop after, default 20).
set -euo pipefail

cd "$(dirname "$0")"
FUZZ=$(pwd)
ROOT=$(cd .. && pwd)
TARGET=${1:?usage: Fuzz/run.sh ingest|reader SECONDS [flags…]}
SECONDS_TOTAL=${2:?usage: Fuzz/run.sh ingest|reader SECONDS [flags…]}
shift 2
case "$TARGET" in
  ingest) EXE=IngestFuzz; MAX_LEN=20000 ;;
  reader) EXE=ReaderFuzz; MAX_LEN=12000 ;;
  *) echo "run.sh: target is ingest or reader, not '$TARGET'" >&2; exit 2 ;;
esac
SCRATCH=${FUZZ_SCRATCH:-$FUZZ/.build}

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
  swift build -c release --scratch-path "$SCRATCH" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
    --product "$EXE" >&2
fi
BIN=$SCRATCH/release/$EXE
[ -x "$BIN" ] || { echo "run.sh: no fuzz binary at $BIN" >&2; exit 1; }

CORPUS=$FUZZ/.build/corpus/$TARGET
FINDINGS=$FUZZ/.build/findings
LOGS=$FUZZ/.build/logs
mkdir -p "$CORPUS" "$FINDINGS" "$LOGS"
LOG=$LOGS/$TARGET-$(date +%Y%m%d-%H%M%S).log

# Swift's own backtracer fights AddressSanitizer over a crashed process: libFuzzer's report is enough.
export SWIFT_BACKTRACE=enable=no
if [[ ",${RIVERTRACE_FUZZ_KNOWN:-}," == *",iconv-leak,"* ]]; then
  export LSAN_OPTIONS=suppressions=$FUZZ/lsan-known.supp
fi

SEEDS=("$FUZZ/seeds" "$ROOT/data/samples" "$ROOT/Tests/Fixtures/public-data" "$FUZZ/regressions")
echo "fuzz $TARGET for ${SECONDS_TOTAL}s: $BIN, corpus $CORPUS, log $LOG" >&2
# One process at a time; a finding ends it (its input saved in $FINDINGS) and the next one goes on with the
# time left, from the corpus grown so far. (libFuzzer's -fork mode does the same but restarts every few
# seconds, which cost two thirds of the executions here.)
deadline=$(( $(date +%s) + SECONDS_TOTAL ))
runs=0; findings=0; segments=0
while left=$(( deadline - $(date +%s) )); [ "$left" -gt 0 ]; do
  segments=$((segments + 1))
  status=0
  "$BIN" "$CORPUS" "${SEEDS[@]}" -dict="$FUZZ/rivertrace.dict" -max_len=$MAX_LEN -timeout=10 -rss_limit_mb=2048 \
    -max_total_time="$left" -print_final_stats=1 -artifact_prefix="$FINDINGS/$TARGET-" "$@" >> "$LOG" 2>&1 || status=$?
  done_runs=$(awk '/stat::number_of_executed_units/ {n = $2} END {print n + 0}' "$LOG")
  runs=$(( runs + done_runs ))
  # Keep the counts of the segments apart: later segments append to the same log.
  sed -i 's/stat::number_of_executed_units/stat::counted_executed_units/' "$LOG"
  [ "$status" = 0 ] && break
  findings=$((findings + 1))
  [ "$findings" -ge "${FUZZ_MAX_FINDINGS:-20}" ] && { echo "run.sh: $findings findings, stopping" >&2; break; }
done

# The summary: executions, the last coverage line, the findings saved.
last=$(grep -E '^#[0-9]+' "$LOG" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+' || true)
echo "$TARGET: $runs executions in ${SECONDS_TOTAL}s ($segments process(es)), $last, $findings finding(s)"
grep -oE "$FINDINGS/$TARGET-[a-z]+-[0-9a-f]{40}" "$LOG" | sort -u || true
[ "$findings" = 0 ]
