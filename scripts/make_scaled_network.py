#!/usr/bin/env python3
"""Write a network folder with N independent copies of a sample district (for the scale benchmark).

    scripts/make_scaled_network.py N OUT [--from data/network] [--lon-step 0.15] [--lat-step 0.12]

Copy 1 is the sample as it is; copy k >= 2 has every id and name suffixed so that they stay unique and readable:
river `LDH` -> `LDH-c2`, point `LDH-01` -> `LDH-01-c2`, source `SRC-01` -> `SRC-01-c2`, measure `LDH-M1` ->
`LDH-M1-c2`; names `李大河` -> `李大河(2)`, `Lida River` -> `Lida River (2)` (points', rivers', sources' and river
chiefs' names, Chinese and English). References (`flows_into`, `river_id`) point into the same copy, so the copies
are separate river trees: no copy flows into another. Coordinates (`lat`, `lon`, wherever a file has them) are
shifted so that the copies sit side by side on a grid (ceil(sqrt(N)) columns, each copy `--lon-step` degrees east
of the one before, each row `--lat-step` degrees south): the map of 10 copies is a city's 50 km by 40 km, not 10
districts drawn on top of each other.

Every CSV of the sample folder is copied this way (rivers.csv, points.csv and the optional sources.csv,
river_chiefs.csv and river_plans.csv), keeping its columns and their order; extra columns are copied unchanged.
Output: UTF-8, LF, comma-delimited, like the sample. Benchmarks only: the product never runs this.
"""
import argparse
import csv
import math
import os
import sys

# The columns that refer to another file's ids (or, in rivers.csv, to its own), the names, and each file's own id.
REFERENCE_COLUMNS = {"flows_into", "river_id"}
NAME_COLUMNS = {"name": "zh", "name_en": "en"}
OWN_ID = {"rivers.csv": "river_id", "points.csv": "point_id", "sources.csv": "source_id", "river_plans.csv": "measure_id"}


def suffix_id(value, copy):
    return value if copy == 1 or not value.strip() else f"{value}-c{copy}"


def suffix_name(value, copy, language):
    if copy == 1 or not value.strip():
        return value
    return f"{value}({copy})" if language == "zh" else f"{value} ({copy})"


def shift(value, delta):
    text = value.strip()
    if not text or delta == 0:
        return value
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return f"{float(text) + delta:.{max(decimals, 5)}f}"


def scale_file(path, out_path, copies, lon_step, lat_step):
    name = os.path.basename(path)
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise SystemExit(f"make_scaled_network: {path} is empty")
    header, body = rows[0], rows[1:]
    own = OWN_ID.get(name)
    columns = int(math.ceil(math.sqrt(copies)))
    with open(out_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for copy in range(1, copies + 1):
            index = copy - 1
            lon_delta = (index % columns) * lon_step
            lat_delta = -(index // columns) * lat_step
            for row in body:
                out = list(row)
                for i, column in enumerate(header[: len(row)]):
                    key = column.strip()
                    if key == own or key in REFERENCE_COLUMNS:
                        out[i] = suffix_id(row[i], copy)
                    elif key in NAME_COLUMNS:
                        out[i] = suffix_name(row[i], copy, NAME_COLUMNS[key])
                    elif key == "lat":
                        out[i] = shift(row[i], lat_delta)
                    elif key == "lon":
                        out[i] = shift(row[i], lon_delta)
                writer.writerow(out)
    return len(body) * copies


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("copies", type=int, help="number of copies of the sample district (>= 1)")
    parser.add_argument("out", help="the network folder to write (created; its CSV files are replaced)")
    parser.add_argument("--from", dest="source", default="data/network", help="the sample folder (default data/network)")
    parser.add_argument("--lon-step", type=float, default=0.15, help="degrees east between copies (default 0.15)")
    parser.add_argument("--lat-step", type=float, default=0.12, help="degrees south between rows of copies (default 0.12)")
    args = parser.parse_args()
    if args.copies < 1:
        parser.error("copies must be at least 1")
    files = sorted(f for f in os.listdir(args.source) if f.endswith(".csv"))
    for required in ("rivers.csv", "points.csv"):
        if required not in files:
            raise SystemExit(f"make_scaled_network: no {required} in {args.source}")
    os.makedirs(args.out, exist_ok=True)
    counts = {}
    for name in files:
        counts[name] = scale_file(os.path.join(args.source, name), os.path.join(args.out, name), args.copies,
                                  args.lon_step, args.lat_step)
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8") as handle:
        handle.write(f"# {args.copies} copies of {args.source}\n\nGenerated by `scripts/make_scaled_network.py "
                     f"{args.copies} {args.out}` for the scale benchmark (docs/performance.md, \"Scale\"): copy 1 is "
                     "the sample, copy k has its ids suffixed `-ck` and its names `(k)`, and its coordinates shifted "
                     "so that the copies sit side by side. Invented, like the sample.\n")
    print(", ".join(f"{name}: {count} rows" for name, count in counts.items()))


if __name__ == "__main__":
    sys.exit(main())
