#!/usr/bin/env python3
"""Generate a deterministic long-format readings dump for ingest benchmarks.

    python3 scripts/make_long_dump.py [N] [-o PATH] [--seed S] [--points data/network/points.csv]

Writes UTF-8 CSV with the header `point_id,time,parameter,value,unit,flag` and exactly N readings
(default 5,000,000): hourly local times from 2016-01-01 00:00:00, time-major order as stations export
(for each hour, each point of data/network/points.csv, each of 9 parameters), values with 3 decimals in
plausible ranges, flag N. The same N and seed always give the same bytes. Output is streamed one hour
at a time, so memory stays small whatever N is.
"""

import argparse
import csv
import datetime
import math
import os
import random
import sys

# code, unit, low, high (plausible range, values are clamped into it), typical level, spread between
# points (relative), seasonal amplitude (absolute, + = higher in summer), daily swing (absolute), noise (sd)
PARAMETERS = [
    ("temp", "℃", 1.0, 34.0, 18.0, 0.05, 10.0, 1.5, 0.3),
    ("ph", "", 6.5, 9.0, 7.6, 0.03, -0.1, 0.15, 0.05),
    ("do", "mg/L", 2.0, 14.0, 7.5, 0.15, -2.0, 1.2, 0.3),
    ("codmn", "mg/L", 1.0, 12.0, 4.5, 0.25, 0.6, 0.3, 0.3),
    ("nh3n", "mg/L", 0.02, 3.0, 0.6, 0.4, -0.15, 0.1, 0.08),
    ("tp", "mg/L", 0.01, 0.6, 0.15, 0.35, 0.03, 0.02, 0.015),
    ("tn", "mg/L", 0.3, 6.0, 2.2, 0.3, -0.3, 0.2, 0.15),
    ("cond", "µS/cm", 150.0, 1200.0, 520.0, 0.2, -40.0, 20.0, 15.0),
    ("turb", "NTU", 0.5, 150.0, 18.0, 0.4, 6.0, 3.0, 4.0),
]

START = datetime.datetime(2016, 1, 1, 0, 0, 0)


def read_point_ids(path):
    with open(path, encoding="utf-8", newline="") as handle:
        ids = [row["point_id"].strip() for row in csv.DictReader(handle)]
    if not ids:
        sys.exit(f"{path}: no point ids")
    return ids


def generate(out, count, point_ids, seed):
    rng = random.Random(seed)
    # A fixed level per point and parameter, so stations differ but stay stable over time.
    levels = [[spec[4] * (1 + rng.uniform(-spec[5], spec[5])) for spec in PARAMETERS] for _ in point_ids]
    per_hour = len(point_ids) * len(PARAMETERS)
    written = 0
    hour = 0
    out.write("point_id,time,parameter,value,unit,flag\n")
    while written < count:
        stamp = (START + datetime.timedelta(hours=hour)).strftime("%Y-%m-%d %H:%M:%S")
        day_of_year = hour / 24.0
        season = math.sin(2 * math.pi * (day_of_year - 105) / 365.25)  # warm in July, cold in January
        daily = math.sin(2 * math.pi * ((hour % 24) - 9) / 24.0)         # warmest mid-afternoon
        lines = []
        take = min(per_hour, count - written)
        for p, point in enumerate(point_ids):
            if len(lines) >= take:
                break
            point_levels = levels[p]
            for k, (code, unit, low, high, _, _, seasonal, swing, noise) in enumerate(PARAMETERS):
                if len(lines) >= take:
                    break
                value = point_levels[k] + seasonal * season + swing * daily + rng.gauss(0.0, noise)
                value = min(high, max(low, value))
                lines.append(f"{point},{stamp},{code},{value:.3f},{unit},N\n")
        out.write("".join(lines))
        written += len(lines)
        hour += 1
    return written, hour


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=5_000_000, help="readings to write (default 5000000)")
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    parser.add_argument("--seed", type=int, default=20161, help="random seed (default 20161)")
    parser.add_argument("--points", default=os.path.join(here, "..", "data", "network", "points.csv"),
                        help="points.csv whose point ids are used")
    args = parser.parse_args()
    if args.count < 0:
        parser.error("count must be >= 0")
    point_ids = read_point_ids(args.points)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="", buffering=1 << 20) as handle:
            written, hours = generate(handle, args.count, point_ids, args.seed)
    else:
        sys.stdout.reconfigure(encoding="utf-8", newline="")
        written, hours = generate(sys.stdout, args.count, point_ids, args.seed)
    print(f"make_long_dump: {written} readings, {len(point_ids)} points x {len(PARAMETERS)} parameters, "
          f"{hours} hours from {START:%Y-%m-%d %H:%M:%S}", file=sys.stderr)


if __name__ == "__main__":
    main()
