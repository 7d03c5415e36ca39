#!/usr/bin/env bash
# Alert latency with hourly runs: how soon after onset a true pollution event raises a `pollution_event` alert.
#
#   scripts/score-latency.sh                           # stress district, 45 days from 2025-05-01, seeds 301-320
#   SEEDS="301 302" SCENARIO=demo scripts/score-latency.sh
#
# Builds the release binary and Benchmarks/AlertLatency in .build-bench (as the benchmarks do); for each seed
# simulates into score-work/latency/<scenario>-s<seed>/dumps and ingests into a fresh store (kept when it is
# already there: delete score-work/latency to start over), then replays the hourly runs of every injected event
# (Benchmarks/AlertLatency/main.swift says how). One line per event and the pooled figures go to
# score-work/latency/<scenario>.tsv and to the terminal; progress to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SCENARIO=${SCENARIO:-stress}
START=${START:-2025-05-01}
DAYS=${DAYS:-45}
SEEDS=${SEEDS:-$(seq -s ' ' 301 320)}
"$SWIFT" build -c release --scratch-path .build-bench --product rivertrace >/dev/null
"$SWIFT" build -c release --scratch-path .build-bench --product AlertLatency >/dev/null
BIN=$(pwd)/.build-bench/release/rivertrace
WORK=score-work/latency
mkdir -p "$WORK"
runs=()
for seed in $SEEDS; do
    dir=$WORK/$SCENARIO-s$seed
    if [ ! -f "$dir/ingested" ]; then
        rm -rf "$dir" && mkdir -p "$dir"
        "$BIN" simulate --network data/network --scenario "$SCENARIO" --start "$START" --days "$DAYS" --seed "$seed" \
            --out "$dir/dumps" >/dev/null
        "$BIN" ingest --store "$dir/store.sqlite" --network data/network "$dir/dumps" > "$dir/ingest.log" || [ $? -eq 3 ]
        touch "$dir/ingested"
    fi
    runs+=("$dir")
done
echo "AlertLatency data/network ${runs[*]}" >&2
/usr/bin/time -f "replay: %e s wall, %M KiB max RSS" \
    .build-bench/release/AlertLatency data/network "${runs[@]}" | tee "$WORK/$SCENARIO.tsv"
