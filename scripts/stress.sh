#!/usr/bin/env bash
# The long part of the robustness suite (`make stress`; docs/robustness.md). Not part of `make test`.
#
#   scripts/stress.sh            # or: make stress
#
#   1. build  — the release binary, in its own scratch folder (.build-stress);
#   2. kill   — a few-hundred-MB long dump in several files is ingested again and again and killed with SIGKILL
#               at a random moment (mid-transaction, between files, during the WAL checkpoint); after each kill
#               the store must pass PRAGMA integrity_check, hold exactly the readings its ledger accounts for
#               (per file and in all), and answer `rivertrace status`; at the end a run without a kill must
#               finish the dump, and every reading be stored exactly once, the per-file counts those of a clean
#               run, and one more run skip every file;
#   3. memory — a ~1 GB long dump is generated (streamed, never committed) and ingested under /usr/bin/time -v:
#               every reading stored, peak RSS under the limit;
#   4. fuzz   — both fuzz targets replay the committed regressions and seeds, then fuzz for a short while.
#
# Exits non-zero when any check fails; prints a summary; removes its work folder (stress-work/, gitignored)
# unless STRESS_KEEP=1. Needs python3 (dumps and the store check, with its sqlite3 module) and /usr/bin/time.
#
# Environment (defaults in brackets): STRESS_KILL_ROUNDS [20], STRESS_KILL_READINGS [6000000, about 265 MB],
# STRESS_KILL_FILES [8], STRESS_BIG_READINGS [24300000, about 1.07 GB], STRESS_RSS_LIMIT_MIB [200],
# STRESS_FUZZ_SECONDS [30 per target], STRESS_SEED [random; printed, to repeat a run's kill times],
# STRESS_SKIP (comma list of kill,memory,fuzz to leave out), SWIFT [swift].
# RIVERTRACE_FUZZ_KNOWN passes on to the fuzz targets (findings to step over, see docs/robustness.md).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
SWIFT=${SWIFT:-swift}
WORK=$ROOT/stress-work
SCRATCH=$ROOT/.build-stress
NETWORK=$ROOT/data/network
ROUNDS=${STRESS_KILL_ROUNDS:-20}
KILL_READINGS=${STRESS_KILL_READINGS:-6000000}
KILL_FILES=${STRESS_KILL_FILES:-8}
BIG_READINGS=${STRESS_BIG_READINGS:-24300000}
RSS_LIMIT_MIB=${STRESS_RSS_LIMIT_MIB:-200}
FUZZ_SECONDS=${STRESS_FUZZ_SECONDS:-30}
SEED=${STRESS_SEED:-$((RANDOM * 32768 + RANDOM))}
SKIP=",${STRESS_SKIP:-},"
TIME=/usr/bin/time

[ -x "$TIME" ] || { echo "stress: $TIME not found (apt-get install time)" >&2; exit 1; }
python3 -c 'import sqlite3' 2>/dev/null || { echo "stress: python3 with its sqlite3 module is needed" >&2; exit 1; }

