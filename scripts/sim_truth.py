"""Reading a simulation's truth.json for scoring: times, stations, impact windows, matching traces to discharges.

Shared by score_events.py, score_traces.py and score_trace_verdicts.py (import it from beside them).

An injected discharge reaches every point downstream; at an automatic station it is expected to show in its impact
window there. A truth.json of `simulate --vary` gives the window (`window_start`, `window_end`: the true travel,
spreading and flow); otherwise it is the simulator's plug flow with Gaussian spreading,
[start + travel - 4 sigma, end + travel + 4 sigma], sigma = 0.3 + 0.25 sqrt(travel hours) (docs/simulator.md).
"""
import csv
import math
from collections import defaultdict
from datetime import datetime, timedelta

SLACK = timedelta(hours=2)
RAIN_TAIL = timedelta(hours=30)


def when(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def automatic_points(truth, points_path):
    """The points that write readings: `auto` in points.csv, or every point in the stress scenario."""
    with open(points_path, encoding="utf-8-sig") as handle:
        kinds = {row["point_id"]: row["kind"] for row in csv.DictReader(handle)}
    return {p for p, k in kinds.items() if k == "auto" or truth["scenario"] == "stress"}


def impact_window(discharge, impact):
    """When the discharge's plume is at the impact's point (no slack)."""
    if impact.get("window_start") and impact.get("window_end"):
        return when(impact["window_start"]), when(impact["window_end"])
    travel = impact["travel_hours"]
    sigma = 0.3 + 0.25 * math.sqrt(travel)
    return when(discharge["start"]) + timedelta(hours=travel - 4 * sigma), \
        when(discharge["end"]) + timedelta(hours=travel + 4 * sigma)


def impact_windows(discharge, automatic, slack=SLACK):
    """(point, window start - slack, window end + slack) at every automatic point the discharge reaches."""
    for impact in discharge["impacts"]:
        if impact["point_id"] not in automatic:
            continue
        start, end = impact_window(discharge, impact)
        yield impact["point_id"], start - slack, end + slack


def trace_start(trace):
    """Where a trace's upstream windows are counted from: `traced_from` when later than the event's start."""
    return when(trace.get("traced_from") or trace["event_start"])


def is_source(discharge):
    """A pollution source: any injected discharge but a stormwater overflow (those are rain-driven)."""
    return discharge["kind"] != "stormwater_overflow"


def segment_contains(segment, river_id, km):
    return segment is not None and segment["river_id"] == river_id and \
        segment["from_km"] - 1e-9 <= km <= segment["to_km"] + 1e-9


class TraceMatcher:
    """Which discharges a trace (or event) at a point and time belongs to, and what else was going on there.

    A trace matches a source when its start lies in the source's impact window at its point (2 h slack). A trace
    matching no source is a rain or fault trace when it starts in a stormwater overflow's window, a rain runoff
    window (rain start to end + 30 h) or an injected fault at the point (2 h slack).
    """

    def __init__(self, truth, automatic, period_start=None, period_end=None):
        self.sources = [d for d in truth["discharges"] if is_source(d) and
                        (period_start is None or period_start <= when(d["start"]) < period_end)]
        self.source_windows = defaultdict(list)
        for discharge in self.sources:
            for point, w_start, w_end in impact_windows(discharge, automatic):
                self.source_windows[point].append((w_start, w_end, discharge["id"]))
        self.overflow_windows = defaultdict(list)
        for discharge in truth["discharges"]:
            if not is_source(discharge):
                for point, w_start, w_end in impact_windows(discharge, automatic):
                    self.overflow_windows[point].append((w_start, w_end))
        self.rain = [(when(r["start"]), when(r["end"]) + RAIN_TAIL) for r in truth["rain"]]
        self.fault_windows = defaultdict(list)
        for fault in truth["faults"]:
            self.fault_windows[fault["point_id"]].append((when(fault["start"]) - SLACK, when(fault["end"]) + SLACK))

    def sources_of(self, point, start):
        """Ids of the sources whose window at `point` holds `start`."""
        return [d for s, e, d in self.source_windows[point] if s <= start <= e]

    def claimed_by_others(self, traces):
        """Per source id, the indices of the `source` traces in its windows that are another source's alarm: a trace
        inside the windows of several overlapping sources whose stretch contains one of them is that one's alarm only
        (the others' first alarm is looked for among their remaining traces)."""
        located = {d["id"]: d for d in self.sources}
        claimed = defaultdict(set)
        for index, trace in enumerate(traces):
            if trace["verdict"] != "source":
                continue
            matched = self.sources_of(trace["point_id"], trace_start(trace))
            if len(matched) < 2:
                continue
            owners = {d for d in matched
                      if segment_contains(trace.get("suspect_segment"), located[d]["river_id"], located[d]["km"])}
            for discharge_id in (matched if owners else []):
                if discharge_id not in owners:
                    claimed[discharge_id].add(index)
        return claimed

    def in_overflow(self, point, start):
        return any(s <= start <= e for s, e in self.overflow_windows[point])

    def in_rain(self, start):
        return any(s <= start <= e for s, e in self.rain)

    def on_fault(self, point, start):
        return any(s <= start <= e for s, e in self.fault_windows[point])

    def rain_or_fault(self, point, start):
        return self.in_overflow(point, start) or self.in_rain(start) or self.on_fault(point, start)
