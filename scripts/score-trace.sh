#!/usr/bin/env bash
# Scores every trace-back verdict against the simulator's truth, end to end, on the varied simulator (issue 16).
#
#   scripts/score-trace.sh                          # the HELD-OUT set (below): never look at it while tuning
#   TUNING=1 scripts/score-trace.sh                 # the tuning set
#   TUNING=1 SEEDS=501 DAYS=60 scripts/score-trace.sh   # a quick check: one varied seed, 60 days, no base seeds
#   TUNING=1 SEEDS="501 502" BASE_SEEDS=11 scripts/score-trace.sh
#
# Sets (stress scenario, every point a station, one year each from 2025-01-01):
#   TUNING    --vary seeds 501-505, and seeds 11-13 without --vary (the base simulator)
#   HELD-OUT  --vary seeds 601-620, and seeds 621-630 without --vary
# SEEDS replaces the --vary seeds (and then the base seeds are none unless BASE_SEEDS is given); BASE_SEEDS replaces
# the base seeds; DAYS the length (default 365); START the first day; JOBS the runs at a time (default 2);
# INTERVAL the minutes between automatic readings (default 60; otherwise the set is named <set>-<INTERVAL>min, e.g.
# INTERVAL=240 for stations that report every four hours); STATION_INTERVALS a comma list of minutes, each station
# reporting at one of them drawn by the seed (`simulate --station-intervals`; the set is then named <set>-mixed, e.g.
# STATION_INTERVALS=60,120,240 for a network read every 1-4 h); PATCHY_RAIN=1 for storm cells and uneven rain
# (`simulate --patchy-rain`; the set is then named <set>-patchy); NOISE_SCALE the stations' measurement noise multiplied
# (`simulate --noise-scale`, e.g. NOISE_SCALE=2 for sensors twice as noisy as the model's; the set is then named
# <set>-noise<NOISE_SCALE>); CALIBRATION_STEPS calibration steps per 30 days (`simulate --calibration-steps`: an
# analyser 15-40 % high or low for 2-10 days, a fault kind the scenarios do not draw; the set is <set>-steps<N>);
# NIGHT_DISCHARGES night-time discharge episodes per 30 days (`simulate --night-discharges`: 2-4 h releases on most
# nights of 4-14, an event shape the scenarios do not draw; the set is <set>-nights<N>); SINGLE_PARAMETER_DISCHARGES
# single-parameter discharges per 30 days (`simulate --single-parameter-discharges`: sand-washing water or brine for
# 1-5 days, moving turbidity or conductivity alone; the set is <set>-single<N>).
#
# Builds the release binary in .build-bench (as the benchmarks do), then per run: simulate into
# score-work/trace/<set>/<run>/dumps, ingest into a fresh store, `analyze --json` over the whole span (as
# score-detection.sh), keep truth.json and analysis.json, delete the dumps and the store (KEEP=1 keeps them). Then
# scripts/score_trace_verdicts.py on every run of the set: score-work/trace/<set>.md (Markdown tables: recall per
# condition, precision, reliability of the confidence, 95 % Wilson intervals), score-work/trace/<set>.json, and for
# the tuning set only score-work/trace/tuning-details.md (every source's first alarm, every false alarm).
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
if [ -n "${TUNING:-}" ]; then
    SET=tuning
    DEFAULT_VARIED="501 502 503 504 505"
    DEFAULT_BASE="11 12 13"
else
    SET=held-out
    DEFAULT_VARIED="601 602 603 604 605 606 607 608 609 610 611 612 613 614 615 616 617 618 619 620"
    DEFAULT_BASE="621 622 623 624 625 626 627 628 629 630"
fi
if [ -n "${SEEDS:-}" ]; then
    VARIED_SEEDS=$SEEDS
    BASE_SEEDS=${BASE_SEEDS-}
else
    VARIED_SEEDS=$DEFAULT_VARIED
    BASE_SEEDS=${BASE_SEEDS-$DEFAULT_BASE}
fi
DAYS=${DAYS:-365}
START=${START:-2025-01-01}
JOBS=${JOBS:-2}
INTERVAL=${INTERVAL:-60}
[ "$INTERVAL" = 60 ] || SET=$SET-${INTERVAL}min
STATION_INTERVALS=${STATION_INTERVALS:-}
mixed=()
if [ -n "$STATION_INTERVALS" ]; then
    SET=$SET-mixed
    mixed=(--station-intervals "$STATION_INTERVALS")
fi
patchy=()
if [ -n "${PATCHY_RAIN:-}" ]; then
    SET=$SET-patchy
    patchy=(--patchy-rain)
