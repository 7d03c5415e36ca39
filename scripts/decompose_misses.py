#!/usr/bin/env python3
"""Where the trace-back's recall is lost: every injected source of the runs in one class (issue 16 diagnostics).

Each source gets its answer as scripts/score_trace_verdicts.py gives it (its first alarm: the earliest of its traces
with verdict "source", a trace in the windows of several sources being the alarm of the one its stretch contains) and
falls into one of these classes (the first two are the scorer's "traced"; "right" is its "stretch"):

  right            the first alarm's suspect stretch contains the source
  wrong            it does not
  followed another every source verdict of its events pointed at another source whose plume met it at the station
  uncertain-right  no source verdict; a trace below the confidence threshold had the right stretch
  uncertain-wrong  no source verdict; traces below the threshold, none with the right stretch
  district-wide    no source verdict; its events were put down to a district-wide pattern (rain) only
  not-pollution    no source verdict; its events were faults or not pollution only
  undetected       no event in any of its impact windows

Usage: decompose_misses.py --points data/network/points.csv [--analysis NAME] [--by-kind] RUN_DIR...
       (each RUN_DIR with truth.json and NAME, default analysis.json; --by-kind adds a column per discharge kind)
"""
import argparse
import json
import os
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sim_truth import TraceMatcher, automatic_points, segment_contains, trace_start, when  # noqa: E402

CLASSES = ["right", "wrong", "followed another", "uncertain-right", "uncertain-wrong", "district-wide", "not-pollution",
           "undetected"]


def classify(truth, analysis, points_path):
    """The class of every source of one run."""
    matcher = TraceMatcher(truth, automatic_points(truth, points_path), when(analysis["period"]["start"]),
                           when(analysis["period"]["end"]))
    claimed = matcher.claimed_by_others(analysis["traces"])
    by_source = defaultdict(list)
    for index, trace in enumerate(analysis["traces"]):
        for discharge_id in matcher.sources_of(trace["point_id"], trace_start(trace)):
            by_source[discharge_id].append((index, trace))
    for discharge in matcher.sources:
        traces = by_source[discharge["id"]]
        if not traces:
            yield "undetected"
            continue
        verdicts = [t for i, t in traces if t["verdict"] == "source" and i not in claimed[discharge["id"]]]
        if verdicts:
            first = min(verdicts, key=lambda t: (trace_start(t), -t.get("confidence", 0.0)))
            yield "right" if segment_contains(first["suspect_segment"], discharge["river_id"], discharge["km"]) else "wrong"
        elif any(t["verdict"] == "source" for _, t in traces):
            yield "followed another"
        elif any(t["verdict"] == "uncertain" for _, t in traces):
            right = any(segment_contains(t["suspect_segment"], discharge["river_id"], discharge["km"])
                        for _, t in traces if t["verdict"] == "uncertain")
            yield "uncertain-right" if right else "uncertain-wrong"
        elif any(t["verdict"] == "district_wide" for _, t in traces):
            yield "district-wide"
        else:
            yield "not-pollution"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", required=True)
    parser.add_argument("--analysis", default="analysis.json", help="the analysis file's name in each run")
    parser.add_argument("--by-kind", action="store_true", help="a column per discharge kind")
    parser.add_argument("runs", nargs="+")
    args = parser.parse_args()
    counts = defaultdict(Counter)
    for run in args.runs:
        with open(os.path.join(run, "truth.json")) as t, open(os.path.join(run, args.analysis)) as a:
            truth, analysis = json.load(t), json.load(a)
        matcher = TraceMatcher(truth, automatic_points(truth, args.points), when(analysis["period"]["start"]),
                               when(analysis["period"]["end"]))
        for source, answer in zip(matcher.sources, classify(truth, analysis, args.points)):
            counts["all"][answer] += 1
            if args.by_kind:
                counts[source["kind"]][answer] += 1
    columns = ["all"] + sorted(k for k in counts if k != "all")
    totals = {c: sum(counts[c].values()) for c in columns}
    print(f"{totals['all']} sources in {len(args.runs)} runs\n")
    print("| class | " + " | ".join(f"{c} ({totals[c]})" for c in columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for name in CLASSES:
        cells = [f"{counts[c][name]} ({counts[c][name] / max(totals[c], 1):.1%})" for c in columns]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
