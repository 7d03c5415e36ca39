#!/usr/bin/env python3
"""Recomputes the confidence and verdict of every traced event of `analyze --json` documents under another confidence
model or threshold, without running the analysis again: for comparing models and thresholds on the same runs.

A trace with a `confidence_basis` (verdict `source` or `uncertain`) gets confidence σ(β·x) — x the facts in the order
of fit_confidence.py's FEATURES (Trace/Confidence.swift `ConfidenceModel.features`), clamped to 0.02–0.98, mapped
through the calibration's knots when given (calibrate_confidence.py), clamped and rounded to three decimals as the
product does — and the verdict `source` from the threshold up, else `uncertain`. Other
verdicts are left alone. `incidents` is dropped (the product groups source traces into incidents; with other verdicts
the grouping would change), so score_trace_verdicts.py groups the leads itself.

Usage:
  relabel_confidence.py --coefficients '[-4.231, 0.663, …]' [--calibration '[[0, 0], …, [1, 1]]'] [--threshold 0.5]
      --out DIR RUN_DIR...
writes DIR/<run>/analysis.json and DIR/<run>/truth.json (a copy) for each RUN_DIR (with analysis.json and truth.json),
ready for score_trace_verdicts.py. With fewer coefficients than features, the last features are left out (a model
fitted before they existed).
"""
import argparse
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from calibrate_confidence import calibrated, model_probability  # noqa: E402
from fit_confidence import features  # noqa: E402


def relabel(analysis, coefficients, threshold, calibration=None):
    """Sets each traced event's confidence and verdict under the model; returns the number of verdicts changed."""
    changed = 0
    for trace in analysis["traces"]:
        basis = trace.get("confidence_basis")
        if basis is None or trace["verdict"] not in ("source", "uncertain"):
            continue
        # With fewer coefficients than features, zip leaves the last features out.
        confidence = model_probability(coefficients, features(basis))
        if calibration:
            confidence = min(0.98, max(0.02, calibrated(confidence, calibration)))
        confidence = round(confidence * 1000) / 1000
        verdict = "source" if confidence >= threshold else "uncertain"
        changed += verdict != trace["verdict"]
        trace["confidence"], trace["verdict"] = confidence, verdict
    analysis.pop("incidents", None)
    return changed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--coefficients", required=True, help="JSON array: intercept, then one per feature")
    parser.add_argument("--calibration", help="JSON array of [model, right] knots (calibrate_confidence.py)")
    parser.add_argument("--threshold", type=float, default=0.5, help="confidence from which a trace is `source`")
    parser.add_argument("--out", required=True)
    parser.add_argument("runs", nargs="+")
    args = parser.parse_args()
    coefficients = json.loads(args.coefficients)
    for run in args.runs:
        name = os.path.basename(os.path.normpath(run))
        target = os.path.join(args.out, name)
        os.makedirs(target, exist_ok=True)
        with open(os.path.join(run, "analysis.json")) as handle:
            analysis = json.load(handle)
        changed = relabel(analysis, coefficients, args.threshold,
                          json.loads(args.calibration) if args.calibration else None)
        with open(os.path.join(target, "analysis.json"), "w") as handle:
            json.dump(analysis, handle)
        shutil.copy(os.path.join(run, "truth.json"), os.path.join(target, "truth.json"))
        print(f"{name}: {changed} verdicts changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
