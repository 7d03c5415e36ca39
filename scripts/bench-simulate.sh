#!/usr/bin/env bash
# Simulator benchmark: wall time and peak memory of `rivertrace simulate --scenario stress` for 10 years of
# hourly data, every one of the 33 sample points × 9 parameters (~26 million readings), and for 1 year
# (memory against span). Runs each BENCH_RUNS times (default 3) into a fresh folder and prints the medians.
#
#   scripts/bench-simulate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
RUNS=${BENCH_RUNS:-3}
WORK=${BENCH_WORK:-bench-work}
mkdir -p "$WORK"
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
$SWIFT build -c release --product rivertrace >/dev/null
BIN=$($SWIFT build -c release --show-bin-path)/rivertrace

for days in 3650 365; do
  walls=(); rss=()
  for run in $(seq "$RUNS"); do
    out="$WORK/sim-$days"
    rm -rf "$out"
    bench_time "$WORK/sim" "$BIN" simulate --scenario stress --days "$days" --start 2016-01-01 --out "$out" \
      --network data/network
    read -r wall _ _ kb < <(bench_time_fields "$WORK/sim.time")
    readings=$(python3 -c "import json;print(json.load(open('$out/truth.json'))['expected_ingest']['readings_read'])")
    bytes=$(du -sb "$out" | cut -f1)
    echo "days=$days run=$run wall=${wall}s readings=$readings output=$((bytes / 1000000))MB maxrss=$((kb / 1024))MiB"
    walls+=("$wall"); rss+=("$((kb / 1024))")
  done
  echo "days=$days median wall $(printf '%s\n' "${walls[@]}" | bench_median) s, median max RSS $(printf '%s\n' "${rss[@]}" | bench_median) MiB"
done
