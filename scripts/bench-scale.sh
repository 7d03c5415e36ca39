#!/usr/bin/env bash
# `make bench-scale`: how ingest, analyze and report grow with the years in the store and with the points of the
# network (issue 19, "Scale"): 1, 3 and 10 years of the 33-point district and 1 year of ten copies of it (330 points).
#
#   scripts/bench-scale.sh                            # the full table (takes long: run it on a quiet machine)
#   SCALE_DAYS=7 BENCH_RUNS=1 scripts/bench-scale.sh  # a smoke run: a "year" of 7 days (about a minute)
#   SCALE_CASES="y1 p330" scripts/bench-scale.sh      # some cases only
#
# Cases (each simulated once with `simulate --scenario stress` from 2016-01-01, untimed, cached in bench-work/scale/):
#   y1    the district (data/network, 33 points), 1 year: 2016
#   y3    the district, 3 years: 2016–2018
#   y10   the district, 10 years: 2016–2025
#   p330  ten copies of the district (scripts/make_scaled_network.py 10: 330 points, 90 rivers, 210 sources), 1 year:
#         2016, with 10× the stress scenario's pollution events and sensor faults a month (50 and 40), so that each
#         copy sees what the district sees (the stormwater overflows already come with the outfalls)
# Jobs, each a whole process under /usr/bin/time -v, BENCH_RUNS times (the table gives medians):
#   ingest        `ingest --json` of the case's dumps into a fresh store (checked against truth.json)
#   analyze-year  `analyze --period <last year> --json` on a copy of that store
#   report-year   `report --period <last year>` on a copy of that store
#   analyze-span  `analyze --from <first day> --to <last day> --json`: the whole span (y3 and y10 only)
# For each: wall, CPU (user + sys), peak RSS, the readings it covers (ingest: the readings read; analyze and report:
# the readings stored in their period), readings/s and, for ingest, the store's bytes per reading. Then a "growth"
# line per job: the ratio of time per reading and of peak memory from 1 to 3 to 10 years, and from 33 to 330 points.
# Output: the table on standard output and in bench-work/scale.md (with the machine, date and commit), every run
# in bench-work/scale-runs.tsv (with the load average at its start), each process's output and /usr/bin/time -v
# report in bench-work/scale/runs/.
#
# Environment:
#   BENCH_RUNS         runs per job (default 3)
#   SCALE_BIG_RUNS     runs of the two largest ingests (y10, p330; default BENCH_RUNS)
#   SCALE_CASES        the cases to run (default: y1 y3 y10 p330)
#   SCALE_DAYS         the days of one "year" (default: calendar years, 366 + 365 + …); with it, "the last year"
#                      is the last SCALE_DAYS days (--from/--to) instead of --period YYYY: for smoke runs
#   SCALE_CITY_RATES   0: the 330-point case keeps the stress scenario's event and fault rates (default 1: 10×)
#   BENCH_FRESH        1: simulate every case again even when cached
#   BENCH_BINARY       a rivertrace binary to measure instead of building one (BENCH_SOURCE: what to call it)
#   SWIFT (default swift), PYTHON (default python3: the network generator, the reading counts and the table)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh

RUNS=${BENCH_RUNS:-3}
BIG_RUNS=${SCALE_BIG_RUNS:-$RUNS}
CASES=${SCALE_CASES:-y1 y3 y10 p330}
UNIT_DAYS=${SCALE_DAYS:-}
CITY_RATES=${SCALE_CITY_RATES:-1}
FRESH=${BENCH_FRESH:-0}
PYTHON=${PYTHON:-python3}
START=2016-01-01
NETWORK=data/network
WORK=$ROOT/bench-work
SCALE=$WORK/scale
RUNDIR=$SCALE/runs
RUNS_TSV=$WORK/scale-runs.tsv
HELPER="$PYTHON scripts/bench_scale.py"

