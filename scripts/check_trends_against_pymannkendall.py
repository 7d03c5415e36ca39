#!/usr/bin/env python3
"""Cross-check `rivertrace stats` against pyMannKendall 1.4.3 on random and real series.

    pip install pymannkendall==1.4.3
    python3 scripts/check_trends_against_pymannkendall.py [--series 200] [--seed 1]

Writes each series to a CSV, runs `rivertrace stats FILE --column x --test T --json`, runs the same test in
pyMannKendall, and compares every field: relative difference at most 1e-9 (absolute 1e-12 for p below 1e-12,
where both implementations run out of digits). Real data: ../shared/reference/public-data (pyMannKendall's
own test files). Exit 1 on any disagreement.
"""
import argparse, csv, json, math, os, subprocess, sys, tempfile
import numpy as np
import pymannkendall as mk

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = {
    "original": lambda x, lag: mk.original_test(x),
    "hamed-rao": lambda x, lag: mk.hamed_rao_modification_test(x, lag=lag),
    "yue-wang": lambda x, lag: mk.yue_wang_modification_test(x, lag=lag),
    "pre-whitening": lambda x, lag: mk.pre_whitening_modification_test(x),
    "trend-free-pre-whitening": lambda x, lag: mk.trend_free_pre_whitening_modification_test(x),
    "seasonal": lambda x, lag: mk.seasonal_test(x, period=12),
}
FIELDS = [("p", "p"), ("z", "z"), ("Tau", "Tau"), ("s", "s"), ("var_s", "var_s"), ("slope", "slope"), ("intercept", "intercept")]


def binary():
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run(["swift", "build", "--product", "rivertrace"], cwd=ROOT, check=True, capture_output=True)
    return os.path.join(path, "rivertrace")


def close(a, b):
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return a is None
    if abs(b) < 1e-12:
        return abs(a - b) <= 1e-12
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def run(rt, values, test, lag, workdir):
    path = os.path.join(workdir, "series.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x"])
        for v in values:
            w.writerow(["" if (v is None or (isinstance(v, float) and math.isnan(v))) else repr(float(v))])
    args = [rt, "stats", path, "--column", "x", "--test", test, "--json"]
    if lag is not None:
        args += ["--lag", str(lag)]
    out = subprocess.run(args, capture_output=True, text=True)
    return json.loads(out.stdout)


def compare(rt, name, values, test, lag, workdir, worst):
    ours = run(rt, values, test, lag, workdir)
    ref = TESTS[test](np.array([np.nan if v is None else v for v in values], dtype=float), lag)
    problems = []
    if ours.get("trend") != ref.trend or ours.get("h") != bool(ref.h):
        problems.append(f"trend/h {ours.get('trend')}/{ours.get('h')} vs {ref.trend}/{ref.h}")
    for key, attr in FIELDS:
        a, b = ours.get(key), float(getattr(ref, attr))
        if a is None or not close(float(a), b):
            problems.append(f"{key} {a} vs {b}")
        elif b != 0:
            worst[0] = max(worst[0], abs(float(a) - b) / abs(b) if abs(b) >= 1e-12 else 0)
    if problems:
        print(f"DISAGREE {name} {test} lag={lag}: " + "; ".join(problems))
    return not problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rt = binary()
    rng = np.random.default_rng(args.seed)
    worst = [0.0]
    checked = failed = 0
    with tempfile.TemporaryDirectory() as workdir:
        cases = []
        for i in range(args.series):
            n = int(rng.integers(8, 400))
            trend = rng.normal(0, 0.02)
            x = np.cumsum(rng.normal(0, 0.3, n)) * rng.uniform(0, 1) + trend * np.arange(n) + rng.normal(0, 1, n)
            if rng.uniform() < 0.4:
                x = np.round(x, 1)  # ties
            if rng.uniform() < 0.4:
                x[rng.uniform(size=n) < 0.05] = np.nan  # gaps
            cases.append((f"random#{i} n={n}", list(x)))
        for file, columns in [("water-quality-ds-discharge.csv", ["DS", "Discharge"]),
                              ("monthly-rainfall-bangladesh.csv", ["Bogra", "Dhaka", "Mymensingh", "Rangpur", "Srimangal", "Sylhet"])]:
            with open(os.path.join(ROOT, "..", "shared", "reference", "public-data", file)) as f:
                rows = list(csv.DictReader(f))
            for column in columns:
                cases.append((f"{file}:{column}", [float(r[column]) if r[column].strip() else None for r in rows]))
        for name, values in cases:
            present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
            if len(present) < 4 or len(set(present)) < 2:
                continue
            for test in TESTS:
                for lag in ([None, 1, 3] if test in ("hamed-rao", "yue-wang") else [None]):
                    checked += 1
                    if not compare(rt, name, values, test, lag, workdir, worst):
                        failed += 1
    print(f"{checked} comparisons over {len(cases)} series: {failed} disagreements; "
          f"largest relative difference {worst[0]:.2e}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
