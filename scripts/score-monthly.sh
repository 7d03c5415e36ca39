#!/usr/bin/env bash
# Scores the trace-back the way `report` and `run` work: each month analysed on its own.
#
#   scripts/score-monthly.sh            # stress seeds 14-16 (one year each), after scripts/score-detection.sh
#   SEEDS="11 12" scripts/score-monthly.sh
#
# Uses the stores score-detection.sh left in score-work/stress-s<seed>, runs `analyze --json` for each month of
# 2025, joins the months' events and traces into one document per seed, and scores the seeds pooled with
# scripts/score_traces.py (the whole-span figures of the same seeds are in score-work/stress-s<seed>/scores.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SEEDS=${SEEDS-14 15 16}
"$SWIFT" build -c release --scratch-path .build-bench --product rivertrace >/dev/null
BIN=$(pwd)/.build-bench/release/rivertrace
pooled=()
for seed in $SEEDS; do
    dir=score-work/stress-s$seed
    [ -f "$dir/store.sqlite" ] || { echo "no $dir/store.sqlite: run scripts/score-detection.sh first" >&2; exit 1; }
    mkdir -p "$dir/monthly"
    for month in 01 02 03 04 05 06 07 08 09 10 11 12; do
        "$BIN" analyze --store "$dir/store.sqlite" --network data/network --period "2025-$month" --json \
            > "$dir/monthly/2025-$month.json"
    done
    python3 - "$dir/monthly.json" "$dir"/monthly/2025-*.json <<'PY'
import json, sys
months = [json.load(open(path)) for path in sys.argv[2:]]
joined = {"period": {"start": months[0]["period"]["start"], "end": months[-1]["period"]["end"]},
          "events": [e for m in months for e in m["events"]], "traces": [t for m in months for t in m["traces"]]}
json.dump(joined, open(sys.argv[1], "w"))
PY
    pooled+=(--truth "$dir/dumps/truth.json" --analysis "$dir/monthly.json")
done
python3 scripts/score_traces.py "${pooled[@]}" --points data/network/points.csv | tee score-work/monthly-traces.txt