SUMMARY=()
FAILURES=0
STARTED=$(date +%s)
note() { SUMMARY+=("$1"); echo "$1"; }
fail() { FAILURES=$((FAILURES + 1)); note "FAIL: $1"; }
cleanup() {
  [ -n "${INGEST_PID:-}" ] && kill -9 "$INGEST_PID" 2>/dev/null || true
  if [ "${STRESS_KEEP:-0}" = 1 ]; then echo "stress: work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
rm -rf "$WORK"
mkdir -p "$WORK"

# Checks a store with SQLite itself (python3's sqlite3): integrity, and that the readings, conflicts and
# quarantine rows are exactly what the ledger accounts for, file by file. Prints one line of figures; with a
# second argument (a JSON file of {path: [accepted, duplicates, conflicts, quarantined]}) also requires every
# ledgered file to carry those counts, and with a third (a number) that the store holds that many readings.
check_store() {
  python3 - "$@" <<'PY'
import json, sqlite3, sys
path = sys.argv[1]
expected = json.load(open(sys.argv[2])) if len(sys.argv) > 2 and sys.argv[2] else None
want_readings = int(sys.argv[3]) if len(sys.argv) > 3 else None
problems = []
db = sqlite3.connect(path)
integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
if integrity != ["ok"]:
    problems.append("integrity_check: " + "; ".join(integrity[:5]))
ledger = db.execute("SELECT id, path, accepted, duplicates, conflicts, quarantined FROM ingested_file").fetchall()
stored = dict(db.execute("SELECT file_id, COUNT(*) FROM reading GROUP BY file_id").fetchall())
conflicts = dict(db.execute("SELECT file_id, COUNT(*) FROM conflict GROUP BY file_id").fetchall())
quarantine = dict(db.execute("SELECT file_id, COUNT(*) FROM quarantine GROUP BY file_id").fetchall())
ids = {row[0] for row in ledger}
for name, table in (("readings", stored), ("conflicts", conflicts), ("quarantine rows", quarantine)):
    orphans = set(table) - ids
    if orphans:
        problems.append(f"{name} of files not in the ledger: ids {sorted(orphans)[:5]}")
paths = [row[1] for row in ledger]
if len(paths) != len(set(paths)):
    problems.append("a file is in the ledger twice")
for file_id, file_path, accepted, duplicates, conflict_count, quarantined in ledger:
    if stored.get(file_id, 0) != accepted:
        problems.append(f"{file_path}: {stored.get(file_id, 0)} readings stored, ledger says {accepted} accepted")
    if conflicts.get(file_id, 0) != conflict_count:
        problems.append(f"{file_path}: {conflicts.get(file_id, 0)} conflict rows, ledger says {conflict_count}")
    if quarantine.get(file_id, 0) != quarantined:
        problems.append(f"{file_path}: {quarantine.get(file_id, 0)} quarantine rows, ledger says {quarantined}")
    if expected is not None and file_path in expected and expected[file_path] != [accepted, duplicates, conflict_count, quarantined]:
        problems.append(f"{file_path}: counts {[accepted, duplicates, conflict_count, quarantined]}, a clean run gave {expected[file_path]}")
total = sum(stored.values())
if want_readings is not None and total != want_readings:
    problems.append(f"{total} readings stored, expected {want_readings}")
print(f"integrity ok={integrity == ['ok']} files={len(ledger)} readings={total} "
      f"ledger_accepted={sum(row[2] for row in ledger)} duplicates={sum(row[3] for row in ledger)}")
for problem in problems:
    print("  problem: " + problem)
sys.exit(1 if problems else 0)
PY
}

# The ledger's per-file counts as JSON (for comparing a killed-and-resumed store with a clean one).
ledger_counts() {
  python3 - "$1" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(json.dumps({path: [a, d, c, q] for path, a, d, c, q in db.execute(
    "SELECT path, accepted, duplicates, conflicts, quarantined FROM ingested_file")}))
PY
}

# Seconds (with a fraction) since the epoch.
now() { date +%s.%N; }

echo "== 1. build (release, scratch path .build-stress)"
"$SWIFT" build -c release --scratch-path "$SCRATCH" --product rivertrace
BIN=$("$SWIFT" build -c release --scratch-path "$SCRATCH" --show-bin-path)/rivertrace
[ -x "$BIN" ] || { echo "stress: no binary at $BIN" >&2; exit 1; }
SOURCE="commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
DIRTY=$(git status --porcelain -- Sources Package.swift 2>/dev/null | wc -l | tr -d ' ')
[ "$DIRTY" = 0 ] || SOURCE="$SOURCE + $DIRTY uncommitted change(s) under Sources/ and Package.swift"
note "build: $BIN ($SOURCE; seed $SEED)"
RANDOM=$SEED

if [[ $SKIP != *,kill,* ]]; then
  echo "== 2. kill -9 loop: $ROUNDS rounds over $KILL_READINGS readings in $KILL_FILES files"
  DUMPS=$WORK/kill-dumps
  mkdir -p "$DUMPS"
  python3 scripts/make_long_dump.py "$KILL_READINGS" -o "$WORK/kill-all.csv"
  HEADER=$(head -n 1 "$WORK/kill-all.csv")
  PER_FILE=$(( (KILL_READINGS + KILL_FILES - 1) / KILL_FILES ))
  tail -n +2 "$WORK/kill-all.csv" | HEADER=$HEADER split -l "$PER_FILE" -d -a 3 --additional-suffix=.csv \
    --filter='{ printf "%s\n" "$HEADER"; cat; } > "$FILE"' - "$DUMPS/part-"
  rm "$WORK/kill-all.csv"
  note "kill: dump of $KILL_READINGS readings, $(du -sm "$DUMPS" | cut -f1) MB in $(ls "$DUMPS" | wc -l) files"

  # A clean run first: its time bounds the kill moments, its per-file counts are what every resumed store must reach.
  REFERENCE=$WORK/reference.sqlite
  start=$(now)
  if ! "$BIN" ingest --store "$REFERENCE" --network "$NETWORK" "$DUMPS" > "$WORK/reference.log" 2>&1; then
    fail "kill: the clean reference ingest failed: $(tail -n 3 "$WORK/reference.log")"
  fi
  FULL=$(python3 -c "print(round($(now) - $start, 2))")
  ledger_counts "$REFERENCE" > "$WORK/reference.json"
  check_store "$REFERENCE" "" "$KILL_READINGS" > "$WORK/check.out" || fail "kill: reference store: $(cat "$WORK/check.out")"
  rm -f "$REFERENCE" "$REFERENCE"-wal "$REFERENCE"-shm
  note "kill: clean ingest of the dump took ${FULL}s"

  STORE=$WORK/killed.sqlite
  killed=0; finished=0; restarts=0; checked=0
  for round in $(seq 1 "$ROUNDS"); do
    # A store that has every file already is started afresh, so that kills keep landing in real work.
    if [ -f "$STORE" ] && [ "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM ingested_file').fetchone()[0])" "$STORE")" -ge "$KILL_FILES" ]; then
      rm -f "$STORE" "$STORE"-wal "$STORE"-shm
      restarts=$((restarts + 1))
    fi
    delay=$(python3 -c "import random; random.seed($SEED * 1000 + $round); print(round(random.uniform(0.05, $FULL), 2))")
    "$BIN" ingest --store "$STORE" --network "$NETWORK" "$DUMPS" > "$WORK/round.log" 2>&1 &
    INGEST_PID=$!
    sleep "$delay"
    if kill -9 "$INGEST_PID" 2>/dev/null; then killed=$((killed + 1)); else finished=$((finished + 1)); fi
    wait "$INGEST_PID" 2>/dev/null || true
    INGEST_PID=
    if check_store "$STORE" "$WORK/reference.json" > "$WORK/check.out"; then
      checked=$((checked + 1))
    else
      fail "kill: round $round (killed after ${delay}s): $(cat "$WORK/check.out")"
    fi
    if ! "$BIN" status --store "$STORE" --network "$NETWORK" > "$WORK/status.out" 2>&1; then
      fail "kill: round $round: rivertrace status failed: $(tail -n 3 "$WORK/status.out")"
    fi
    echo "  round $round: kill after ${delay}s: $(head -n 1 "$WORK/check.out")"
  done
  note "kill: $ROUNDS rounds: $killed killed mid-run, $finished had finished first, $restarts fresh stores; $checked stores consistent after the kill"

  # Resume: the last store must be completed by one run without a kill, every reading exactly once.
  "$BIN" ingest --store "$STORE" --network "$NETWORK" "$DUMPS" > "$WORK/resume.log" 2>&1 \
    || fail "kill: the resuming ingest exited $?: $(tail -n 3 "$WORK/resume.log")"
  if check_store "$STORE" "$WORK/reference.json" "$KILL_READINGS" > "$WORK/check.out"; then
    note "kill: resumed store complete: $(head -n 1 "$WORK/check.out")"
  else
    fail "kill: resumed store: $(cat "$WORK/check.out")"
  fi
  python3 - "$STORE" "$WORK/reference.json" <<'PY' || fail "kill: the resumed store's ledger differs from the clean run's"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
got = {path: [a, d, c, q] for path, a, d, c, q in db.execute(
    "SELECT path, accepted, duplicates, conflicts, quarantined FROM ingested_file")}
sys.exit(0 if got == json.load(open(sys.argv[2])) else 1)
PY
  # And once more: nothing new, every file skipped, nothing added.
  "$BIN" ingest --store "$STORE" --network "$NETWORK" "$DUMPS" > "$WORK/again.log" 2>&1 \
    || fail "kill: the repeated ingest exited $?"
  check_store "$STORE" "$WORK/reference.json" "$KILL_READINGS" > "$WORK/check.out" \
    || fail "kill: after a repeated ingest: $(cat "$WORK/check.out")"
  skipped=$(grep -ci "skipped" "$WORK/again.log" || true)
  note "kill: a repeated ingest added nothing ($skipped lines of its log say skipped)"
  rm -rf "$DUMPS" "$STORE" "$STORE"-wal "$STORE"-shm
fi

if [[ $SKIP != *,memory,* ]]; then
  echo "== 3. memory: a ~1 GB dump of $BIG_READINGS readings"
  BIG=$WORK/big_dump.csv
  python3 scripts/make_long_dump.py "$BIG_READINGS" -o "$BIG"
  BYTES=$(stat -c %s "$BIG")
  STORE=$WORK/big.sqlite
  status=0
  "$TIME" -v "$BIN" ingest --store "$STORE" --network "$NETWORK" "$BIG" > "$WORK/big.log" 2> "$WORK/big.time" || status=$?
  RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/big.time")
  WALL=$(awk -F': ' '/Elapsed \(wall clock\) time/ {print $2}' "$WORK/big.time")
  RSS_MIB=$(python3 -c "print(round($RSS_KB / 1024, 1))")
  [ "$status" = 0 ] || fail "memory: ingest exited $status: $(tail -n 3 "$WORK/big.log")"
  check_store "$STORE" "" "$BIG_READINGS" > "$WORK/check.out" || fail "memory: $(cat "$WORK/check.out")"
  if [ "$RSS_KB" -lt $((RSS_LIMIT_MIB * 1024)) ]; then
    note "memory: $BYTES bytes ($BIG_READINGS readings): peak RSS $RSS_MIB MiB (limit $RSS_LIMIT_MIB), wall $WALL"
  else
    fail "memory: $BYTES bytes: peak RSS $RSS_MIB MiB, over the $RSS_LIMIT_MIB MiB limit (wall $WALL)"
  fi
  rm -f "$BIG" "$STORE" "$STORE"-wal "$STORE"-shm
fi

if [[ $SKIP != *,fuzz,* ]]; then
  echo "== 4. fuzz: regressions and seeds replayed, then ${FUZZ_SECONDS}s per target"
  export SWIFT_BACKTRACE=enable=no
  if [[ ",${RIVERTRACE_FUZZ_KNOWN:-}," == *",iconv-leak,"* ]]; then export LSAN_OPTIONS=suppressions=$ROOT/Fuzz/lsan-known.supp; fi
  (cd Fuzz && "$SWIFT" build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
  # The findings the targets know by name; a regression input is named after its finding (name[-variant].csv).
  FINDING_NAMES="iconv-leak midline-row-end record-limit-boundary block-boundary-encoding crlf-split-raw"
  for target in ingest reader; do
    exe=Fuzz/.build/release/$( [ $target = ingest ] && echo IngestFuzz || echo ReaderFuzz )
    # Replay: each committed input once; a regression that still fails names its file.
    open_findings=
    for input in Fuzz/regressions/* Fuzz/seeds/*; do
      case "$input" in *.py|*.md) continue ;; esac
      if ! "$exe" "$input" > "$WORK/replay.log" 2>&1; then
        fail "fuzz: $target fails on $input: $(grep -m1 -E 'INVARIANT VIOLATED|ERROR: ' "$WORK/replay.log" || tail -n 1 "$WORK/replay.log")"
        for name in $FINDING_NAMES; do
          [[ $(basename "$input") == "$name"* ]] && open_findings="$open_findings,$name"
        done
      fi
    done
    # Then fuzz from the committed inputs (no fork: the first crash ends the run with a non-zero status),
    # stepping over the findings whose regressions still fail (counted above), to look for new ones.
    known=${RIVERTRACE_FUZZ_KNOWN:-}$open_findings
    [ -n "$open_findings" ] && echo "  fuzzing $target steps over the open findings:${open_findings//,/ }"
    mkdir -p "$WORK/corpus-$target"
    status=0
    lsan=; [[ ",$known," == *",iconv-leak,"* ]] && lsan=suppressions=$ROOT/Fuzz/lsan-known.supp
    RIVERTRACE_FUZZ_KNOWN=${known#,} LSAN_OPTIONS=$lsan \
    "$exe" "$WORK/corpus-$target" Fuzz/seeds Fuzz/regressions data/samples -dict=Fuzz/rivertrace.dict \
      -max_len=$( [ $target = ingest ] && echo 20000 || echo 12000 ) -timeout=10 -rss_limit_mb=2048 \
      -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 -artifact_prefix="$WORK/$target-" > "$WORK/fuzz-$target.log" 2>&1 || status=$?
    runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$WORK/fuzz-$target.log")
    last=$(grep -E '^#[0-9]+' "$WORK/fuzz-$target.log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[^ ]+' || true)
    if [ "$status" = 0 ]; then
      note "fuzz: $target: ${runs:-?} executions in ${FUZZ_SECONDS}s, no finding ($last)"
    else
      artifact=$(grep -oE "$WORK/$target-[a-z]+-[0-9a-f]+" "$WORK/fuzz-$target.log" | head -n 1 || true)
      mkdir -p "$ROOT/Fuzz/.build/findings"
      [ -n "$artifact" ] && cp "$artifact" "$ROOT/Fuzz/.build/findings/"
      fail "fuzz: $target found something after ${runs:-?} executions: $(grep -m1 -E 'INVARIANT VIOLATED|ERROR: ' "$WORK/fuzz-$target.log" || echo "exit $status"); input kept in Fuzz/.build/findings/$(basename "${artifact:-none}")"
    fi
  done
fi

echo
echo "== stress summary ($(( $(date +%s) - STARTED ))s)"
printf '  %s\n' "${SUMMARY[@]}"
if [ "$FAILURES" -gt 0 ]; then
  echo "stress: $FAILURES check(s) failed"
  exit 1
fi
echo "stress: all checks passed"
