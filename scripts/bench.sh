#!/usr/bin/env bash
# `make bench`: rivertrace side by side with the tools a user would pick instead, on the same files in the same run.
#
#   scripts/bench.sh                              # BENCH_SIZE=small, 3 runs
#   BENCH_SIZE=full scripts/bench.sh              # the issue's sizes (takes long: run it on a quiet machine)
#   BENCH_SIZE=small BENCH_RUNS=1 make bench      # a smoke run while working on the harness
#
# Builds the release binary in .build-bench, generates the inputs into bench-work/ (git-ignored, never committed),
# installs the peers into bench-work/venv from PyPI (scripts/bench-requirements.txt, pinned; the product never
# depends on them), then runs every job BENCH_RUNS times, each a whole process under /usr/bin/time -v (wall,
# user+sys CPU, max RSS), rivertrace and its peers in turn within each run. Every peer's row count is checked
# against the readings rivertrace accepted: the comparison stops if they did not work on the same data.
# Prints one Markdown table of the medians and writes it to bench-work/bench.md, the medians to bench-work/bench.tsv
# (both with the machine, date and commit) and every run to bench-work/bench-runs.tsv.
#
# Jobs (docs/performance.md, "make bench", says what each measures):
#   parse    `rivertrace check --parse-only` (no store) of the long dump | polars read_csv | Python csv.reader | wc -l | cat
#   load     `rivertrace ingest` of the long dump into a fresh store | DuckDB CREATE TABLE AS read_csv into a file |
#            Python csv + sqlite3.executemany (one transaction) | pandas read_csv + to_sql
#   year     `rivertrace ingest` of `simulate --scenario stress` dumps (wide GB18030 day files + re-sent copies)
#   analyze  `analyze --period YEAR --json` on the year's store
#   report   `report --period YEAR` on the year's store
#   trends   Mann-Kendall + Sen's slope on the daily means of every series of the long store: `rivertrace stats`
#            --each-column (every series, one process) | pyMannKendall original_test
#   hourly   `rivertrace run` with one hour of new data in its inbox, on a copy of the long store
#   scale    (optional, not in the default list) scripts/bench-scale.sh with the same binary and BENCH_RUNS: 1, 3 and
#            10 years and 330 points, its own table in bench-work/scale.md; at BENCH_SIZE=small its "year" is 30 days
#            (SCALE_DAYS)
#
# Environment:
#   BENCH_SIZE           small (default: 200,000-reading long dump, 30 simulated days, a 365-day store) or
#                        full (the issue's: 2,000,000 readings, 365 days, a 3,650-day store)
#   BENCH_RUNS           runs per job, the table gives medians (default 3)
#   BENCH_JOBS           the jobs to run (default: all of the above but scale)
#   BENCH_PEERS          0: rivertrace (and the wc/cat limits) only, no Python peers (default 1)
#   BENCH_FRESH          1: generate the inputs and the long store again even when cached
#   BENCH_LONG_READINGS, BENCH_YEAR_DAYS, BENCH_STORE_DAYS   override the size's figures
#   BENCH_BINARY         a rivertrace binary to measure instead of building one (e.g. a `git archive` export's)
#   SWIFT (default swift), PYTHON (default python3, used to create the venv and for the helpers)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh

SIZE=${BENCH_SIZE:-small}
case $SIZE in
  small) LONG=200000 YEAR_DAYS=30 STORE_DAYS=365 ;;
  full) LONG=2000000 YEAR_DAYS=365 STORE_DAYS=3650 ;;
  *) echo "bench: BENCH_SIZE=$SIZE: expected small or full" >&2; exit 2 ;;
esac
LONG=${BENCH_LONG_READINGS:-$LONG}
YEAR_DAYS=${BENCH_YEAR_DAYS:-$YEAR_DAYS}
STORE_DAYS=${BENCH_STORE_DAYS:-$STORE_DAYS}
RUNS=${BENCH_RUNS:-3}
JOBS=" ${BENCH_JOBS:-parse load year analyze report trends hourly} "
PEERS=${BENCH_PEERS:-1}
FRESH=${BENCH_FRESH:-0}
PYTHON=${PYTHON:-python3}
NETWORK=data/network
YEAR=2025                    # the simulated year starts on 1 January of it
STORE_START=2016-01-01       # the long store: STORE_DAYS days from here
WORK=$ROOT/bench-work
RUNDIR=$WORK/runs
HELPER="$PYTHON scripts/bench_peers.py"

