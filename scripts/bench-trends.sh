#!/usr/bin/env bash
# Trend benchmark: rivertrace's original Mann-Kendall test (S, Var(S), Sen's slope) against pyMannKendall 1.4.3
# on the same deterministic series.
#
#   scripts/bench-trends.sh
#
# Builds the TrendBenchmark target in release in its own scratch folder (.build-bench, so it does not disturb
# `swift build` in .build), runs it BENCH_RUNS times per workload (264 series × 3,650 values; 1 × 20,000;
# 1 × 100,000; AnnualSenSlope on the 100,000 with hourly times) and prints the medians. It also writes the
# series to bench-work/ and times pyMannKendall's `original_test` (which includes its `sens_slope`) on the
# 264 × 3,650 and the 20,000 series, BENCH_PY_RUNS times. pyMannKendall lists all n(n−1)/2 slopes in memory
# (about 40 GB for 100,000 values), so it is not run on the 100,000 series.
#
# Environment: BENCH_RUNS (default 5), BENCH_PY_RUNS (default 1), SWIFT (default swift), PYTHON (default python3).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
SWIFT=${SWIFT:-swift}
PYTHON=${PYTHON:-python3}
RUNS=${BENCH_RUNS:-5}
PY_RUNS=${BENCH_PY_RUNS:-1}
WORK=$ROOT/bench-work
SCRATCH=$ROOT/.build-bench
mkdir -p "$WORK"

if git rev-parse --git-dir >/dev/null 2>&1; then
  SOURCE="commit $(git rev-parse --short HEAD)"
  DIRTY=$(git status --porcelain -- Sources Benchmarks Package.swift | wc -l | tr -d ' ')
  [ "$DIRTY" = 0 ] || SOURCE="$SOURCE + $DIRTY uncommitted change(s) under Sources/, Benchmarks/ and Package.swift"
else
  SOURCE="not a git checkout"
fi

echo "== build (release, scratch path .build-bench)"
"$SWIFT" build -c release --scratch-path "$SCRATCH" --product TrendBenchmark
BIN=$("$SWIFT" build -c release --scratch-path "$SCRATCH" --show-bin-path)/TrendBenchmark
echo "source: $SOURCE"

echo "== rivertrace (Swift, release, one thread)"
"$BIN" --runs "$RUNS" --csv "$WORK"

echo "== pyMannKendall $("$PYTHON" -c 'import pymannkendall; print(pymannkendall.__version__)') (original_test, includes sens_slope)"
"$PYTHON" - "$WORK" "$PY_RUNS" <<'PY'
import csv, statistics, sys, time
import numpy as np
import pymannkendall as mk

work, runs = sys.argv[1], int(sys.argv[2])

def columns(path):
    with open(path) as handle:
        rows = list(csv.reader(handle))
    # A one-column file writes a missing value as an empty line, which csv.reader returns as [].
    return [np.array([float(r[c]) if c < len(r) and r[c] else np.nan for r in rows[1:]]) for c in range(len(rows[0]))]

def measure(name, series):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        results = [mk.original_test(x) for x in series]
        times.append(time.perf_counter() - start)
    listed = " ".join(f"{t:.3f}" for t in times)
    print(f"{name:<44} median {statistics.median(times):.3f} s  (runs: {listed})")
    return results

many = measure("original_test, 264 series × 3,650", columns(f"{work}/trend-series-264x3650.csv"))
print(f"  check: Σ s {sum(r.s for r in many)}, first slope {many[0].slope}, last slope {many[-1].slope}")
medium = measure("original_test, 1 series × 20,000", columns(f"{work}/trend-series-20000.csv"))
print(f"  check: s {medium[0].s}, slope {medium[0].slope}, intercept {medium[0].intercept}")
print("original_test, 1 series × 100,000            not run: its sens_slope needs n(n-1)/2 doubles (~40 GB)")
PY
