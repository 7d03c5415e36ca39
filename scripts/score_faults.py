#!/usr/bin/env python3
"""Score rivertrace's sensor-fault findings against a simulation's ground truth.

Two ways to call it:

  score_faults.py --truth SIM/truth.json --analysis analysis.json
  score_faults.py --binary .build/release/rivertrace --scenario demo --days 92 --start 2026-07-01 --work /tmp/score-demo

The second runs `rivertrace simulate`, `ingest` and `analyze --json` (the command lines of the Makefile's demo
target) into --work, then scores. Python 3 standard library only.

Per injected fault kind it reports:
  injected      faults truth.json lists (and how many of them write nothing visible, see below)
  as fault      injected faults overlapped by any finding at that point and parameter ("classified as faults")
  right kind    injected faults overlapped by a finding of the matching kind
and, per finding kind, the findings that match no injected fault, also per station-month.

Matching: same point; the finding's parameter is one of the fault's (or the fault's is "*", or the finding's is
"*"); finding.start <= fault.end + slack and finding.end >= fault.start - slack, slack one reading interval of the
station (a shifted clock writes its last shifted row one interval after the fault's end).

Invisible faults: a fault entirely inside a dropout at its station is not written, nor one that falls wholly
between a station's readings (`simulate --station-intervals`: truth.json's station_interval_minutes). Such faults
are counted apart and left out of the rates marked "visible".
"""
import argparse
import collections
import datetime as dt
import json
import os
import subprocess
import sys

RIGHT_KIND = {
    "stuck": {"flat_line"},
    "spike": {"spike"},
    "drift": {"drift"},
    "dropout": {"dropout"},
    "clock_offset": {"clock_offset"},
    "out_of_range": {"impossible_value"},
}


