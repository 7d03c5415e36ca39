#!/usr/bin/env python3
"""Scores `analyze --json` traces[] against a simulation's truth.json.

A source is an injected discharge that is not a stormwater overflow (those are rain-driven). Its traces are
the traces of events at points it reaches, starting inside its impact window there (sim_truth.py); a trace
traced from later than its event began (`traced_from`: a plume arriving during rain, or a leak outlasting it) starts then.
Of these, the earliest (the first alarm: what the field team is sent on) is the source's answer:
- traced: the source has at least one trace with verdict "source";
- segment correct: the true river and km lie on the suspect segment;
- top-1 / top-3 (registered sources only): the true source_id is first / among the first three candidates.

Rain-driven and fault events: traces of events that overlap a rain runoff window (rain start to end + 30 h),
a stormwater overflow or an injected fault, and no other discharge's window. Attributed to a source when their
verdict is "source"; the issue's target is at most 5 %.

Usage: score_traces.py --truth DIR/truth.json --analysis analysis.json --points data/network/points.csv
       score_traces.py --truth A/truth.json --analysis a.json --truth B/truth.json --analysis b.json --points …
With several runs (pairs in order), each run's figures are printed and then the pooled ones (counts summed).
"""
import argparse
import json
import sys
from collections import defaultdict

from sim_truth import TraceMatcher, automatic_points, segment_contains, trace_start, when


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--truth", required=True, action="append")
    parser.add_argument("--analysis", required=True, action="append")
    parser.add_argument("--points", required=True)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="list every source and its answer")
    args = parser.parse_args()
    if len(args.truth) != len(args.analysis):
        parser.error("give one --analysis per --truth")
    runs = []
    for truth_path, analysis_path in zip(args.truth, args.analysis):
        counts, not_source_events, attributed, lines = score(json.load(open(truth_path)), json.load(open(analysis_path)),
                                                             args.points)
        runs.append((analysis_path, counts, not_source_events, attributed, lines))
    pooled = defaultdict(int)
    for _, counts, not_source_events, attributed, _ in runs:
        for key, value in counts.items():
            pooled[key] += value
        pooled["rain_or_fault_events"] += not_source_events
        pooled["attributed"] += attributed
    for name, counts, not_source_events, attributed, lines in runs + ([("pooled", pooled, pooled["rain_or_fault_events"],
                                                                         pooled["attributed"], [])] if len(runs) > 1 else []):
        figures = figures_of(counts, not_source_events, attributed)
        if len(runs) > 1 and not args.json:
            print(f"## {name}")
        if args.json:
            print(json.dumps(figures, indent=2))
        else:
            for key, value in figures.items():
                print(f"{key}: {round(value, 3) if isinstance(value, float) else value}")
            if args.verbose:
                for line in lines:
                    print(line)
    return 0


def figures_of(counts, not_source_events, attributed):
    return {
        "sources": counts["sources"],
        "registered": counts["registered"],
        "traced": counts["traced"],
        "segment_correct_of_traced": counts["segment_correct"] / max(1, counts["traced"]),
        "segment_correct_of_all": counts["segment_correct"] / max(1, counts["sources"]),
        "every_trace_segment_correct": counts["traces_correct"] / max(1, counts["traces"]),
        "top1_registered": counts["top1"] / max(1, counts["registered"]),
        "top3_registered": counts["top3"] / max(1, counts["registered"]),
        "rain_or_fault_events": not_source_events,
        "rain_or_fault_attributed_to_a_source": attributed / max(1, not_source_events),
    }


def score(truth, analysis, points_path):
    """Per-source answers of one run: counts, rain/fault events, of them attributed, and a line per source."""
    period_start, period_end = when(analysis["period"]["start"]), when(analysis["period"]["end"])
    matcher = TraceMatcher(truth, automatic_points(truth, points_path), period_start, period_end)
    sources = matcher.sources

    by_source = defaultdict(list)
    not_source_events = attributed = 0
    for trace in analysis["traces"]:
        point, start = trace["point_id"], trace_start(trace)
        matched = matcher.sources_of(point, start)
        for discharge_id in matched:
            by_source[discharge_id].append(trace)
        if matched:
            continue
        if matcher.in_overflow(point, start) or matcher.on_fault(point, start) or matcher.in_rain(start):
            not_source_events += 1
            attributed += trace["verdict"] == "source"

    counts = defaultdict(int)
    lines = []
    for discharge in sources:
        traces = [t for t in by_source[discharge["id"]] if t["verdict"] == "source"]
        counts["sources"] += 1
        registered = discharge.get("source_id")
        counts["registered"] += registered is not None
        if not traces:
            lines.append(f"{discharge['id']} {discharge['kind']} {discharge['river_id']} {discharge['km']}: not traced "
                         f"({len(by_source[discharge['id']])} events, verdicts "
                         f"{[t['verdict'] for t in by_source[discharge['id']]]})")
            continue
        counts["traced"] += 1
        best = min(traces, key=lambda t: (t.get("traced_from") or t["event_start"], -t["confidence"]))
        for trace in traces:
            seg = trace["suspect_segment"]
            counts["traces"] += 1
            counts["traces_correct"] += segment_contains(seg, discharge["river_id"], discharge["km"])
        segment = best["suspect_segment"]
        correct = segment_contains(segment, discharge["river_id"], discharge["km"])
        counts["segment_correct"] += correct
        ranked = [c.get("source_id") for c in best["candidates"]]
        if registered:
            counts["top1"] += ranked[:1] == [registered]
            counts["top3"] += registered in ranked[:3]
        lines.append(f"{discharge['id']} {discharge['kind']} {discharge['river_id']} {discharge['km']} "
                     f"({registered or 'unregistered'}): from {best['point_id']}, segment {segment['river_id']} "
                     f"{segment['from_km']}–{segment['to_km']} {'✓' if correct else '✗'}, candidates {ranked[:3]}")

    return counts, not_source_events, attributed, lines


if __name__ == "__main__":
    sys.exit(main())
