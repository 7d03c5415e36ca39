#!/usr/bin/env bash
# Scores anomaly events, trace-backs and trends against the simulator's truth, end to end.
#
#   scripts/score-detection.sh            # demo (92 days), stress (3 years) and stress with seeds 11-16 (1 year each)
#   STRESS_DAYS=240 SEEDS="" scripts/score-detection.sh
#
# Builds the release binary in .build-bench (as the benchmarks do), then for each scenario: simulate into
# score-work/<scenario>/dumps, ingest into a fresh store, `analyze --json` over the whole simulated span, and
# run scripts/score_events.py, score_traces.py and score_trends.py on it. The figures go to
# score-work/<scenario>/scores.txt and to the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
STRESS_DAYS=${STRESS_DAYS:-1096}
SEEDS=${SEEDS-11 12 13 14 15 16}
"$SWIFT" build -c release --scratch-path .build-bench --product rivertrace >/dev/null
BIN=$(pwd)/.build-bench/release/rivertrace

score() {  # scenario start days [seed]
    local scenario=$1 start=$2 days=$3 seed=${4:-} dir=score-work/$1${4:+-s$4}
    local to
    to=$(python3 -c "import datetime as d; print((d.date.fromisoformat('$start') + d.timedelta(days=$days - 1)).isoformat())")
    rm -rf "$dir" && mkdir -p "$dir"
    "$BIN" simulate --network data/network --scenario "$scenario" --start "$start" --days "$days" ${seed:+--seed "$seed"} \
        --out "$dir/dumps" >/dev/null
    "$BIN" ingest --store "$dir/store.sqlite" --network data/network "$dir/dumps" > "$dir/ingest.log" || [ $? -eq 3 ]
    /usr/bin/time -f "analyze: %e s wall, %M KiB max RSS" \
        "$BIN" analyze --store "$dir/store.sqlite" --network data/network --from "$start" --to "$to" --json \
        > "$dir/analysis.json" 2> "$dir/analyze.time"
    {
        echo "## $scenario: $days days from $start (seed ${seed:-default})"
        cat "$dir/analyze.time"
        echo "### events"
        python3 scripts/score_events.py --truth "$dir/dumps/truth.json" --analysis "$dir/analysis.json" \
            --points data/network/points.csv | grep -v '^missed:\|^false:'
        echo "### traces"
        python3 scripts/score_traces.py --truth "$dir/dumps/truth.json" --analysis "$dir/analysis.json" \
            --points data/network/points.csv
        echo "### trends"
        python3 scripts/score_trends.py --truth "$dir/dumps/truth.json" --analysis "$dir/analysis.json" | grep -v '^false:'
    } | tee "$dir/scores.txt"
}

score demo 2026-07-01 92
score stress 2024-01-01 "$STRESS_DAYS"
pooled=(--truth score-work/stress/dumps/truth.json --analysis score-work/stress/analysis.json)
for seed in $SEEDS; do
    score stress 2025-01-01 365 "$seed"
    pooled+=(--truth "score-work/stress-s$seed/dumps/truth.json" --analysis "score-work/stress-s$seed/analysis.json")
done
if [ -n "$SEEDS" ]; then
    echo "## traces, stress runs pooled"
    python3 scripts/score_traces.py "${pooled[@]}" --points data/network/points.csv | sed -n '/^## pooled/,$p' | tail -n +2 \
        | tee score-work/pooled-traces.txt
fi