fail() { echo "bench-scale: $*" >&2; exit 1; }
command -v "$PYTHON" >/dev/null || fail "$PYTHON not found (it generates the network and prints the table)"
for c in $CASES; do case $c in y1 | y3 | y10 | p330) ;; *) fail "SCALE_CASES: unknown case $c (y1 y3 y10 p330)" ;; esac; done
mkdir -p "$SCALE" "$RUNDIR"
rm -f "$RUNDIR"/*

SOURCE=$(bench_source Sources Package.swift)
LOAD_AVG=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "${BENCH_BINARY:-}" ]; then
  BIN=$(realpath "$BENCH_BINARY")
  [ -x "$BIN" ] || fail "BENCH_BINARY=$BENCH_BINARY: not an executable"
  [ -n "${BENCH_SOURCE:-}" ] || SOURCE="the binary $BIN (built elsewhere; this checkout: $SOURCE)"
else
  bench_build rivertrace
  BIN=$BENCH_BIN
fi
echo "binary: $BIN"
echo "source: $SOURCE"

# ------------------------------------------------------------------------------------------------------------ cases
years_of() { case $1 in y1 | p330) echo 1 ;; y3) echo 3 ;; y10) echo 10 ;; esac; }
# The case's span: FIRST and LAST day (local dates), DAYS, and the arguments that select its last year.
span_of() {
  local years=$1
  FIRST=$START
  if [ -n "$UNIT_DAYS" ]; then
    DAYS=$((years * UNIT_DAYS))
    LAST=$(date -u -d "$FIRST + $((DAYS - 1)) days" +%F)
    LAST_YEAR_ARGS=(--from "$(date -u -d "$LAST - $((UNIT_DAYS - 1)) days" +%F)" --to "$LAST")
    LAST_YEAR_LABEL="${LAST_YEAR_ARGS[*]}"
  else
    local end_year=$((${START:0:4} + years))
    DAYS=$((($(date -u -d "$end_year-01-01" +%s) - $(date -u -d "$FIRST" +%s)) / 86400))
    LAST=$((end_year - 1))-12-31
    LAST_YEAR_ARGS=(--period "$((end_year - 1))")
    LAST_YEAR_LABEL="--period $((end_year - 1))"
  fi
}

# The ten-copy network: regenerated every run (it takes no time), so it always matches the script and the sample.
CITY_NETWORK=$SCALE/network-10x
rm -rf "$CITY_NETWORK"
"$PYTHON" scripts/make_scaled_network.py 10 "$CITY_NETWORK" --from "$NETWORK" >/dev/null

network_of() { [ "$1" = p330 ] && echo "$CITY_NETWORK" || echo "$NETWORK"; }
simulate_args_of() {
  if [ "$1" = p330 ] && [ "$CITY_RATES" = 1 ]; then echo "--events-per-month 50 --faults-per-month 40"; fi
}

# simulate CASE: the case's dumps in $SCALE/CASE/dumps, cached like scripts/bench.sh caches its simulated year:
# keyed by the content of Sources/Simulator (and of the network and its generator), the span and the arguments.
simulate_case() {
  local c=$1 dir=$SCALE/$1 net key
  net=$(network_of "$c")
  span_of "$(years_of "$c")"
  key="$(tree_key Sources/Simulator data/network scripts/make_scaled_network.py) $FIRST $DAYS $(simulate_args_of "$c")"
  if [ -f "$dir/dumps/truth.json" ] && [ "$(cat "$dir/key" 2>/dev/null)" = "$key" ] && [ "$FRESH" != 1 ]; then
    echo "simulated $c present: $dir/dumps"
  else
    echo "== simulating $c: $DAYS days from $FIRST, $(grep -c . "$net/points.csv" | awk '{ print $1 - 1 }') points, into $dir/dumps (untimed)"
    rm -rf "$dir" && mkdir -p "$dir"
    # shellcheck disable=SC2046
    "$BIN" simulate --network "$net" --scenario stress --start "$FIRST" --days "$DAYS" $(simulate_args_of "$c") \
      --out "$dir/dumps" >"$dir/simulate.log"
    echo "$key" >"$dir/key"
  fi
}

# --------------------------------------------------------------------------------------------------------- measuring
printf 'case\tjob\trun\twall_s\tuser_s\tsys_s\tmax_rss_kib\treadings\tstore_bytes\tload_at_start\n' >"$RUNS_TSV"
META=$SCALE/meta.tsv
printf 'case\tpoints\tyears\tdays\tfirst\tlast\tlast_year\tfiles\tdump_bytes\treadings_read\taccepted\tlast_year_readings\tspan_readings\n' >"$META"

# timed CASE JOB RUN CMD…: one whole process under /usr/bin/time -v (exit 0, or 3: done with warnings).
timed() {
  local c=$1 job=$2 run=$3 rc=0
  shift 3
  OUT=$RUNDIR/$c-$job-$run
  LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)
  bench_time "$OUT" "$@" || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 3 ] || { tail -n 5 "$OUT.err" >&2; fail "$c/$job run $run: exited $rc (see $OUT.*)"; }
}
# record CASE JOB RUN READINGS STORE_BYTES: the last timed run's figures, into $RUNS_TSV.
record() {
  local fields
  read -r -a fields < <(bench_time_fields "$OUT.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${fields[0]}" "${fields[1]}" "${fields[2]}" \
    "${fields[3]}" "$4" "$5" "$LOAD_AT_START" >>"$RUNS_TSV"
  printf '  %-5s %-13s run %s: %8.2f s wall, user %s s, sys %s s, max RSS %7.1f MiB, %s readings (load %s)\n' "$1" "$2" \
    "$3" "${fields[0]}" "${fields[1]}" "${fields[2]}" "$(echo "${fields[3]}" | awk '{ print $1 / 1024 }')" "$4" "$LOAD_AT_START"
}
fresh() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

for c in $CASES; do
  simulate_case "$c"
  dir=$SCALE/$c
  net=$(network_of "$c")
  years=$(years_of "$c")
  span_of "$years"
  expected_read=$(json_get "$dir/dumps/truth.json" 'd["expected_ingest"]["readings_read"]')
  expected_accepted=$(json_get "$dir/dumps/truth.json" 'd["expected_ingest"]["accepted"]')
  mapfile -t files < <(find "$dir/dumps" -name '*.csv' -type f | sort)
  dump_bytes=$(size_of "${files[@]}")
  points=$(($(grep -c . "$net/points.csv") - 1))
  case $c in y10 | p330) case_runs=$BIG_RUNS ;; *) case_runs=$RUNS ;; esac
  store=$dir/store.sqlite

  echo "== $c: $points points, $DAYS days ($FIRST … $LAST), ${#files[@]} files, $expected_read readings"
  for run in $(seq 1 "$case_runs"); do
    fresh "$store"
    timed "$c" ingest "$run" "$BIN" ingest --store "$store" --network "$net" --json "$dir/dumps"
    read_count=$(json_get "$OUT.out" 'd["totals"]["readings_read"]')
    accepted=$(json_get "$OUT.out" 'd["totals"]["accepted"]')
    [ "$read_count" = "$expected_read" ] || fail "$c ingest: $read_count readings read, truth.json expects $expected_read"
    [ "$accepted" = "$expected_accepted" ] || fail "$c ingest: $accepted accepted, truth.json expects $expected_accepted"
    record "$c" ingest "$run" "$read_count" "$(size_of "$store" "$store-wal")"
  done

  # The readings each analysis covers, counted in the store (untimed): the last year's, and the whole span's.
  read -r year_readings span_readings < <($HELPER count "$store" "${LAST_YEAR_ARGS[@]}")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$points" "$years" "$DAYS" "$FIRST" "$LAST" \
    "$LAST_YEAR_LABEL" "${#files[@]}" "$dump_bytes" "$expected_read" "$expected_accepted" "$year_readings" \
    "$span_readings" >>"$META"

  # Each run on a copy of the store, so that nothing one run leaves in it helps the next.
  copy=$SCALE/analysis.sqlite
  for run in $(seq 1 "$RUNS"); do
    fresh "$copy"; cp "$store" "$copy"
    timed "$c" analyze-year "$run" "$BIN" analyze --store "$copy" --network "$net" "${LAST_YEAR_ARGS[@]}" --json
    json_get "$OUT.out" 'd["schema_version"]' >/dev/null || fail "$c analyze-year: no JSON document in $OUT.out"
    record "$c" analyze-year "$run" "$year_readings" ""

    fresh "$copy"; cp "$store" "$copy"; rm -rf "$SCALE/report"
    timed "$c" report-year "$run" "$BIN" report --store "$copy" --network "$net" "${LAST_YEAR_ARGS[@]}" --out "$SCALE/report"
    [ -s "$SCALE/report/report.md" ] || fail "$c report-year: no $SCALE/report/report.md"
    record "$c" report-year "$run" "$year_readings" ""

    if [ "$years" -gt 1 ]; then
      fresh "$copy"; cp "$store" "$copy"
      timed "$c" analyze-span "$run" "$BIN" analyze --store "$copy" --network "$net" --from "$FIRST" --to "$LAST" --json
      json_get "$OUT.out" 'd["schema_version"]' >/dev/null || fail "$c analyze-span: no JSON document in $OUT.out"
      record "$c" analyze-span "$run" "$span_readings" ""
    fi
  done
  fresh "$copy"; rm -rf "$SCALE/report"
done

# ------------------------------------------------------------------------------------------------------------ table
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
ram=$(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
swift_version=$("${SWIFT:-swift}" --version 2>&1 | grep -i 'swift version' | head -n 1 || echo '?')
sqlite_version=$(dpkg-query -W -f='${Version}' libsqlite3-0 2>/dev/null || echo '?')
{
  printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf 'source\t%s\n' "$SOURCE"
  printf 'machine\t%s cores, %s, %s GiB RAM, load average at start %s, at the end %s\n' "$(nproc)" "$cpu" "$ram" \
    "$LOAD_AVG" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'software\t%s; SQLite %s (system libsqlite3)\n' "$swift_version" "$sqlite_version"
  printf 'runs\t%s (the y10 and p330 ingests: %s)\n' "$RUNS" "$BIG_RUNS"
  printf 'unit\t%s\n' "${UNIT_DAYS:+$UNIT_DAYS days (SCALE_DAYS: a smoke run, not the sizes of issue 19)}"
  printf 'city_rates\t%s\n' "$CITY_RATES"
} >"$SCALE/info.tsv"
echo
$HELPER table "$RUNS_TSV" "$META" "$SCALE/info.tsv" "$WORK/scale.md"
echo "written: $WORK/scale.md (the table), $RUNS_TSV (every run); outputs of each run: $RUNDIR/"
