#!/usr/bin/env python3
"""Scores `analyze --json` events[] against a simulation's truth.json.

An injected discharge reaches every point downstream; at an automatic station it is *expected* to show as an
event in its impact window there (sim_truth.py: truth's window under --vary, else the simulator's plug flow with
Gaussian spreading, [start + travel - 4 sigma, end + travel + 4 sigma], sigma = 0.3 + 0.25 sqrt(travel hours)). An impact counts as *detectable* when its noise-free peak
increment is at least 3 noise widths for some station parameter; the noise width is the simulator's station
noise (0.707 x 4 % of the level, 8 % for turbidity; docs/simulator.md), the level the clean-series mean.

- recall: detectable impacts with an event at that point overlapping the window (2 h slack), by kind.
- false events: events that overlap no impact window (detectable or not), no rain runoff window
  (rain start to end + 30 h) and no injected sensor fault, per automatic point-month.
- events on faults: events overlapping an injected fault at that point (a fault is not a pollution event).

Usage: score_events.py --truth DIR/truth.json --analysis analysis.json --points data/network/points.csv
"""
import argparse
import json
import sys
from collections import Counter, defaultdict
from datetime import timedelta

from sim_truth import SLACK, automatic_points, impact_window, when

STATION_PARAMETERS = ["cond", "turb", "codmn", "nh3n", "tp", "tn"]


def overlaps(a_start, a_end, b_start, b_end, slack=SLACK):
    return a_start <= b_end + slack and b_start <= a_end + slack


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--truth", required=True)
    parser.add_argument("--analysis", required=True)
    parser.add_argument("--points", required=True, help="points.csv of the network")
    parser.add_argument("--snr", type=float, default=3.0, help="noise widths that make an impact detectable")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    truth = json.load(open(args.truth))
    analysis = json.load(open(args.analysis))
    period_start = when(analysis["period"]["start"])
    period_end = when(analysis["period"]["end"])
    automatic = automatic_points(truth, args.points)
    level = {(s["point_id"], s["parameter"]): s["mean"] for s in truth["clean_series"]}

    events = defaultdict(list)
    for event in analysis["events"]:
        events[event["point_id"]].append((when(event["start"]), when(event["end"]), event))

    # Every impact window at an automatic point, with its signal-to-noise ratio.
    windows = defaultdict(list)
    expected = []
    for discharge in truth["discharges"]:
        for impact in discharge["impacts"]:
            point = impact["point_id"]
            if point not in automatic:
                continue
            w_start, w_end = impact_window(discharge, impact)
            windows[point].append((w_start, w_end))
            if not (period_start <= w_start < period_end):
                continue
            snr = 0.0
            for parameter in STATION_PARAMETERS:
                mean = level.get((point, parameter))
                increment = impact["peak_increment"].get(parameter)
                if not mean or increment is None:
                    continue
                noise = 0.707 * (0.08 if parameter == "turb" else 0.04) * mean * truth.get("noise_scale", 1)
                snr = max(snr, abs(increment) / noise)
            expected.append((discharge, point, w_start, w_end, snr))
    rain = [(when(r["start"]), when(r["end"]) + timedelta(hours=30)) for r in truth["rain"]]
    faults = defaultdict(list)
    for fault in truth["faults"]:
        faults[fault["point_id"]].append((when(fault["start"]), when(fault["end"])))

    found = Counter()
    total = Counter()
    missed = []
    for discharge, point, w_start, w_end, snr in expected:
        if snr < args.snr:
            continue
        kind = discharge["kind"]
        total[kind] += 1
        if any(overlaps(s, e, w_start, w_end) for s, e, _ in events[point]):
            found[kind] += 1
        else:
            missed.append(f"{discharge['id']} at {point} ({w_start:%m-%d %H:%M}, snr {snr:.1f})")

    false_events = []
    on_faults = 0
    for point, listed in events.items():
        for start, end, event in listed:
            if any(overlaps(start, end, s, e) for s, e in faults[point]):
                on_faults += 1
                continue
            if any(overlaps(start, end, s, e) for s, e in windows[point]):
                continue
            if any(overlaps(start, end, s, e, timedelta(0)) for s, e in rain):
                continue
            false_events.append(f"{point} {start:%m-%d %H:%M}–{end:%m-%d %H:%M} "
                                + ",".join(f"{p['parameter']}{'+' if p['direction'] == 'rose' else '-'}{abs(p['score']):.1f}"
                                           for p in event["parameters"]))
    months = (period_end - period_start).total_seconds() / (30.44 * 86400)
    point_months = len(automatic) * months
    figures = {
        "detectable_impacts": sum(total.values()),
        "recall": sum(found.values()) / max(1, sum(total.values())),
        "recall_by_kind": {k: f"{found[k]}/{total[k]}" for k in sorted(total)},
        "events": len(analysis["events"]),
        "false_events": len(false_events),
        "false_events_per_point_month": len(false_events) / point_months if point_months else 0,
        "events_on_injected_faults": on_faults,
        "automatic_points": len(automatic),
        "months": round(months, 2),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
        for line in missed:
            print("missed:", line)
        for line in false_events:
            print("false:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
