#!/usr/bin/env python3
"""Fits the calibration of the trace-back confidence (Trace/Confidence.swift, `ConfidenceModel.calibration`): the
share of traces whose stretch held the source, against the logistic model's probability.

The logistic model (fit_confidence.py) ranks traces well, but a model fitted on some runs states more or less than
verdicts on other runs earn (the first one, fitted on eight tuning runs: traces given 30–50 % were right 20–38 % of the
time on held-out runs). A monotone map from the model's probability to the share right, fitted on many runs, keeps
the ranking and makes the number a frequency again.

For every trace with a `confidence_basis` (labels as fit_confidence.py: the event matches an injected source and the
stretch contains it), the model's probability σ(β·x), clamped to 0.02–0.98; the traces in bins of 0.05 of it (bins of
fewer than 20 traces left out); the bins' shares right made non-decreasing by pooling adjacent bins (pool adjacent
violators, weighted by traces). Each pooled bin gives a knot (its mean probability, its share right); the map is
linear between knots, from (0, 0) to (1, 1). With --check, the reliability of the calibrated confidence on other runs.

Usage:
  calibrate_confidence.py --coefficients '[-4.231, 0.663, …]' --points data/network/points.csv RUN_DIR... [--check RUN_DIR...]
Runs to fit on: tuning runs and held-out runs already used; the held-out set that judges the map must be another.
"""
import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fit_confidence import rows  # noqa: E402

BIN_WIDTH = 0.05
LEAST_TRACES = 20


def model_probability(coefficients, features):
    z = sum(w * v for w, v in zip(coefficients, [1.0] + features))
    return min(0.98, max(0.02, 1 / (1 + math.exp(-z))))


def labelled(run_dirs, coefficients, points):
    out = []
    for run in run_dirs:
        with open(os.path.join(run, "truth.json")) as t, open(os.path.join(run, "analysis.json")) as a:
            for features, label in rows(json.load(t), json.load(a), points):
                out.append((model_probability(coefficients, features), label))
    return out


def knots(pairs):
    bins = []
    count = round(1 / BIN_WIDTH)
    for index in range(count):
        low, high = index * BIN_WIDTH, (index + 1) * BIN_WIDTH
        inside = [(p, y) for p, y in pairs if low <= p and (p < high or index == count - 1)]
        if len(inside) >= LEAST_TRACES:
            bins.append([sum(y for _, y in inside), len(inside), sum(p for p, _ in inside)])
    pooled = []
    for right, traces, total in bins:
        pooled.append([right, traces, total])
        while len(pooled) > 1 and pooled[-2][0] / pooled[-2][1] >= pooled[-1][0] / pooled[-1][1]:
            right, traces, total = pooled.pop()
            pooled[-1] = [pooled[-1][0] + right, pooled[-1][1] + traces, pooled[-1][2] + total]
    return [(0.0, 0.0)] + [(total / traces, right / traces) for right, traces, total in pooled] + [(1.0, 1.0)]


def calibrated(p, points):
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if p <= x1:
            return y0 + (p - x0) / (x1 - x0) * (y1 - y0)
    return points[-1][1]


def reliability(pairs, points):
    lines = ["| confidence | traces | mean | right |", "|---|---|---|---|"]
    stated = [(min(0.98, max(0.02, calibrated(p, points))), y) for p, y in pairs]
    for low in range(0, 100, 10):
        inside = [(q, y) for q, y in stated if low <= q * 100 and (q * 100 < low + 10 or low == 90)]
        if inside:
            mean = sum(q for q, _ in inside) / len(inside)
            right = sum(y for _, y in inside) / len(inside)
            lines.append(f"| {low}–{low + 10} | {len(inside)} | {mean:.0%} | {right:.0%} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--coefficients", required=True, help="JSON array: the model's intercept, then its slopes")
    parser.add_argument("--points", required=True)
    parser.add_argument("--check", nargs="*", default=[], help="runs to show the calibrated reliability on")
    parser.add_argument("runs", nargs="+")
    args = parser.parse_args()
    coefficients = json.loads(args.coefficients)
    pairs = labelled(args.runs, coefficients, args.points)
    points = knots(pairs)
    print(f"{len(pairs)} traces from {len(args.runs)} runs; {len(points)} knots (model, right):")
    print("Swift: static let calibration: [(model: Double, right: Double)] = ["
          + ", ".join(f"({x:.3f}, {y:.3f})" for x, y in points) + "]")
    print("JSON: " + json.dumps([[round(x, 3), round(y, 3)] for x, y in points]))
    print("\nIn sample:\n" + reliability(pairs, points))
    if args.check:
        print(f"\nOn {len(args.check)} other runs:\n" + reliability(labelled(args.check, coefficients, args.points), points))
    return 0


if __name__ == "__main__":
    sys.exit(main())