fi
steps=()
if [ -n "${CALIBRATION_STEPS:-}" ]; then
    SET=$SET-steps$CALIBRATION_STEPS
    steps=(--calibration-steps "$CALIBRATION_STEPS")
fi
nights=()
if [ -n "${NIGHT_DISCHARGES:-}" ]; then
    SET=$SET-nights$NIGHT_DISCHARGES
    nights=(--night-discharges "$NIGHT_DISCHARGES")
fi
single=()
if [ -n "${SINGLE_PARAMETER_DISCHARGES:-}" ]; then
    SET=$SET-single$SINGLE_PARAMETER_DISCHARGES
    single=(--single-parameter-discharges "$SINGLE_PARAMETER_DISCHARGES")
fi
noise=()
if [ -n "${NOISE_SCALE:-}" ]; then
    SET=$SET-noise$NOISE_SCALE
    noise=(--noise-scale "$NOISE_SCALE")
fi
END=$(python3 -c "import datetime as d; print((d.date.fromisoformat('$START') + d.timedelta(days=$DAYS - 1)).isoformat())")
"$SWIFT" build -c release --scratch-path .build-bench --product rivertrace >/dev/null
BIN=$(pwd)/.build-bench/release/rivertrace
WORK=score-work/trace/$SET
mkdir -p "$WORK"

run() {  # name seed vary(yes|no)
    local dir=$WORK/$1
    rm -rf "$dir" && mkdir -p "$dir"
    local vary=()
    [ "$3" = yes ] && vary=(--vary)
    "$BIN" simulate --network data/network --scenario stress "${vary[@]}" --start "$START" --days "$DAYS" --seed "$2" \
        --interval "$INTERVAL" "${mixed[@]}" "${patchy[@]}" "${noise[@]}" "${steps[@]}" "${nights[@]}" "${single[@]}" --out "$dir/dumps" > "$dir/simulate.log"
    "$BIN" ingest --store "$dir/store.sqlite" --network data/network "$dir/dumps" > "$dir/ingest.log" || [ $? -eq 3 ]
    /usr/bin/time -f "analyze: %e s wall, %M KiB max RSS" \
        "$BIN" analyze --store "$dir/store.sqlite" --network data/network --from "$START" --to "$END" --json \
        > "$dir/analysis.json" 2> "$dir/analyze.time" || [ $? -eq 3 ]
    cp "$dir/dumps/truth.json" "$dir/truth.json"
    [ -n "${KEEP:-}" ] || rm -rf "$dir/dumps" "$dir/store.sqlite" "$dir/store.sqlite-wal" "$dir/store.sqlite-shm"
    echo "$1: $(tail -n 1 "$dir/analyze.time")"
}

names=()
failed=0
launch() {  # name seed vary
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || failed=1; done
    run "$@" &
    names+=("$1")
}
for seed in $VARIED_SEEDS; do launch "v$seed" "$seed" yes; done
for seed in $BASE_SEEDS; do launch "b$seed" "$seed" no; done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || failed=1; done
[ "$failed" -eq 0 ] || { echo "score-trace: a run failed (see $WORK/*/)" >&2; exit 1; }
[ ${#names[@]} -gt 0 ] || { echo "score-trace: no seeds" >&2; exit 2; }

pairs=()
for name in "${names[@]}"; do pairs+=(--truth "$WORK/$name/truth.json" --analysis "$WORK/$name/analysis.json"); done
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources || echo "+changes")
title="Trace verdicts, $SET set: ${DAYS} days from $START, stress scenario, readings every ${STATION_INTERVALS:-$INTERVAL} min${PATCHY_RAIN:+, patchy rain}${NOISE_SCALE:+, noise × $NOISE_SCALE}${CALIBRATION_STEPS:+, $CALIBRATION_STEPS calibration steps a month}${NIGHT_DISCHARGES:+, $NIGHT_DISCHARGES night-discharge episodes a month}${SINGLE_PARAMETER_DISCHARGES:+, $SINGLE_PARAMETER_DISCHARGES single-parameter discharges a month} (rivertrace $commit)"
python3 scripts/score_trace_verdicts.py "${pairs[@]}" --points data/network/points.csv --title "$title" \
    > "score-work/trace/$SET.md"
python3 scripts/score_trace_verdicts.py "${pairs[@]}" --points data/network/points.csv --json \
    > "score-work/trace/$SET.json"
if [ "${SET%%-*}" = tuning ]; then  # per-source answers and false alarms: for tuning only, never for the held-out set
    python3 scripts/score_trace_verdicts.py "${pairs[@]}" --points data/network/points.csv --verbose --title "$title" \
        | sed -n '/^### Runs$/,$p' > "score-work/trace/$SET-details.md"
fi
cat "score-work/trace/$SET.md"