command -v "$PYTHON" >/dev/null || { echo "bench: $PYTHON not found (it generates the inputs)" >&2; exit 1; }
mkdir -p "$WORK" "$RUNDIR"
rm -f "$RUNDIR"/*

has_job() { [[ $JOBS == *" $1 "* ]]; }
fail() { echo "bench: $*" >&2; exit 1; }

SOURCE=$(bench_source Sources Package.swift)
LOAD_AVG=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "${BENCH_BINARY:-}" ]; then
  BIN=$(realpath "$BENCH_BINARY")
  [ -x "$BIN" ] || fail "BENCH_BINARY=$BENCH_BINARY: not an executable"
  SOURCE="the binary $BIN (built elsewhere; this checkout: $SOURCE)"
else
  bench_build rivertrace
  BIN=$BENCH_BIN
fi
echo "binary: $BIN"
echo "source: $SOURCE"

# The optional scale job: scripts/bench-scale.sh with this binary, after the other jobs (or alone).
SCALE_JOB=0
if has_job scale; then
  SCALE_JOB=1
  JOBS=${JOBS/ scale / }
fi
scale_job() {
  [ "$SCALE_JOB" = 1 ] || return 0
  echo "== scale (scripts/bench-scale.sh)"
  local days=${SCALE_DAYS:-}
  [ "$SIZE" = small ] && days=${SCALE_DAYS:-30}
  BENCH_BINARY=$BIN BENCH_SOURCE=$SOURCE BENCH_RUNS=$RUNS SCALE_DAYS=$days scripts/bench-scale.sh
}
if [ -z "${JOBS// /}" ]; then
  scale_job
  exit 0
fi

# ------------------------------------------------------------------------------------------------------------ peers
VENV=$WORK/venv
VPY=$VENV/bin/python
if [ "$PEERS" = 1 ]; then
  if [ -x "$VPY" ] && cmp -s scripts/bench-requirements.txt "$VENV/bench-requirements.txt"; then
    echo "peers present: $VENV"
  else
    echo "== installing the peers into $VENV (scripts/bench-requirements.txt)"
    rm -rf "$VENV"
    if "$PYTHON" -m venv "$VENV" && "$VPY" -m pip install -q -r scripts/bench-requirements.txt; then
      cp scripts/bench-requirements.txt "$VENV/bench-requirements.txt"
    else
      echo "bench: the peers could not be installed; rivertrace and the limits only" >&2
      PEERS=0
    fi
  fi
fi
if [ "$PEERS" = 1 ]; then
  VERSIONS=$("$VPY" -c 'import json, platform, duckdb, polars, pandas, pymannkendall
print(json.dumps({"Python": platform.python_version(), "duckdb": duckdb.__version__, "polars": polars.__version__,
                  "pandas": pandas.__version__, "pymannkendall": pymannkendall.__version__}))')
else
  VERSIONS='{}'
fi

# ----------------------------------------------------------------------------------------------------------- inputs
label() {
  local n=$1
  if (( n % 1000000 == 0 )); then echo "$((n / 1000000))M"
  elif (( n % 1000 == 0 )); then echo "$((n / 1000))k"
  else echo "$n"; fi
}
LONG_CSV=$WORK/long_$(label "$LONG").csv
if [ -s "$LONG_CSV" ] && [ "$FRESH" != 1 ]; then
  echo "long dump present: $LONG_CSV"
else
  echo "== generating $LONG_CSV ($LONG readings)"
  "$PYTHON" scripts/make_long_dump.py "$LONG" -o "$LONG_CSV.tmp"
  mv "$LONG_CSV.tmp" "$LONG_CSV"
fi
LONG_BYTES=$(size_of "$LONG_CSV")

# The simulated year: the district as the simulator writes it.
YEAR_DIR=$WORK/year-${YEAR_DAYS}d
YEAR_KEY=$(tree_key Sources/Simulator)
if [ -f "$YEAR_DIR/dumps/truth.json" ] && [ "$(cat "$YEAR_DIR/key" 2>/dev/null)" = "$YEAR_KEY" ] && [ "$FRESH" != 1 ]; then
  echo "simulated year present: $YEAR_DIR/dumps"
else
  echo "== simulating $YEAR_DAYS days of the stress district into $YEAR_DIR/dumps"
  rm -rf "$YEAR_DIR" && mkdir -p "$YEAR_DIR"
  "$BIN" simulate --network "$NETWORK" --scenario stress --start "$YEAR-01-01" --days "$YEAR_DAYS" \
    --out "$YEAR_DIR/dumps" >/dev/null
  echo "$YEAR_KEY" >"$YEAR_DIR/key"
fi
YEAR_EXPECTED=$(json_get "$YEAR_DIR/dumps/truth.json" 'd["expected_ingest"]["readings_read"]')
YEAR_EXPECTED_ACCEPTED=$(json_get "$YEAR_DIR/dumps/truth.json" 'd["expected_ingest"]["accepted"]')
mapfile -t YEAR_FILES < <(find "$YEAR_DIR/dumps" -name '*.csv' -type f | sort)
YEAR_BYTES=$(size_of "${YEAR_FILES[@]}")
YEAR_STORE=$YEAR_DIR/store.sqlite

# The long store (ten years at full size) for the trends and the hourly run: simulated and ingested once, cached
# by the content of Sources/Store and Sources/Simulator. The last day's file is split: all but its last hour is in
# the store, the last hour is the hourly run's new file (the same GB18030 wide shape, one hour of rows).
STORE_DIR=$WORK/store-${STORE_DAYS}d
STORE_KEY=$(tree_key Sources/Store Sources/Simulator)
if has_job trends || has_job hourly; then
  if [ -f "$STORE_DIR/info.json" ] && [ "$(json_get "$STORE_DIR/info.json" 'd["key"]')" = "$STORE_KEY" ] && [ "$FRESH" != 1 ]; then
    echo "long store present: $STORE_DIR/store.sqlite"
  else
    echo "== building the $STORE_DAYS-day store in $STORE_DIR (simulate, ingest, export the daily series; cached)"
    rm -rf "$STORE_DIR" && mkdir -p "$STORE_DIR"
    "$BIN" simulate --network "$NETWORK" --scenario stress --start "$STORE_START" --days "$STORE_DAYS" \
      --out "$STORE_DIR/dumps" >/dev/null
    last=$(date -u -d "$STORE_START + $((STORE_DAYS - 1)) days" +%Y%m%d)
    last_file=$STORE_DIR/dumps/auto/${last:0:6}/stations_$last.csv
    [ -f "$last_file" ] || fail "no last day file $last_file"
    HOUR_FILE=stations_${last}_23.csv
    $HELPER split-hour "$last_file" "$STORE_DIR/before.tmp" "$STORE_DIR/$HOUR_FILE" 23 >/dev/null
    mv "$STORE_DIR/before.tmp" "$last_file"
    rc=0
    "$BIN" ingest --store "$STORE_DIR/store.sqlite" --network "$NETWORK" --json "$STORE_DIR/dumps" \
      >"$STORE_DIR/ingest.json" || rc=$?
    [ "$rc" = 0 ] || [ "$rc" = 3 ] || fail "ingest of $STORE_DIR/dumps exited $rc"
    $HELPER export-series "$STORE_DIR/store.sqlite" "$STORE_DIR/series.csv" >"$STORE_DIR/series.json"
    rm -rf "$STORE_DIR/dumps"
    [ ! -s "$STORE_DIR/store.sqlite-wal" ] || fail "$STORE_DIR/store.sqlite-wal is not empty: the store file alone is not the store"
    rm -f "$STORE_DIR/store.sqlite-wal" "$STORE_DIR/store.sqlite-shm"
    "$PYTHON" - "$STORE_DIR" "$STORE_KEY" "$HOUR_FILE" <<'PY'
import json, os, sys
folder, key, hour_file = sys.argv[1:]
totals = json.load(open(os.path.join(folder, "ingest.json")))["totals"]
series = json.load(open(os.path.join(folder, "series.json")))
json.dump({"key": key, "readings": totals["accepted"], "hour_file": hour_file, "series": series["series"],
           "days": series["days"], "bytes": os.path.getsize(os.path.join(folder, "store.sqlite"))},
          open(os.path.join(folder, "info.json"), "w"))
PY
  fi
  STORE_READINGS=$(json_get "$STORE_DIR/info.json" 'd["readings"]')
  HOUR_FILE=$STORE_DIR/$(json_get "$STORE_DIR/info.json" 'd["hour_file"]')
  SERIES=$(json_get "$STORE_DIR/info.json" 'd["series"]')
  SERIES_DAYS=$(json_get "$STORE_DIR/info.json" 'd["days"]')
  STORE_BYTES=$(json_get "$STORE_DIR/info.json" 'd["bytes"]')
else
  STORE_READINGS=0 HOUR_FILE="" SERIES=0 SERIES_DAYS=0 STORE_BYTES=0
fi

# ------------------------------------------------------------------------------------------------------- measuring
RUNS_TSV=$WORK/bench-runs.tsv
printf 'job\ttool\trun\twall_s\tuser_s\tsys_s\tmax_rss_kib\trows\tbytes\n' >"$RUNS_TSV"

# timed JOB TOOL RUN "OK_CODES" CMD…: one whole process under /usr/bin/time -v; output in $RUNDIR/JOB-TOOL-RUN.*.
timed() {
  local job=$1 tool=$2 run=$3 ok=$4
  shift 4
  OUT=$RUNDIR/$job-$tool-$run
  local rc=0
  bench_time "$OUT" "$@" || rc=$?
  [[ " $ok " == *" $rc "* ]] || { tail -n 5 "$OUT.err" >&2; fail "$job/$tool run $run: exited $rc (see $OUT.*)"; }
}
# record JOB TOOL RUN ROWS BYTES: the last timed run's figures, into $RUNS_TSV.
record() {
  local fields
  read -r -a fields < <(bench_time_fields "$OUT.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${fields[0]}" "${fields[1]}" "${fields[2]}" "${fields[3]}" \
    "$4" "$5" >>"$RUNS_TSV"
  printf '  %-8s %-10s run %s: %8.2f s wall, user %s s, sys %s s, max RSS %6.1f MiB, %s rows\n' "$1" "$2" "$3" \
    "${fields[0]}" "${fields[1]}" "${fields[2]}" "$(echo "${fields[3]}" | awk '{ print $1 / 1024 }')" "$4"
}
# same_rows JOB TOOL EXPECTED FOUND: the comparison is on the same data, or it stops.
same_rows() {
  [ "$3" = "$4" ] || fail "$1/$2: $4 rows, rivertrace accepted $3: not the same data, the comparison would mean nothing"
}
peer() { [ "$PEERS" = 1 ]; }
fresh() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal" "$1.wal"; }

declare -A STORE_SIZE=()

for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS"

  if has_job parse; then
    timed parse rivertrace "$run" "0" "$BIN" check --parse-only --network "$NETWORK" --json "$LONG_CSV"
    accepted=$(json_get "$OUT.out" 'd["totals"]["accepted"]')
    same_rows parse rivertrace "$LONG" "$accepted"
    record parse rivertrace "$run" "$accepted" "$LONG_BYTES"
    if peer; then
      timed parse polars "$run" "0" "$VPY" scripts/bench_peers.py parse-polars "$LONG_CSV"
      rows=$(json_get "$OUT.out" 'd["rows"]'); same_rows parse polars "$accepted" "$rows"
      record parse polars "$run" "$rows" "$LONG_BYTES"
      timed parse pycsv "$run" "0" "$VPY" scripts/bench_peers.py parse-csv "$LONG_CSV"
      rows=$(json_get "$OUT.out" 'd["rows"]'); same_rows parse pycsv "$accepted" "$rows"
      record parse pycsv "$run" "$rows" "$LONG_BYTES"
    fi
    timed parse wc "$run" "0" wc -l "$LONG_CSV"
    rows=$(($(cut -d' ' -f1 "$OUT.out") - 1)); same_rows parse wc "$accepted" "$rows"
    record parse wc "$run" "$rows" "$LONG_BYTES"
    timed parse cat "$run" "0" sh -c 'cat "$1" >/dev/null' sh "$LONG_CSV"
    record parse cat "$run" "$LONG" "$LONG_BYTES"
  fi

  if has_job load; then
    db=$WORK/load-rivertrace.sqlite; fresh "$db"
    timed load rivertrace "$run" "0" "$BIN" ingest --store "$db" --network "$NETWORK" --json "$LONG_CSV"
    accepted=$(json_get "$OUT.out" 'd["totals"]["accepted"]')
    same_rows load rivertrace "$LONG" "$accepted"
    record load rivertrace "$run" "$accepted" "$LONG_BYTES"
    STORE_SIZE[rivertrace]=$(size_of "$db" "$db-wal"); fresh "$db"
    if peer; then
      db=$WORK/load.duckdb; fresh "$db"
      timed load duckdb "$run" "0" "$VPY" scripts/bench_peers.py load-duckdb "$LONG_CSV" "$db"
      rows=$(json_get "$OUT.out" 'd["rows"]'); same_rows load duckdb "$accepted" "$rows"
      record load duckdb "$run" "$rows" "$LONG_BYTES"
      STORE_SIZE[duckdb]=$(size_of "$db" "$db.wal"); fresh "$db"
      db=$WORK/load-python.sqlite; fresh "$db"
      timed load pysqlite "$run" "0" "$VPY" scripts/bench_peers.py load-sqlite "$LONG_CSV" "$db"
      rows=$(json_get "$OUT.out" 'd["rows"]'); same_rows load pysqlite "$accepted" "$rows"
      record load pysqlite "$run" "$rows" "$LONG_BYTES"
      STORE_SIZE[pysqlite]=$(size_of "$db" "$db-wal"); fresh "$db"
      db=$WORK/load-pandas.sqlite; fresh "$db"
      timed load pandas "$run" "0" "$VPY" scripts/bench_peers.py load-pandas "$LONG_CSV" "$db"
      rows=$(json_get "$OUT.out" 'd["rows"]'); same_rows load pandas "$accepted" "$rows"
      record load pandas "$run" "$rows" "$LONG_BYTES"
      STORE_SIZE[pandas]=$(size_of "$db" "$db-wal"); fresh "$db"
    fi
  fi

  if has_job year; then
    fresh "$YEAR_STORE"
    timed year rivertrace "$run" "0 3" "$BIN" ingest --store "$YEAR_STORE" --network "$NETWORK" --json "$YEAR_DIR/dumps"
    read_count=$(json_get "$OUT.out" 'd["totals"]["readings_read"]')
    accepted=$(json_get "$OUT.out" 'd["totals"]["accepted"]')
    same_rows year "readings read" "$YEAR_EXPECTED" "$read_count"
    same_rows year "accepted" "$YEAR_EXPECTED_ACCEPTED" "$accepted"
    record year rivertrace "$run" "$read_count" "$YEAR_BYTES"
  fi

  if has_job analyze || has_job report; then
    if [ ! -f "$YEAR_STORE" ]; then
      echo "  (ingesting the simulated year for analyze/report, not timed)"
      "$BIN" ingest --store "$YEAR_STORE" --network "$NETWORK" "$YEAR_DIR/dumps" >/dev/null || [ $? = 3 ]
    fi
    # Each run on a copy, so that nothing one run leaves in the store helps the next.
    copy=$WORK/analysis.sqlite
    if has_job analyze; then
      fresh "$copy"; cp "$YEAR_STORE" "$copy"
      timed analyze rivertrace "$run" "0 3" "$BIN" analyze --store "$copy" --network "$NETWORK" --period "$YEAR" --json
      json_get "$OUT.out" 'd["schema_version"] if "schema_version" in d else len(d)' >/dev/null ||
        fail "analyze: no JSON document in $OUT.out"
      record analyze rivertrace "$run" "$YEAR_EXPECTED_ACCEPTED" 0
    fi
    if has_job report; then
      fresh "$copy"; cp "$YEAR_STORE" "$copy"; rm -rf "$WORK/report"
      timed report rivertrace "$run" "0 3" "$BIN" report --store "$copy" --network "$NETWORK" --period "$YEAR" \
        --out "$WORK/report"
      [ -s "$WORK/report/report.md" ] || fail "report: no $WORK/report/report.md"
      record report rivertrace "$run" "$YEAR_EXPECTED_ACCEPTED" 0
    fi
    fresh "$copy"
  fi

  if has_job trends; then
    series_csv=$STORE_DIR/series.csv
    # Every series in one process, as pyMannKendall runs them; column 1 is the day number.
    # shellcheck disable=SC2016
    timed trends rivertrace "$run" "0" bash -c '"$1" stats "$2" --each-column --skip-column 1 --json || [ $? -eq 3 ]' \
        bash "$BIN" "$series_csv"
    $HELPER sum-stats "$OUT.out" >"$OUT.sum"
    tested=$(json_get "$OUT.sum" 'd["rows"]'); same_rows trends rivertrace "$SERIES" "$tested"
    RT_SUM_S=$(json_get "$OUT.sum" 'd["sum_s"]')
    record trends rivertrace "$run" "$tested" 0
    if peer; then
      timed trends pymk "$run" "0" "$VPY" scripts/bench_peers.py mk "$series_csv"
      rows=$(json_get "$OUT.out" 'd["rows"]'); same_rows trends pymk "$tested" "$rows"
      PY_SUM_S=$(json_get "$OUT.out" 'd["sum_s"]')
      [ "$RT_SUM_S" = "$PY_SUM_S" ] || echo "bench: warning: Σ S over the series: rivertrace $RT_SUM_S, pyMannKendall $PY_SUM_S" >&2
      record trends pymk "$run" "$rows" 0
    fi
  fi

  if has_job hourly; then
    site=$WORK/site
    rm -rf "$site"
    "$BIN" init "$site" --network-from "$NETWORK" >/dev/null
    cp "$STORE_DIR/store.sqlite" "$site/var/rivertrace.sqlite"
    cp "$HOUR_FILE" "$site/inbox/"
    touch -d '10 minutes ago' "$site/inbox/"*
    timed hourly rivertrace "$run" "0 3" "$BIN" run --config "$site/rivertrace.toml" --json
    hour_readings=$(json_get "$OUT.out" 'd["readings_accepted"] if d["files_ingested"] == 1 else 0')
    [ "$hour_readings" -gt 0 ] || fail "hourly: the run stored no new reading (see $OUT.*)"
    [ -z "$(ls -A "$site/inbox")" ] || fail "hourly: the inbox was not emptied (see $OUT.*)"
    HOUR_READINGS=$hour_readings
    record hourly rivertrace "$run" "$hour_readings" "$(size_of "$HOUR_FILE")"
  fi
done

# ------------------------------------------------------------------------------------------------------------ table
store_sizes="{"
for tool in "${!STORE_SIZE[@]}"; do store_sizes+="\"$tool\": ${STORE_SIZE[$tool]},"; done
store_sizes="${store_sizes%,}}"
"$PYTHON" - "$WORK/bench-meta.json" <<PY
import json, os, subprocess, sys
def first_line(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, shell=True).stdout.strip().splitlines()[0]
    except Exception:
        return "?"
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
ram = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")) / 1048576
json.dump({
    "size": "$SIZE", "runs": $RUNS, "date": first_line("date -u '+%Y-%m-%d %H:%M UTC'"), "source": "$SOURCE",
    "nproc": os.cpu_count(), "cpu": cpu, "ram_gib": ram, "load": "$LOAD_AVG",
    "swift": first_line("${SWIFT:-swift} --version 2>&1 | grep -i 'swift version'"),
    "sqlite": first_line("dpkg-query -W -f='\${Version}' libsqlite3-0 2>/dev/null || echo '?'") + " (system libsqlite3)",
    "versions": json.loads('$VERSIONS'),
    "long_readings": $LONG, "long_bytes": $LONG_BYTES, "year": $YEAR, "year_days": $YEAR_DAYS,
    "year_files": ${#YEAR_FILES[@]}, "store_days": $STORE_DAYS, "store_readings": $STORE_READINGS,
    "store_bytes_long_store": $STORE_BYTES, "hour_readings": ${HOUR_READINGS:-0},
    "series": $SERIES, "series_days": $SERIES_DAYS, "store_bytes": json.loads('$store_sizes'),
}, open(sys.argv[1], "w"), indent=1)
PY
echo
$HELPER table "$RUNS_TSV" "$WORK/bench-meta.json" "$WORK/bench.md" "$WORK/bench.tsv"
echo "written: $WORK/bench.md, $WORK/bench.tsv (medians), $RUNS_TSV (every run); outputs of each run: $RUNDIR/"
scale_job
