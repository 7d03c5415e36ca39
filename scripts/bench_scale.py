#!/usr/bin/env python3
"""Helpers of `make bench-scale` (scripts/bench-scale.sh); standard library only.

    count STORE (--period YYYY | --from YYYY-MM-DD --to YYYY-MM-DD)
        prints "LAST_YEAR SPAN": the readings of a rivertrace store in that period (local time, Asia/Shanghai,
        like the product's periods) and in the whole store, through the store's `reading_view`
    table RUNS META INFO MD
        the medians of the runs (scripts/bench-scale.sh writes RUNS, META and INFO) → the Markdown table and the
        growth lines, printed and written to MD
"""

import csv
import datetime
import sqlite3
import statistics
import sys

LOCAL = datetime.timezone(datetime.timedelta(hours=8))  # Asia/Shanghai: no daylight saving since 1991


def local_midnight(day):
    return int(datetime.datetime.combine(day, datetime.time(), LOCAL).timestamp())


def count(store, args):
    if args[0] == "--period":
        year = int(args[1])
        start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    elif args[0] == "--from" and args[2] == "--to":
        start = datetime.date.fromisoformat(args[1])
        end = datetime.date.fromisoformat(args[3]) + datetime.timedelta(days=1)
    else:
        raise SystemExit(f"bench_scale count: expected --period YYYY or --from A --to B, got {args}")
    connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    period = connection.execute("SELECT count(*) FROM reading_view WHERE time >= ? AND time < ?",
                                (local_midnight(start), local_midnight(end))).fetchone()[0]
    span = connection.execute("SELECT count(*) FROM reading_view").fetchone()[0]
    connection.close()
    print(period, span)


JOBS = [
    ("ingest", "`ingest` of the dumps into a fresh store"),
    ("analyze-year", "`analyze --json` of the last year"),
    ("report-year", "`report` of the last year"),
    ("analyze-span", "`analyze --json` of the whole span (`--from/--to`)"),
]


def table(runs_path, meta_path, info_path, md_path):
    runs = list(csv.DictReader(open(runs_path, encoding="utf-8"), delimiter="\t"))
    meta = {row["case"]: row for row in csv.DictReader(open(meta_path, encoding="utf-8"), delimiter="\t")}
    info = dict(line.rstrip("\n").split("\t", 1) for line in open(info_path, encoding="utf-8") if "\t" in line)
    medians = {}
    for key in dict.fromkeys((r["case"], r["job"]) for r in runs):
        mine = [r for r in runs if (r["case"], r["job"]) == key]
        sizes = [int(r["store_bytes"]) for r in mine if r["store_bytes"]]
        medians[key] = {
            "runs": len(mine),
            "wall": statistics.median(float(r["wall_s"]) for r in mine),
            "cpu": statistics.median(float(r["user_s"]) + float(r["sys_s"]) for r in mine),
            "rss": statistics.median(float(r["max_rss_kib"]) for r in mine) / 1024,
            "readings": int(mine[0]["readings"]),
            "store_bytes": statistics.median(sizes) if sizes else None,
        }

    unit = info.get("unit", "").split(" (")[0]  # "7 days" in a smoke run, empty for calendar years

    def case_label(c):
        m = meta[c]
        years = int(m["years"])
        span = f"{years} × {unit}" if unit else f"{years} year{'s' if years > 1 else ''}"
        return f"{c}: {m['points']} points, {span}"

    lines = [
        "| case | points | span | day files | dumps | readings read | readings stored | store | bytes/reading |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for c, m in meta.items():
        ingest = medians.get((c, "ingest"))
        store = ingest["store_bytes"] if ingest else None
        accepted = int(m["accepted"])
        lines.append(
            f"| {c} | {m['points']} | {m['first']} … {m['last']} ({m['days']} days) | {int(m['files']):,} | "
            f"{int(m['dump_bytes']) / 1e6:,.1f} MB | {int(m['readings_read']):,} | {accepted:,} | "
            + (f"{store / 1e6:,.1f} MB | {store / accepted:.1f} |" if store else "— | — |"))
    lines += [
        "",
        "| case | job | readings | wall | CPU | peak RSS | readings/s | µs/reading (wall) | runs |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c, m in meta.items():
        for job, label in JOBS:
            r = medians.get((c, job))
            if r is None:
                continue
            if job.endswith("-year"):
                label = label.replace("the last year", f"the last year (`{m['last_year']}`)")
            per_s = r["readings"] / r["wall"] if r["wall"] > 0 else 0
            lines.append(
                f"| {case_label(c)} | {label} | {r['readings']:,} | {r['wall']:.2f} s | {r['cpu']:.2f} s | "
                f"{r['rss']:.1f} MiB | {per_s:,.0f} | {1e6 * r['wall'] / r['readings']:.2f} | {r['runs']} |"
                if r["readings"] else
                f"| {case_label(c)} | {label} | 0 | {r['wall']:.2f} s | {r['cpu']:.2f} s | {r['rss']:.1f} MiB | — | — | {r['runs']} |")

    def growth(job, a, b):
        x, y = medians.get((a, job)), medians.get((b, job))
        if not x or not y or not x["readings"] or not y["readings"]:
            return None
        readings = y["readings"] / x["readings"]
        per_wall = (y["wall"] / y["readings"]) / (x["wall"] / x["readings"]) if x["wall"] > 0 else float("nan")
        per_cpu = (y["cpu"] / y["readings"]) / (x["cpu"] / x["readings"]) if x["cpu"] > 0 else float("nan")
        return (f"{a} → {b}: readings ×{readings:.2f}, CPU per reading ×{per_cpu:.2f} (wall ×{per_wall:.2f}), "
                f"peak memory ×{y['rss'] / x['rss']:.2f} ({x['rss']:.0f} → {y['rss']:.0f} MiB)")

    loads = "; each run's load average at its start is in the runs file" if runs and "load_at_start" in runs[0] else ""
    lines += ["", "Growth, ratios of the medians (linear in readings is ×1.00 per reading, flat memory ×1.00; CPU time "
              f"first, as it moves less than the wall time when the machine is shared{loads}):", ""]
    for job, label in JOBS:
        steps = [growth(job, a, b) for a, b in (("y1", "y3"), ("y3", "y10"), ("y1", "y10"), ("y1", "p330"))]
        steps = [s for s in steps if s]
        if steps:
            lines.append(f"- **{job}** ({label}): " + "; ".join(steps))

    header = [
        f"`make bench-scale`: medians of {info.get('runs', '?')} run(s), whole processes under `/usr/bin/time -v`",
        "",
        f"- date: {info.get('date', '?')}; source: {info.get('source', '?')}",
        f"- machine: {info.get('machine', '?')}",
        f"- {info.get('software', '?')}",
        "- dumps: `rivertrace simulate --scenario stress` from 2016-01-01 (wide GB18030 day files, re-sent copies included)"
        + ("; p330 with 10× the scenario's events and faults a month" if info.get("city_rates") == "1" and "p330" in meta
           else ""),
    ]
    if info.get("unit"):
        header.append(f"- one \"year\" is {info['unit']}")
    text = "\n".join(header + [""] + lines) + "\n"
    print(text)
    with open(md_path, "w", encoding="utf-8") as handle:
        handle.write(text)


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "count":
        count(args[0], args[1:])
    elif command == "table":
        table(*args)
    else:
        raise SystemExit(f"bench_scale: unknown command {command}")


if __name__ == "__main__":
    main()
