#!/usr/bin/env python3
"""Fits the trace-back confidence model (Trace/Confidence.swift, `ConfidenceModel.coefficients`) on tuning runs.

For every trace with a `confidence_basis` (verdicts `source` and `uncertain`), the label is 1 when the event matches
an injected source (its start in the source's impact window at the point, as scripts/sim_truth.py matches them) and
the suspect stretch contains that source; 0 otherwise — a false alarm, or the wrong stretch. A logistic regression of
the label on the basis (ridge 1 on the slopes, by iteratively reweighted least squares) gives the coefficients,
printed as the Swift array, with the reliability table of the fitted probabilities on the same runs (in-sample: the
held-out check is scripts/score-trace.sh).

Usage: fit_confidence.py --points data/network/points.csv RUN_DIR...   (each with truth.json and analysis.json)
Only tuning runs: never a held-out one.
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sim_truth import automatic_points, impact_windows, is_source, segment_contains, trace_start  # noqa: E402

FEATURES = ["log_strength", "parameters", "affected", "clean_above", "no_data", "profile_fit", "in_pattern",
            "inseparable", "downstream_seen", "downstream_not_seen", "log_hours", "upstream_under_way", "muddied",
            "others_muddied"]


def features(basis):
    # The last three facts are absent from documents written before they were added: none of them, as Swift reads it.
    return [basis["log_strength"], basis["parameters"], basis["affected"], float(basis["clean_above"]),
            basis["no_data"], basis["profile_fit"], float(basis["in_pattern"]), float(basis["inseparable"]),
            float(basis["downstream"] == 1), float(basis["downstream"] == -1), basis["log_hours"],
            float(basis.get("upstream_under_way", False)), float(basis.get("muddied", False)),
            float(basis.get("others_muddied", 0))]


def rows(truth, analysis, points):
    automatic = automatic_points(truth, points)
    windows = {}
    for discharge in truth["discharges"]:
        if not is_source(discharge):
            continue
        for point, start, end in impact_windows(discharge, automatic):
            windows.setdefault(point, []).append((start, end, discharge))
    for trace in analysis["traces"]:
        basis = trace.get("confidence_basis")
        if basis is None:
            continue
        start = trace_start(trace)
        matched = [d for s, e, d in windows.get(trace["point_id"], []) if s <= start <= e]
        label = any(segment_contains(trace["suspect_segment"], d["river_id"], d["km"]) for d in matched)
        yield features(basis), float(label)


def fit(x, y, ridge=1.0):
    x = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x.shape[1])
    penalty = ridge * np.eye(len(w))
    penalty[0, 0] = 0
    for _ in range(100):
        p = 1 / (1 + np.exp(-x @ w))
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, x.T @ (y - p) - penalty @ w)
        w += step
        if np.abs(step).max() < 1e-10:
            break
    return w, 1 / (1 + np.exp(-x @ w))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", required=True)
    parser.add_argument("runs", nargs="+")
    args = parser.parse_args()
    x, y = [], []
    for run in args.runs:
        with open(os.path.join(run, "truth.json")) as t, open(os.path.join(run, "analysis.json")) as a:
            for features_, label in rows(json.load(t), json.load(a), args.points):
                x.append(features_)
                y.append(label)
    x, y = np.array(x), np.array(y)
    w, p = fit(x, y)
    print(f"{len(y)} traces from {len(args.runs)} runs, {y.mean():.1%} on the right stretch")
    for name, value in zip(["intercept"] + FEATURES, w):
        print(f"  {name:>20}: {value:+.3f}")
    print("Swift: static let coefficients: [Double] = [" + ", ".join(f"{v:.3f}" for v in w) + "]")
    print("| confidence | traces | mean | right stretch |\n|---|---|---|---|")
    for low in range(0, 100, 10):
        chosen = (p * 100 >= low) & ((p * 100 < low + 10) | (low == 90))
        if chosen.any():
            print(f"| {low}–{low + 10} | {chosen.sum()} | {p[chosen].mean():.0%} | {y[chosen].mean():.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
