#!/usr/bin/env bash
# Anomaly-detection and trace-back benchmark: one simulated year of the stress district (every point an hourly
# station: 33 points × 9 parameters), release build, medians of BENCH_RUNS runs per stage.
#
#   scripts/bench-detection.sh
#
# Builds in .build-bench (as the other benchmarks), simulates into bench-work/detection when missing, ingests,
# then runs Benchmarks/DetectionBenchmark, and `analyze --json` once under /usr/bin/time -v for the end-to-end
# figure (which also evaluates, grades, runs the fault detectors and the ten-year trends).
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
RUNS=${BENCH_RUNS:-3}
WORK=bench-work/detection
"$SWIFT" build -c release --scratch-path .build-bench --product rivertrace >/dev/null
"$SWIFT" build -c release --scratch-path .build-bench --product DetectionBenchmark >/dev/null
BIN=.build-bench/release/rivertrace
if [ ! -f "$WORK/store.sqlite" ]; then
    rm -rf "$WORK" && mkdir -p "$WORK"
    "$BIN" simulate --network data/network --scenario stress --start 2025-01-01 --days 365 --out "$WORK/dumps" >/dev/null
    "$BIN" ingest --store "$WORK/store.sqlite" --network data/network "$WORK/dumps" >/dev/null || [ $? -eq 3 ]
fi
.build-bench/release/DetectionBenchmark "$WORK/store.sqlite" data/network 2025-01-01 2025-12-31 "$RUNS"
/usr/bin/time -f "analyze --json, one year, end to end: %e s wall, %M KiB max RSS" \
    "$BIN" analyze --store "$WORK/store.sqlite" --network data/network --from 2025-01-01 --to 2025-12-31 --json >/dev/null
