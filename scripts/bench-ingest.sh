#!/usr/bin/env bash
# Ingest benchmark: throughput and peak memory of `rivertrace ingest` on a long-format dump.
#
#   scripts/bench-ingest.sh
#
# Builds the release binary in its own scratch folder (.build-bench, so it does not disturb `swift build`
# in .build), generates deterministic dumps into bench-work/ when missing (scripts/make_long_dump.py),
# then ingests the big dump BENCH_RUNS times and the small dump once, each into a fresh store, under
# /usr/bin/time -v. Prints per run: wall seconds, readings/s, MB/s (10^6 bytes), max RSS (MiB); the medians;
# and a markdown table. Fails when a run does not accept every reading.
#
# Environment: BENCH_READINGS (default 5000000), BENCH_SMALL_READINGS (default 1000000), BENCH_RUNS (default 3),
#              SWIFT (default swift), BENCH_SOURCE (what to call the source in the output, e.g. for a
#              `git archive` export; by default the commit and any uncommitted changes under Sources/).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIG=${BENCH_READINGS:-5000000}
SMALL=${BENCH_SMALL_READINGS:-1000000}
RUNS=${BENCH_RUNS:-3}
WORK=$ROOT/bench-work
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh

command -v python3 >/dev/null || { echo "bench-ingest: python3 not found" >&2; exit 1; }
mkdir -p "$WORK"

# 5000000 → 5M, 1000000 → 1M, 200000 → 200k, anything else as given.
label() {
  local n=$1
  if (( n % 1000000 == 0 )); then echo "$((n / 1000000))M"
  elif (( n % 1000 == 0 )); then echo "$((n / 1000))k"
  else echo "$n"; fi
}

# What was measured: the commit, and whether Sources/ or Package.* differ from it (the binary is built from the
# working tree), taken before the build.
SOURCE=$(bench_source Sources Package.swift Package.resolved)
bench_build rivertrace
BIN=$BENCH_BIN

echo "binary: $BIN"
echo "source: $SOURCE"

make_dump() {
  local n=$1 path=$2
  if [ -s "$path" ]; then
    echo "dump present: $path ($(stat -L -c %s "$path") bytes)"
  else
    echo "== generating $path ($n readings)"
    python3 scripts/make_long_dump.py "$n" -o "$path.tmp"
    mv "$path.tmp" "$path"
  fi
}

BIG_CSV=$WORK/long_$(label "$BIG").csv
SMALL_CSV=$WORK/long_$(label "$SMALL").csv
make_dump "$BIG" "$BIG_CSV"
make_dump "$SMALL" "$SMALL_CSV"

RESULTS=$WORK/results.tsv
printf 'dump\trun\treadings\tbytes\twall_s\tuser_s\tsys_s\tcpu_pct\treadings_per_s\tmb_per_s\tmax_rss_mib\tstore_mib\n' >"$RESULTS"

# run_one NAME RUN CSV EXPECTED: one ingest into a fresh store; appends a line to $RESULTS and prints it.
run_one() {
  local name=$1 run=$2 csv=$3 expected=$4
  local store=$WORK/bench.sqlite
  local json=$WORK/run_${name}_${run}.json timing=$WORK/run_${name}_${run}.time
  rm -f "$store" "$store-wal" "$store-shm" "$store-journal"
  local rc=0
  bench_time "$WORK/run_${name}_${run}" "$BIN" ingest --store "$store" --network data/network --json "$csv" || rc=$?
  mv "$WORK/run_${name}_${run}.out" "$json"
  if [ "$rc" -ne 0 ]; then
    echo "bench-ingest: ingest of $csv exited $rc (see $json, $timing, $WORK/run_${name}_${run}.err)" >&2
    exit 1
  fi
  local store_bytes timing_fields
  store_bytes=$(stat -L -c %s "$store")
  timing_fields=$(bench_time_fields "$timing")
  python3 - "$name" "$run" "$csv" "$expected" "$json" "$store_bytes" $timing_fields >>"$RESULTS" <<'PY'
import json, os, sys
name, run, csv_path, expected, json_path, store_bytes, wall, user, system, rss_kib = sys.argv[1:]
expected = int(expected)
with open(json_path, encoding="utf-8") as handle:
    totals = json.load(handle)["totals"]
if totals["accepted"] != expected or totals["readings_read"] != expected or totals["quarantined"] != 0 \
        or totals["duplicates"] != 0 or totals["conflicts"] != 0:
    sys.exit(f"bench-ingest: {csv_path}: expected {expected} accepted readings, got totals {totals}")
wall = float(wall)
cpu_pct = (float(user) + float(system)) / wall * 100 if wall > 0 else 0
size = os.path.getsize(csv_path)
print("\t".join([name, run, str(expected), str(size), f"{wall:.2f}", user, system, f"{cpu_pct:.0f}",
                 f"{expected / wall:.0f}", f"{size / wall / 1e6:.2f}", f"{int(rss_kib) / 1024:.1f}",
                 f"{int(store_bytes) / 1048576:.1f}"]))
PY
  tail -n 1 "$RESULTS" | awk -F'\t' '{ printf "  %-4s run %s: %7.2f s wall (user %s s, sys %s s, CPU %s%%), %9d readings/s, %7.2f MB/s, max RSS %7.1f MiB, store %6.1f MiB\n", $1, $2, $5, $6, $7, $8, $9, $10, $11, $12 }'
}

