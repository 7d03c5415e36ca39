#!/usr/bin/env python3
"""Trace-back on night-time discharges (`simulate --night-discharges`, docs/simulator.md): the figures of
docs/performance.md, "Night-time discharges", for runs made by `NIGHT_DISCHARGES=N scripts/score-trace.sh` (KEEP=1
when the recurrence is to be scored on a re-analysis).

- By release: decompose_misses.py's classes (right, wrong, …, undetected) for the night releases (truth ids
  `N<episode>-<night>`) and, apart, for the scenario's other sources of the same runs.
- By episode: episodes with a night whose first alarm's stretch contains the outfall (and by their second night),
  and the product's incidents per episode (incidents whose lead matches one of its nights).
- Recurrence (`incidents[].daily_recurrence`, in documents that have it): incidents flagged, at night or by day, with
  or without a night episode among their members' sources, and of the flagged episodes' releases, those that began
  (local time) inside the stated discharge hours `discharge_from_hour`–`discharge_to_hour`.

Usage: score_nights.py --points data/network/points.csv [--analysis NAME] RUN_DIR...
       (each RUN_DIR with truth.json and NAME, default analysis.json)
"""
import argparse
import json
import os
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from decompose_misses import CLASSES, classify  # noqa: E402
from sim_truth import TraceMatcher, automatic_points, trace_start, when  # noqa: E402

BEIJING_HOURS = 8  # the simulator's district keeps Asia/Shanghai time


def episode_of(discharge_id):
    return discharge_id.split("-")[0] if discharge_id.startswith("N") else None


def within(hour, start, end):
    """Whether clock `hour` lies in [start, end], past midnight when end < start."""
    return start <= hour <= end if start <= end else hour >= start or hour <= end


def score(run_dirs, points, analysis_name):
    classes = {"night releases": Counter(), "other sources": Counter()}
    episodes = Counter()
    incidents_per_episode = []
    recurrence = Counter()
    for run in run_dirs:
        with open(os.path.join(run, "truth.json")) as t, open(os.path.join(run, analysis_name)) as a:
            truth, analysis = json.load(t), json.load(a)
        matcher = TraceMatcher(truth, automatic_points(truth, points), when(analysis["period"]["start"]),
                               when(analysis["period"]["end"]))
        sources = {s["id"]: s for s in matcher.sources}
        answers = dict(zip(sources, classify(truth, analysis, points)))
        nights = defaultdict(list)
        for discharge_id, answer in answers.items():
            episode = episode_of(discharge_id)
            classes["night releases" if episode else "other sources"][answer] += 1
            if episode:
                nights[episode].append((sources[discharge_id]["start"], answer))
        for releases in nights.values():
            releases.sort()
            episodes["episodes"] += 1
            episodes["a night traced to the right stretch"] += any(a == "right" for _, a in releases)
            episodes["… on its first or second night"] += any(a == "right" for _, a in releases[:2])

        traces = {(t["point_id"], t["event_start"]): t for t in analysis["traces"]}
        led = Counter()
        flagged_episodes, incident_episodes = set(), set()
        for incident in analysis.get("incidents", []):
            lead = traces.get((incident["lead_point_id"], incident["lead_event_start"]))
            lead_sources = set(matcher.sources_of(lead["point_id"], trace_start(lead))) if lead else set()
            for episode in {episode_of(s) for s in lead_sources} - {None}:
                led[episode] += 1
            members = [traces[(m["point_id"], m["event_start"])] for m in incident["members"]
                       if (m["point_id"], m["event_start"]) in traces]
            member_nights = {s for t in members for s in matcher.sources_of(t["point_id"], trace_start(t))
                             if episode_of(s)}
            incident_episodes |= {episode_of(s) for s in member_nights}
            recurrence["incidents"] += 1
            flag = incident.get("daily_recurrence")
            if not flag:
                continue
            recurrence["flagged recurring"] += 1
            recurrence["… at night" if flag["at_night"] else "… by day"] += 1
            recurrence["… holding a night episode's releases" if member_nights else "… holding none"] += 1
            flagged_episodes |= {episode_of(s) for s in member_nights}
            for night in member_nights:
                hour = (when(sources[night]["start"]).hour + BEIJING_HOURS) % 24
                recurrence["night releases in flagged incidents"] += 1
                recurrence["… beginning inside the stated discharge hours"] += within(
                    hour, flag["discharge_from_hour"], flag["discharge_to_hour"])
        incidents_per_episode += [led[episode] for episode in nights]
        if "incidents" in analysis:
            recurrence["episodes in an incident"] += len(incident_episodes)
            recurrence["episodes in a flagged incident"] += len(flagged_episodes)
    return classes, episodes, incidents_per_episode, recurrence


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", required=True)
    parser.add_argument("--analysis", default="analysis.json")
    parser.add_argument("runs", nargs="+")
    args = parser.parse_args()
    classes, episodes, per_episode, recurrence = score(args.runs, args.points, args.analysis)
    print(f"{len(args.runs)} runs")
    for name, counts in classes.items():
        total = sum(counts.values())
        if total:
            print(f"{name} ({total}): " + ", ".join(f"{c} {100 * counts[c] / total:.1f} %" for c in CLASSES))
    for key, value in episodes.items():
        print(f"{key}: {value}")
    if per_episode:
        print(f"incidents led by an episode's night, per episode: {sum(per_episode) / len(per_episode):.2f} on average")
    for key, value in recurrence.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
