#!/usr/bin/env python3
"""Scores every trace verdict of `analyze --json` against simulations' truth.json: recall per condition,
precision (false alarms), and the reliability of the stated confidence, with 95 % Wilson intervals.

Matching (sim_truth.py, as score_traces.py): a trace belongs to a discharge when its start (`traced_from`, else
`event_start`) lies in the discharge's impact window at its point, 2 h slack. A source is a discharge that is not a
stormwater overflow, begun inside the analysed period.

Recall, per source (its first alarm: the earliest of its `source` traces, the more confident first; a trace inside
the windows of several overlapping discharges whose stretch contains one of them is that one's alarm only):
- detected: at least one trace (any verdict; one per event) belongs to it;
- traced: at least one `source` verdict belongs to it;
- stretch: the first alarm's suspect stretch contains the true river and km;
- top-1 / top-3 (registered sources): the true source_id is the first / among the first three candidates;
- unregistered first (unregistered sources): the first candidate is the unregistered outfall (no source_id) and
  the stretch contains the true km.
Every share is over all the sources of its row (a source not traced counts as a miss).

Precision, per `source` verdict: it matches a real source when its start lies in a source's window at its point;
otherwise it is a false alarm, listed by what was going on (a stormwater overflow, rain runoff, an injected fault,
nothing known). Per incident: the incidents of analysis.json (`incidents[]`: `lead_point_id`, `lead_event_start`,
`members[]`) or, in documents without them, the source traces grouped as `Incident.group` did before (same suspect
stretch, each beginning within 3 days of the end of the events before; the most confident leads); an incident is real
when its lead (the trace the field team is sent on) matches a source. Rain or fault events traced to a source: of
the traces matching no source but starting in an overflow, a rain runoff window or a fault, the share with verdict
`source` (score_traces.py's figure).

Reliability: `source` verdicts in bins of 10 confidence points; correct = matches a source and its stretch contains
the true place of one it matches (a false alarm is wrong).

Profiles: for the traced verdicts (source and uncertain) that match exactly one source, the profile that fitted the
event best (`confidence_basis.profile`, in documents that report it) against the source's kind: how often the
signature names the right kind of outfall.

Rows: every run pooled; the runs simulated with --vary (truth.json `vary`), pooled and per condition tag
(`discharges[].conditions`, docs/simulator.md) plus `registered`; the runs without --vary (the base); in runs whose
stations report at different intervals (truth.json `station_interval_minutes`), per interval of the first station the
plume reaches.

Usage: score_trace_verdicts.py --truth A/truth.json --analysis a.json [--truth B/truth.json --analysis b.json …]
                               --points data/network/points.csv [--json] [--title TEXT] [--verbose]
"""
import argparse
import json
import math
import sys
from collections import defaultdict
from datetime import timedelta

from sim_truth import TraceMatcher, automatic_points, impact_windows, segment_contains, trace_start, when

TAGS = ["unregistered", "registered", "overlapping", "successive", "before_rain", "during_rain", "after_rain",
        "slow_river", "fast_river", "below_confluence", "fault_on_path", "recurring"]
KINDS = ["industrial_pulse", "sewage_leak", "agricultural_runoff", "sand_washing", "brine"]
# The profiles SignatureFit.bestProfile chooses among (confidence_basis.profile).
PROFILES = ["domestic", "industrial", "agricultural", "stormwater"]
RECALL = ["detected", "traced", "stretch", "top1", "top3", "unregistered_first"]
INCIDENT_GAP = timedelta(days=3)


