#!/usr/bin/env python3
"""The peers of `make bench` (scripts/bench.sh), and its helpers.

Each peer job is one subcommand, run as a whole process under /usr/bin/time -v by scripts/bench.sh, and prints one
JSON line with what it did ({"rows": N, ...}) so the harness can check that it worked on the same data as
rivertrace:

    parse-csv FILE            Python csv.reader over the long dump, float() of each value
    parse-polars FILE         polars.read_csv of the long dump (types inferred: the values parsed as floats)
    load-duckdb FILE DB       DuckDB: CREATE TABLE reading AS SELECT * FROM read_csv(FILE) into a new database file
    load-sqlite FILE DB       Python csv + sqlite3: executemany into one table, one transaction
    load-pandas FILE DB       pandas.read_csv + DataFrame.to_sql into a new SQLite file
    mk SERIES_CSV             pyMannKendall original_test (includes Sen's slope) on every column

Helpers (standard library only):

    export-series STORE OUT   the daily means of every point × parameter series of a rivertrace store, one column
                              a series, one row a day (blank where a day has no reading), for the trend job
    split-hour FILE BEFORE HOUR HH
                              splits a simulator day file (any encoding with ASCII digits, CRLF or LF) into the
                              rows before hour HH and the rows of hour HH, each with the header
    sum-stats FILE            Σ S and the number of results in `rivertrace stats --each-column --json` (JSON Lines)
    table RUNS META MD TSV    medians of the runs (scripts/bench.sh writes RUNS) → the Markdown table (printed and
                              written to MD) and the medians as TSV
"""

import csv
import json
import math
import os
import sqlite3
import statistics
import sys


def emit(**fields):
    print(json.dumps(fields))


# ---------------------------------------------------------------------------------------------------------- peers

def parse_csv(path):
    rows = 0
    total = 0.0
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        column = header.index("value")
        for row in reader:
            total += float(row[column])
            rows += 1
    emit(rows=rows, checksum=round(total, 3))


def parse_polars(path):
    import polars as pl
    frame = pl.read_csv(path)
    emit(rows=frame.height, checksum=round(float(frame["value"].sum()), 3))


def load_duckdb(path, database):
    import duckdb
    connection = duckdb.connect(database)
    connection.execute("CREATE TABLE reading AS SELECT * FROM read_csv(?)", [path])
    rows = connection.execute("SELECT count(*) FROM reading").fetchone()[0]
    connection.close()
    emit(rows=rows)


def load_sqlite(path, database):
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE reading (point_id TEXT, time TEXT, parameter TEXT, value REAL, unit TEXT, flag TEXT)")
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        with connection:  # one transaction
            connection.executemany("INSERT INTO reading VALUES (?, ?, ?, ?, ?, ?)",
                                   ((p, t, k, float(v), u, f) for p, t, k, v, u, f in reader))
    rows = connection.execute("SELECT count(*) FROM reading").fetchone()[0]
    connection.close()
    emit(rows=rows)


def load_pandas(path, database):
    import pandas as pd
    frame = pd.read_csv(path)
    connection = sqlite3.connect(database)
    frame.to_sql("reading", connection, index=False)
    connection.commit()
    rows = connection.execute("SELECT count(*) FROM reading").fetchone()[0]
    connection.close()
    emit(rows=rows)


def mann_kendall(path):
    import numpy as np
    import pymannkendall as mk
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    total_s = 0.0
    tested = 0
    for c in range(1, len(header)):
        series = np.array([float(r[c]) if r[c] else np.nan for r in rows[1:]])
        result = mk.original_test(series)
        total_s += result.s
        tested += 1
    emit(rows=tested, sum_s=total_s)


# -------------------------------------------------------------------------------------------------------- helpers

def export_series(store, out):
    """Daily means (UTC days) of every series, through the store's `reading_view`."""
    connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    first, last = connection.execute("SELECT min(time) / 86400, max(time) / 86400 FROM reading").fetchone()
    names = [f"{p}:{k}" for p, k in connection.execute(
        "SELECT point_id, parameter FROM series ORDER BY point_id, parameter")]
    index = {name: i for i, name in enumerate(names)}
    days = last - first + 1
    table = [[""] * len(names) for _ in range(days)]
    query = """SELECT point_id, parameter, time / 86400, avg(value) FROM reading_view
               WHERE value IS NOT NULL GROUP BY point_id, parameter, time / 86400"""
    for point, parameter, day, mean in connection.execute(query):
        table[day - first][index[f"{point}:{parameter}"]] = f"{mean:.6g}"
    connection.close()
    # Series with fewer than 4 values are left out: both sides would only say "not assessed".
    keep = [i for i in range(len(names)) if sum(1 for row in table if row[i]) >= 4]
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["day"] + [names[i] for i in keep])
        for offset, row in enumerate(table):
            writer.writerow([first + offset] + [row[i] for i in keep])
    emit(series=len(keep), days=days)