def parse_time(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def run(binary, scenario, days, start, work, network, seed, faults_per_month):
    dumps = os.path.join(work, "dumps")
    store = os.path.join(work, "rivertrace.sqlite")
    if os.path.exists(dumps) and os.listdir(dumps):
        sys.exit(f"{dumps} is not empty: give a new --work folder")
    os.makedirs(work, exist_ok=True)
    simulate = [binary, "simulate", "--network", network, "--scenario", scenario, "--start", start,
                "--days", str(days), "--out", dumps]
    if seed is not None:
        simulate += ["--seed", str(seed)]
    if faults_per_month is not None:
        simulate += ["--faults-per-month", str(faults_per_month)]
    subprocess.run(simulate, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(work, "ingest.log"), "w") as log:
        code = subprocess.run([binary, "ingest", "--store", store, "--network", network, dumps], stdout=log).returncode
    if code not in (0, 3):
        sys.exit(f"ingest failed with exit code {code}; see {work}/ingest.log")
    last = (dt.date.fromisoformat(start) + dt.timedelta(days=days - 1)).isoformat()
    analysis = os.path.join(work, "analysis.json")
    with open(analysis, "w") as out:
        subprocess.run([binary, "analyze", "--store", store, "--network", network, "--from", start, "--to", last,
                        "--json"], stdout=out, check=True)
    return os.path.join(dumps, "truth.json"), analysis


def overlaps(finding, fault, slack):
    if finding["point_id"] != fault["point_id"]:
        return False
    parameters = fault["parameters"]
    if not ("*" in parameters or finding["parameter"] == "*" or finding["parameter"] in parameters):
        return False
    return (parse_time(finding["start"]) <= parse_time(fault["end"]) + slack
            and parse_time(finding["end"]) >= parse_time(fault["start"]) - slack)


def station_minutes(truth, point_id):
    """The station's minutes between readings: its own under --station-intervals, else the simulation's."""
    return (truth.get("station_interval_minutes") or {}).get(point_id, truth.get("interval_minutes", 60))


def between_readings(fault, truth):
    """Whether no reading of the station falls in what the fault touches: [start, max(start, end) + one step)."""
    minutes = station_minutes(truth, fault["point_id"])
    step = dt.timedelta(minutes=truth.get("interval_minutes", 60))
    if minutes <= step.total_seconds() / 60:
        return False
    origin = parse_time(truth["start"])
    first_touched = parse_time(fault["start"])
    after_last = max(first_touched, parse_time(fault["end"])) + step
    every = dt.timedelta(minutes=minutes)
    readings_before = -(-(first_touched - origin) // every)  # ceiling: the first reading at or after the start
    return origin + readings_before * every >= after_last


def invisible(fault, faults, truth=None):
    if truth is not None and between_readings(fault, truth):
        return f"between the station's readings (every {station_minutes(truth, fault['point_id'])} min)"
    for other in faults:
        if (other is not fault and other["kind"] == "dropout" and other["point_id"] == fault["point_id"]
                and parse_time(other["start"]) <= parse_time(fault["start"])
                and parse_time(other["end"]) >= parse_time(fault["end"])):
            return f"inside dropout {other['id']}"
    return None


def score(truth_path, analysis_path, out=sys.stdout):
    truth = json.load(open(truth_path))
    analysis = json.load(open(analysis_path))
    faults = truth["faults"]
    findings = analysis.get("faults", [])
    def station_slack(point_id):
        return dt.timedelta(minutes=station_minutes(truth, point_id))
    stations = {s["point_id"] for s in truth.get("clean_series", [])}
    months = (parse_time(truth["end"]) - parse_time(truth["start"])).total_seconds() / 86400 / (365.25 / 12)
    station_months = max(len(stations), 1) * months

    rows = collections.OrderedDict((kind, collections.Counter()) for kind in RIGHT_KIND)
    missed = []
    for fault in faults:
        row = rows.setdefault(fault["kind"], collections.Counter())
        hidden = invisible(fault, faults, truth)
        matched = [f for f in findings if overlaps(f, fault, station_slack(fault["point_id"]))]
        as_fault = bool(matched)
        right = any(f["kind"] in RIGHT_KIND.get(fault["kind"], set()) for f in matched)
        row["injected"] += 1
        row["as_fault"] += as_fault
        row["right_kind"] += right
        if hidden:
            row["invisible"] += 1
        else:
            row["visible"] += 1
            row["visible_as_fault"] += as_fault
            row["visible_right_kind"] += right
        if not right:
            missed.append((fault, hidden, sorted({f["kind"] for f in matched})))

    false = collections.Counter()
    false_examples = collections.defaultdict(list)
    for finding in findings:
        if not any(overlaps(finding, fault, station_slack(fault["point_id"])) for fault in faults):
            false[finding["kind"]] += 1
            false_examples[finding["kind"]].append(finding)

    print(f"truth: {truth_path} (scenario {truth.get('scenario')}, {months:.1f} months, {len(stations)} stations, "
          f"{station_months:.0f} station-months)", file=out)
    print(f"analysis: {analysis_path} ({len(findings)} fault findings)", file=out)
    print(f"{'kind':<14}{'injected':>9}{'invisible':>10}{'as fault':>9}{'right kind':>11}"
          f"{'visible as fault':>18}{'visible right':>14}", file=out)
    total = collections.Counter()
    for kind, row in rows.items():
        total.update(row)
        print(f"{kind:<14}{row['injected']:>9}{row['invisible']:>10}{row['as_fault']:>9}{row['right_kind']:>11}"
              f"{row['visible_as_fault']:>10}/{row['visible']:<7}{row['visible_right_kind']:>8}/{row['visible']:<5}",
              file=out)

    def rate(a, b):
        return f"{100 * a / b:.1f} %" if b else "n/a"
    print(f"{'all':<14}{total['injected']:>9}{total['invisible']:>10}{total['as_fault']:>9}{total['right_kind']:>11}"
          f"{total['visible_as_fault']:>10}/{total['visible']:<7}{total['visible_right_kind']:>8}/{total['visible']:<5}",
          file=out)
    print(f"classified as faults: {rate(total['as_fault'], total['injected'])} of all injected, "
          f"{rate(total['visible_as_fault'], total['visible'])} of visible (target >= 90 %); "
          f"right kind: {rate(total['right_kind'], total['injected'])} / {rate(total['visible_right_kind'], total['visible'])}",
          file=out)
    print("false fault findings (matching no injected fault):", file=out)
    for kind in sorted(set(false) | {"drift", "clock_offset", "rate_of_change"}):
        print(f"  {kind:<16}{false[kind]:>6}  {false[kind] / station_months:.3f} per station-month", file=out)
    print(f"  {'all':<16}{sum(false.values()):>6}  {sum(false.values()) / station_months:.3f} per station-month", file=out)
    if missed:
        print("not found with the right kind:", file=out)
        for fault, hidden, kinds in missed:
            note = f" [{hidden}]" if hidden else ""
            seen = f" (found as {', '.join(kinds)})" if kinds else ""
            print(f"  {fault['id']} {fault['kind']} {fault['point_id']} {','.join(fault['parameters'])} "
                  f"{fault['start']}..{fault['end']}{seen}{note}", file=out)
    for kind in ("drift", "clock_offset", "rate_of_change"):
        for finding in false_examples[kind][:5]:
            print(f"  false {kind}: {finding['point_id']} {finding['parameter']} {finding['start']}..{finding['end']}",
                  file=out)
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--truth", help="truth.json of a simulation")
    parser.add_argument("--analysis", help="output of rivertrace analyze --json over the simulated span")
    parser.add_argument("--binary", help="rivertrace executable: simulate, ingest and analyze first")
    parser.add_argument("--scenario", default="demo")
    parser.add_argument("--days", type=int, default=92)
    parser.add_argument("--start", default="2026-07-01")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--faults-per-month", type=float, help="more faults than the scenario's default, for tighter figures")
    parser.add_argument("--network", default="data/network")
    parser.add_argument("--work", help="folder for the dumps, the store and the analysis (with --binary)")
    args = parser.parse_args()
    if args.binary:
        if not args.work:
            parser.error("--binary needs --work")
        truth, analysis = run(args.binary, args.scenario, args.days, args.start, args.work, args.network, args.seed,
                              args.faults_per_month)
    elif args.truth and args.analysis:
        truth, analysis = args.truth, args.analysis
    else:
        parser.error("give --truth and --analysis, or --binary and --work")
    score(truth, analysis)


if __name__ == "__main__":
    main()