BIG_NAME=$(label "$BIG")
SMALL_NAME=$(label "$SMALL")
echo "== ingest $BIG_NAME ($BIG readings, $(stat -L -c %s "$BIG_CSV") bytes) x $RUNS"
for run in $(seq 1 "$RUNS"); do run_one "$BIG_NAME" "$run" "$BIG_CSV" "$BIG"; done
echo "== ingest $SMALL_NAME ($SMALL readings, $(stat -L -c %s "$SMALL_CSV") bytes) x 1"
run_one "$SMALL_NAME" 1 "$SMALL_CSV" "$SMALL"
rm -f "$WORK/bench.sqlite" "$WORK/bench.sqlite-wal" "$WORK/bench.sqlite-shm"

python3 - "$RESULTS" "$BIG_NAME" "$SMALL_NAME" "$SOURCE" <<'PY'
import csv, statistics, sys
path, big, small, source = sys.argv[1:]
rows = list(csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"))
def median(name, key):
    return statistics.median(float(r[key]) for r in rows if r["dump"] == name)
keys = ["wall_s", "readings_per_s", "mb_per_s", "max_rss_mib"]
med = {name: {k: median(name, k) for k in keys} for name in (big, small)}
runs = {name: sum(1 for r in rows if r["dump"] == name) for name in (big, small)}
b = med[big]
print(f"\nmedian of {runs[big]} runs, {big}: {b['wall_s']:.2f} s wall, {b['readings_per_s']:.0f} readings/s, "
      f"{b['mb_per_s']:.2f} MB/s, max RSS {b['max_rss_mib']:.1f} MiB")
s = med[small]
print(f"peak memory {small} vs {big}: {s['max_rss_mib']:.1f} MiB vs {b['max_rss_mib']:.1f} MiB "
      f"(ratio {b['max_rss_mib'] / s['max_rss_mib']:.2f} for {int(rows[0]['readings']) / int([r for r in rows if r['dump'] == small][0]['readings']):.0f}x the readings)")
print(f"time per reading {small} vs {big}: {1e6 / s['readings_per_s']:.2f} us vs {1e6 / b['readings_per_s']:.2f} us")
print(f"\nsource: {source}")
print("\n| dump | run | readings | MB | wall s | user+sys s | readings/s | MB/s | max RSS MiB |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r['dump']} | {r['run']} | {int(r['readings']):,} | {int(r['bytes']) / 1e6:.1f} | {float(r['wall_s']):.2f} | {float(r['user_s']) + float(r['sys_s']):.2f} | "
          f"{float(r['readings_per_s']):,.0f} | {float(r['mb_per_s']):.2f} | {float(r['max_rss_mib']):.1f} |")
for name in (big, small):
    m = med[name]
    print(f"| {name} | median of {runs[name]} | | | {m['wall_s']:.2f} | | {m['readings_per_s']:,.0f} | "
          f"{m['mb_per_s']:.2f} | {m['max_rss_mib']:.1f} |")
PY
echo
echo "raw figures: $RESULTS; per-run JSON reports and /usr/bin/time -v output: $WORK/run_*"