def split_hour(path, before, hour, hh):
    with open(path, "rb") as handle:
        data = handle.read()
    ending = b"\r\n" if b"\r\n" in data[:4096] else b"\n"
    lines = data.split(ending)
    if lines and lines[-1] == b"":
        lines.pop()
    header, body = lines[0], lines[1:]
    marker = f" {int(hh):02d}:00".encode("ascii")
    last = [line for line in body if marker in line]
    rest = [line for line in body if marker not in line]
    if not last:
        sys.exit(f"bench_peers: no row of hour {hh} in {path}")
    for target, rows in ((before, rest), (hour, last)):
        with open(target, "wb") as handle:
            handle.write(ending.join([header] + rows) + ending)
    emit(before=len(rest), hour=len(last))


def sum_stats(path):
    text = open(path, encoding="utf-8").read()
    decoder = json.JSONDecoder()
    position, results, total_s = 0, 0, 0.0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            break
        document, position = decoder.raw_decode(text, position)
        results += 1
        s = document.get("s")
        if s is None and isinstance(document.get("result"), dict):
            s = document["result"].get("s")
        total_s += float(s or 0)
    emit(rows=results, sum_s=total_s)


# ---------------------------------------------------------------------------------------------------------- table

def table(runs_path, meta_path, md_path, tsv_path):
    meta = json.load(open(meta_path, encoding="utf-8"))
    runs = list(csv.DictReader(open(runs_path, encoding="utf-8"), delimiter="\t"))
    medians = {}
    for job, tool in dict.fromkeys((r["job"], r["tool"]) for r in runs):
        mine = [r for r in runs if r["job"] == job and r["tool"] == tool]
        medians[(job, tool)] = {
            "runs": len(mine),
            "wall": statistics.median(float(r["wall_s"]) for r in mine),
            "cpu": statistics.median(float(r["user_s"]) + float(r["sys_s"]) for r in mine),
            "rss": statistics.median(float(r["max_rss_kib"]) for r in mine) / 1024,
            "rows": int(mine[0]["rows"]),
            "bytes": int(mine[0]["bytes"] or 0),
        }

    def seconds(value):
        return "< 0.01 s" if value < 0.005 else f"{value:.2f} s"

    def cell(key, per_second=None):
        m = medians[key]
        text = f"{seconds(m['wall'])} (CPU {seconds(m['cpu'])})"
        if per_second and m["wall"] > 0:
            text += f", {per_second / m['wall']:,.0f} readings/s"
        return text

    def ratio(a, b):
        return f"{medians[a]['wall'] / medians[b]['wall']:.2f}×" if medians[b]["wall"] > 0 else "— (below the timer's 0.01 s)"

    def memory(a, b=None):
        text = f"{medians[a]['rss']:.1f} MiB"
        return text + (f" / {medians[b]['rss']:.1f} MiB" if b else "")

    long_readings = meta["long_readings"]
    long_label = f"{long_readings:,} readings, {meta['long_bytes'] / 1e6:.1f} MB"
    peer_names = {
        "polars": f"polars {meta['versions'].get('polars', '?')} `read_csv`",
        "pycsv": "Python `csv.reader` + `float()`",
        "wc": "limit: `wc -l`",
        "cat": "limit: `cat > /dev/null`",
        "duckdb": f"DuckDB {meta['versions'].get('duckdb', '?')} `CREATE TABLE AS SELECT * FROM read_csv` into a file",
        "pysqlite": "Python `csv` + `sqlite3.executemany`, one transaction",
        "pandas": f"pandas {meta['versions'].get('pandas', '?')} `read_csv` + `to_sql` (SQLite)",
        "pymk": f"pyMannKendall {meta['versions'].get('pymannkendall', '?')} `original_test` (Sen's slope included)",
    }
    lines = ["| job | rivertrace (median) | peer | peer (median) | ratio (rivertrace/peer) | peak memory (rivertrace / peer) |",
             "|---|---|---|---|---:|---|"]
    tsv = [["job", "tool", "runs", "wall_s", "cpu_s", "max_rss_mib", "rows", "readings_per_s", "rivertrace_wall_over_this"]]

    def add(job_label, rt, peer, per_second=None):
        if rt not in medians:
            return
        if peer is None:
            lines.append(f"| {job_label} | {cell(rt, per_second)} | — | — | — | {memory(rt)} |")
        elif peer in medians:
            lines.append(f"| {job_label} | {cell(rt, per_second)} | {peer_names[peer[1]]} | {cell(peer)} | "
                         f"{ratio(rt, peer)} | {memory(rt, peer)} |")

    parse_label = (f"parse a long UTF-8 dump ({long_label}): `rivertrace check --parse-only` (no store: every row read, "
                   f"converted and validated, nothing judged against a store or written)")
    for peer in ("polars", "pycsv", "wc", "cat"):
        add(parse_label, ("parse", "rivertrace"), ("parse", peer), long_readings)
    load_label = f"load the long dump into a store: `rivertrace ingest` into a fresh store"
    for peer in ("duckdb", "pysqlite", "pandas"):
        add(load_label, ("load", "rivertrace"), ("load", peer), long_readings)
    year = ("year", "rivertrace")
    if year in medians:
        y = medians[year]
        label = (f"ingest {meta['year_days']} simulated days of the district as the simulator writes it "
                 f"(`simulate --scenario stress`: {meta['year_files']} wide GB18030 day files, re-sent copies included; "
                 f"{y['rows']:,} readings read, {y['bytes'] / 1e6:.1f} MB)")
        if ("load", "rivertrace") in medians:
            l = medians[("load", "rivertrace")]
            per_year, per_long = y["wall"] / y["rows"], l["wall"] / l["rows"]
            lines.append(f"| {label} | {cell(year, y['rows'])} | rivertrace on the long file, per reading | "
                         f"{1e6 * per_long:.2f} µs/reading | {per_year / per_long:.2f}× per reading | {memory(year)} |")
        else:
            add(label, year, None, y["rows"])
    add(f"`analyze --period {meta['year']} --json` on that store", ("analyze", "rivertrace"), None)
    add(f"`report --period {meta['year']}` on that store", ("report", "rivertrace"), None)
    trend = ("trends", "rivertrace")
    if trend in medians:
        add(f"MK + Sen on every daily series of the {meta['store_days']}-day store ({medians[trend]['rows']} series × "
            f"{meta['series_days']:,} days): `rivertrace stats --each-column --json`, one process", trend, ("trends", "pymk"))
    add(f"hourly `run`, one hour of new data ({meta['hour_readings']:,} readings) on a {meta['store_days']}-day store "
        f"({meta['store_readings']:,} readings)", ("hourly", "rivertrace"), None)
    sizes = meta.get("store_bytes", {})
    if "rivertrace" in sizes:
        rt_size = sizes["rivertrace"] / long_readings
        for peer, name in (("duckdb", "DuckDB file"), ("pysqlite", "Python sqlite3 file"), ("pandas", "pandas → SQLite file")):
            if peer in sizes:
                lines.append(f"| store size after loading the long dump | {rt_size:.1f} bytes/reading | {name} | "
                             f"{sizes[peer] / long_readings:.1f} bytes/reading | {rt_size / (sizes[peer] / long_readings):.2f}× | |")
    if meta.get("store_readings"):
        lines.append(f"| store size, the {meta['store_days']}-day stress store ({meta['store_readings']:,} readings) | "
                     f"{meta['store_bytes_long_store'] / meta['store_readings']:.1f} bytes/reading | — | — | — | |")
    for (job, tool), m in medians.items():
        per_second = m["rows"] / m["wall"] if m["rows"] and m["wall"] > 0 and job in ("parse", "load", "year") else 0
        reference = medians.get((job, "rivertrace"))
        tsv.append([job, tool, m["runs"], f"{m['wall']:.3f}", f"{m['cpu']:.3f}", f"{m['rss']:.1f}", m["rows"],
                    f"{per_second:.0f}", f"{reference['wall'] / m['wall']:.3f}" if reference and m["wall"] > 0 else ""])
    for tool, size in sizes.items():
        tsv.append(["store_bytes_per_reading", tool, "", "", "", "", long_readings, "", f"{size / long_readings:.2f}"])

    header = [
        f"`make bench` (BENCH_SIZE={meta['size']}), medians of {meta['runs']} run(s), whole processes under `/usr/bin/time -v`",
        "",
        f"- date: {meta['date']}; source: {meta['source']}",
        f"- machine: {meta['nproc']} cores, {meta['cpu']}, {meta['ram_gib']:.1f} GiB RAM, load average at start {meta['load']}",
        f"- {meta['swift']}; SQLite {meta['sqlite']}; peers: "
        + (", ".join(f"{k} {v}" for k, v in meta["versions"].items()) or "not installed"),
        "",
    ]
    text = "\n".join(header + lines) + "\n"
    print(text)
    with open(md_path, "w", encoding="utf-8") as handle:
        handle.write(text)
    with open(tsv_path, "w", encoding="utf-8") as handle:
        for key in ("date", "source", "size", "runs", "nproc", "cpu", "ram_gib", "load", "swift", "sqlite"):
            value = f"{meta[key]:.1f}" if isinstance(meta[key], float) else meta[key]
            handle.write(f"# {key}\t{value}\n")
        handle.write(f"# peers\t{json.dumps(meta['versions'])}\n")
        for row in tsv:
            handle.write("\t".join(str(v) for v in row) + "\n")


COMMANDS = {
    "parse-csv": parse_csv, "parse-polars": parse_polars, "load-duckdb": load_duckdb, "load-sqlite": load_sqlite,
    "load-pandas": load_pandas, "mk": mann_kendall, "export-series": export_series, "split-hour": split_hour,
    "sum-stats": sum_stats, "table": table,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