def wilson(k, n, z=1.96):
    """Share k/n with its 95 % Wilson score interval (Wilson 1927); None for n = 0."""
    if n == 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return {"k": k, "n": n, "share": p, "low": max(0.0, centre - half), "high": min(1.0, centre + half)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--truth", required=True, action="append")
    parser.add_argument("--analysis", required=True, action="append")
    parser.add_argument("--points", required=True, help="points.csv of the network")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--title", default="Trace verdicts against the simulator's truth")
    parser.add_argument("--verbose", action="store_true", help="list every source's answer and every false alarm")
    args = parser.parse_args()
    if len(args.truth) != len(args.analysis):
        parser.error("give one --analysis per --truth")
    runs = [score_run(json.load(open(t)), json.load(open(a)), args.points, run_name(a))
            for t, a in zip(args.truth, args.analysis)]
    figures = pool(runs)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(markdown(figures, args.title))
        if args.verbose:
            for run in runs:
                print(f"\n### {run['name']}\n")
                for line in run["lines"]:
                    print(f"- {line}")
    return 0


def run_name(analysis_path):
    """A run's name: the folder of its analysis.json (score-trace.sh's v501, b11), else the file's path."""
    parts = analysis_path.replace("\\", "/").split("/")
    return parts[-2] if len(parts) > 1 and parts[-1] == "analysis.json" else analysis_path


def score_run(truth, analysis, points_path, name):
    """One run's sources with their answers, and its source verdicts with their outcomes."""
    period_start, period_end = when(analysis["period"]["start"]), when(analysis["period"]["end"])
    automatic = automatic_points(truth, points_path)
    matcher = TraceMatcher(truth, automatic, period_start, period_end)
    discharges = {d["id"]: d for d in matcher.sources}
    varied = bool(truth.get("vary"))
    intervals = truth.get("station_interval_minutes") or {}

    by_source = defaultdict(list)
    # A trace inside the windows of several overlapping discharges is the alarm of the one its stretch contains.
    claimed = matcher.claimed_by_others(analysis["traces"])
    verdicts = []
    # Every traced verdict, source and uncertain, with its confidence: the reliability table's.
    scored = []
    # (true kind, best-fitting profile) of the traced verdicts that match one source, where the document reports it.
    profiles = []
    rain_or_fault = attributed = 0
    for index, trace in enumerate(analysis["traces"]):
        point, start = trace["point_id"], trace_start(trace)
        matched = matcher.sources_of(point, start)
        for discharge_id in matched:
            by_source[discharge_id].append(trace)
        if not matched and matcher.rain_or_fault(point, start):
            rain_or_fault += 1
            attributed += trace["verdict"] == "source"
        correct = any(segment_contains(trace.get("suspect_segment"), discharges[d]["river_id"], discharges[d]["km"])
                      for d in matched)
        if trace["verdict"] in ("source", "uncertain"):
            scored.append({"confidence": trace.get("confidence", 0.0), "correct": correct,
                           "uncertain": trace["verdict"] == "uncertain"})
            profile = (trace.get("confidence_basis") or {}).get("profile")
            if profile and len(matched) == 1:
                profiles.append((discharges[matched[0]]["kind"], profile))
        if trace["verdict"] != "source":
            continue
        cause = None
        if not matched:
            cause = "overflow" if matcher.in_overflow(point, start) else "fault" if matcher.on_fault(point, start) \
                else "rain" if matcher.in_rain(start) else "nothing"
        verdicts.append({"index": index, "trace": trace, "matched": bool(matched), "correct": correct,
                         "confidence": trace.get("confidence", 0.0), "false_alarm_cause": cause})

    sources, lines = [], []
    for discharge in matcher.sources:
        traces = by_source[discharge["id"]]
        others = claimed[discharge["id"]]
        source_traces = [t for t in traces if t["verdict"] == "source"
                         and not any(t is analysis["traces"][i] for i in others)]
        registered = discharge.get("source_id")
        answer = {"id": discharge["id"], "registered": registered is not None, "detected": bool(traces),
                  "traced": bool(source_traces), "stretch": False, "top1": False, "top3": False,
                  "unregistered_first": False}
        tags = set(discharge.get("conditions") or [])
        tags.add("unregistered" if registered is None else "registered")
        answer["groups"] = ["all", "kind:" + discharge["kind"]] + \
            (["varied"] + ["varied:" + t for t in sorted(tags)] if varied else ["base"])
        if intervals:
            # Networks read at mixed intervals: by how often the first station the plume reaches is read.
            reached = min(((s, p) for p, s, _ in impact_windows(discharge, automatic)), default=None)
            if reached:
                answer["groups"].append(f"first station read every {intervals[reached[1]]} min")
        if source_traces:
            best = min(source_traces, key=lambda t: (trace_start(t), -t.get("confidence", 0.0)))
            segment = best.get("suspect_segment")
            answer["stretch"] = segment_contains(segment, discharge["river_id"], discharge["km"])
            ranked = [c.get("source_id") for c in best.get("candidates", [])]
            if registered:
                answer["top1"] = ranked[:1] == [registered]
                answer["top3"] = registered in ranked[:3]
            else:
                answer["unregistered_first"] = bool(ranked) and ranked[0] is None and answer["stretch"]
            lines.append(f"{discharge['id']} {discharge['kind']} {discharge['river_id']} {discharge['km']} "
                         f"({registered or 'unregistered'}; {', '.join(sorted(tags))}): first alarm at "
                         f"{best['point_id']} {trace_start(best):%m-%d %H:%M}, stretch "
                         f"{segment['river_id'] if segment else '-'} {segment['from_km'] if segment else ''}–"
                         f"{segment['to_km'] if segment else ''} {'✓' if answer['stretch'] else '✗'}, "
                         f"candidates {ranked[:3]}, confidence {best.get('confidence', 0):.2f}")
        else:
            lines.append(f"{discharge['id']} {discharge['kind']} {discharge['river_id']} {discharge['km']} "
                         f"({registered or 'unregistered'}; {', '.join(sorted(tags))}): not traced "
                         f"({len(traces)} events, verdicts {sorted({t['verdict'] for t in traces})})")
        sources.append(answer)
    for verdict in verdicts:
        if not verdict["matched"]:
            trace = verdict["trace"]
            segment = trace.get("suspect_segment") or {}
            lines.append(f"false alarm ({verdict['false_alarm_cause']}): {trace['point_id']} "
                         f"{trace_start(trace):%m-%d %H:%M} → {segment.get('river_id')} {segment.get('from_km')}–"
                         f"{segment.get('to_km')}, confidence {verdict['confidence']:.2f}, rose {trace.get('rose')}, "
                         f"fell {trace.get('fell')}")

    by_index = {v["index"]: v for v in verdicts}
    incidents = [lead in by_index and by_index[lead]["matched"] for lead in incident_leads(analysis)]
    return {"name": name, "seed": truth.get("seed"), "varied": varied, "sources": sources, "verdicts": verdicts, "scored": scored,
            "incidents": incidents, "rain_or_fault": rain_or_fault, "rain_or_fault_traced": attributed,
            "profiles": profiles, "lines": lines}


def incident_leads(analysis):
    """The index into traces[] of each incident's lead: analysis.json's incidents, else grouped as Incident.group did."""
    traces = analysis["traces"]
    key = {(t["point_id"], when(t["event_start"])): i for i, t in enumerate(traces)}
    if isinstance(analysis.get("incidents"), list):
        return [key.get((incident["lead_point_id"], when(incident["lead_event_start"])), -1)
                for incident in analysis["incidents"]]
    ends = {(e["point_id"], when(e["start"])): when(e["end"]) for e in analysis.get("events", [])}
    incidents = []  # [segment, end, lead]
    sources = sorted((i for i, t in enumerate(traces) if t["verdict"] == "source"),
                     key=lambda i: when(traces[i]["event_start"]))
    for i in sources:
        trace = traces[i]
        start = when(trace["event_start"])
        end = max(start, ends.get((trace["point_id"], start), start))
        for incident in incidents:
            lead = traces[incident[2]]
            if lead.get("suspect_segment") == trace.get("suspect_segment") and start - incident[1] <= INCIDENT_GAP:
                incident[1] = max(incident[1], end)
                if trace.get("confidence", 0) > lead.get("confidence", 0):
                    incident[2] = i
                break
        else:
            incidents.append([trace.get("suspect_segment"), end, i])
    return [lead for _, _, lead in incidents]


def pool(runs):
    """Counts summed over runs, per row, with Wilson intervals."""
    recall = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for run in runs:
        for answer in run["sources"]:
            for group in answer["groups"]:
                row = recall[group]
                row["sources"][1] += 1
                for measure in ["detected", "traced", "stretch"]:
                    row[measure][0] += answer[measure]
                    row[measure][1] += 1
                if answer["registered"]:
                    for measure in ["top1", "top3"]:
                        row[measure][0] += answer[measure]
                        row[measure][1] += 1
                else:
                    row["unregistered_first"][0] += answer["unregistered_first"]
                    row["unregistered_first"][1] += 1
    # "varied" and "base" repeat "all" when the runs are of one kind only.
    both = any(r["varied"] for r in runs) and not all(r["varied"] for r in runs)
    order = ["all"] + (["varied"] if both else []) + ["varied:" + t for t in TAGS] + (["base"] if both else []) \
        + ["kind:" + k for k in KINDS]
    recall_rows = {}
    for group in order + sorted(set(recall) - set(order) - {"varied", "base"}):
        if group in recall:
            recall_rows[group] = {"sources": recall[group]["sources"][1],
                                  **{m: wilson(*recall[group][m]) for m in RECALL}}

    sets = [("all", runs)] + ([("varied", [r for r in runs if r["varied"]]),
                               ("base", [r for r in runs if not r["varied"]])] if both else [])
    precision_rows = {}
    for name, selected in sets:
        verdicts = [v for r in selected for v in r["verdicts"]]
        matched = sum(v["matched"] for v in verdicts)
        causes = defaultdict(int)
        for v in verdicts:
            if not v["matched"]:
                causes[v["false_alarm_cause"]] += 1
        incidents = [real for r in selected for real in r["incidents"]]
        precision_rows[name] = {
            "runs": len(selected),
            "source_verdicts": len(verdicts),
            "precision": wilson(matched, len(verdicts)),
            "false_alarms": len(verdicts) - matched,
            "false_alarms_by_cause": dict(sorted(causes.items())),
            "false_alarms_per_run": (len(verdicts) - matched) / len(selected),
            "incidents": len(incidents),
            "incident_precision": wilson(sum(incidents), len(incidents)),
            "rain_or_fault_traced": wilson(sum(r["rain_or_fault_traced"] for r in selected),
                                           sum(r["rain_or_fault"] for r in selected)),
        }

    reliability = {}
    for name, selected in sets:
        bins = []
        for low in range(0, 100, 10):
            inside = [v for r in selected for v in r["scored"]
                      if low <= 100 * v["confidence"] < low + 10 or (low == 90 and 100 * v["confidence"] >= 100)]
            bins.append({"bin": f"{low}–{low + 10}", "verdicts": len(inside),
                         "uncertain": sum(v["uncertain"] for v in inside),
                         "mean_confidence": sum(v["confidence"] for v in inside) / len(inside) if inside else None,
                         "correct": wilson(sum(v["correct"] for v in inside), len(inside))})
        reliability[name] = bins

    profile_rows = {}
    for kind in KINDS:
        found = [profile for r in runs for k, profile in r["profiles"] if k == kind]
        if found:
            profile_rows[kind] = {p: wilson(found.count(p), len(found)) for p in PROFILES}

    return {"runs": [{"name": r["name"], "seed": r["seed"], "varied": r["varied"], "sources": len(r["sources"]),
                      "source_verdicts": len(r["verdicts"]),
                      "false_alarms": sum(not v["matched"] for v in r["verdicts"])} for r in runs],
            "recall": recall_rows, "precision": precision_rows, "reliability": reliability, "profiles": profile_rows}


def cell(figure):
    if figure is None:
        return "–"
    return f"{100 * figure['share']:.0f} % ({figure['k']}/{figure['n']}) [{100 * figure['low']:.0f}–{100 * figure['high']:.0f}]"


def markdown(figures, title):
    runs = figures["runs"]
    varied = [str(r["seed"]) for r in runs if r["varied"]]
    base = [str(r["seed"]) for r in runs if not r["varied"]]
    out = [f"## {title}", "",
           f"{len(runs)} runs: --vary seeds {', '.join(varied) or 'none'}; base seeds {', '.join(base) or 'none'}. "
           "Shares with 95 % Wilson intervals; counts pooled over runs.", "",
           "### Recall (per source: its first alarm)", "",
           "| row | sources | detected | traced | stretch contains the source | top-1 (registered) | top-3 (registered) "
           "| unregistered ranked first (unregistered) |",
           "|---|---|---|---|---|---|---|---|"]
    for group, row in figures["recall"].items():
        out.append(f"| {group} | {row['sources']} | " + " | ".join(cell(row[m]) for m in RECALL) + " |")
    out += ["", "### Precision (per source verdict)", "",
            "| runs | source verdicts | match a real source | false alarms (overflow / rain / fault / nothing) "
            "| false alarms per run | incidents whose lead is real | rain or fault events traced to a source |",
            "|---|---|---|---|---|---|---|"]
    for name, row in figures["precision"].items():
        causes = row["false_alarms_by_cause"]
        out.append(f"| {name} ({row['runs']}) | {row['source_verdicts']} | {cell(row['precision'])} | "
                   f"{row['false_alarms']} ({causes.get('overflow', 0)} / {causes.get('rain', 0)} / "
                   f"{causes.get('fault', 0)} / {causes.get('nothing', 0)}) | {row['false_alarms_per_run']:.1f} | "
                   f"{cell(row['incident_precision'])} | {cell(row['rain_or_fault_traced'])} |")
    for name, bins in figures["reliability"].items():
        out += ["", f"### Reliability of the confidence ({name})", "",
                "| confidence | traced verdicts (of them uncertain) | mean confidence | correct |", "|---|---|---|---|"]
        for b in bins:
            mean = f"{100 * b['mean_confidence']:.0f} %" if b["mean_confidence"] is not None else "–"
            out.append(f"| {b['bin']} | {b['verdicts']} ({b.get('uncertain', 0)}) | {mean} | {cell(b['correct'])} |")
    if figures.get("profiles"):
        out += ["", "### The best-fitting profile against the kind of source (traced verdicts matching one source)", "",
                "| kind | " + " | ".join(PROFILES) + " |", "|---|" + "---|" * len(PROFILES)]
        for kind, row in figures["profiles"].items():
            out.append(f"| {kind} | " + " | ".join(cell(row[p]) for p in PROFILES) + " |")
    out += ["", "### Runs", "", "| run | seed | --vary | sources | source verdicts | false alarms |",
            "|---|---|---|---|---|---|"]
    for r in runs:
        out.append(f"| {r['name']} | {r['seed']} | {'yes' if r['varied'] else 'no'} | {r['sources']} | "
                   f"{r['source_verdicts']} | {r['false_alarms']} |")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
