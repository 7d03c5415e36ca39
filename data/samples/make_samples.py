#!/usr/bin/env python3
"""Regenerate the small sample dumps in data/samples/ from data/network/points.csv.

Deterministic (fixed seeds, no clock): running it twice gives byte-identical files.
Python 3.8+, standard library only.  Usage:  python3 data/samples/make_samples.py

Files written (see README.md in this folder for what each one shows):
  auto_202610_GB18030.csv   wide, GB18030, CRLF, national-platform headers, hourly, 3 points x 48 h
  platform_2026-10-03.csv   wide, UTF-8 with BOM, full-width brackets, `10-03 04:00` (no year), 2 points x 6
  long_202610_flags.csv     long, UTF-8, LF, ISO 8601 + offset, unit variants, HJ 212 flags, 2 points x 24 h
  manual_202610_lab.csv     wide, UTF-8 with BOM, semicolon, CRLF, monthly lab sheet, censored values
  errors_202610.csv         long, UTF-8, LF, 15 good rows + 9 deliberately bad rows (see BAD_LINES)
"""
import csv
import datetime as dt
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
NETWORK = os.path.join(HERE, "..", "network")

# ---------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------
with open(os.path.join(NETWORK, "points.csv"), encoding="utf-8", newline="") as f:
    POINTS = {row["point_id"]: row for row in csv.DictReader(f)}
assert len(POINTS) == 33, len(POINTS)
NAME = {pid: p["name"] for pid, p in POINTS.items()}
AUTO = [pid for pid, p in POINTS.items() if p["kind"] == "auto"]
MANUAL = [pid for pid, p in POINTS.items() if p["kind"] == "manual"]

# ---------------------------------------------------------------------------
# Water quality levels: 0 = good Class III water ... 4 = sewage-affected (worse than V).
# A point's level is interpolated between these rows, so values stay consistent with its class.
# ---------------------------------------------------------------------------
PARAMS = ["do", "codmn", "nh3n", "tp", "tn", "cond", "turb", "cod", "bod5", "sd"]
LEVELS = {
    -1: [8.0, 3.0, 0.02, 0.02, 0.8, 350, 5, 10, 1.5, 95],
    0: [7.4, 4.2, 0.35, 0.11, 1.3, 420, 8, 15, 2.4, 75],
    1: [6.2, 5.6, 0.75, 0.18, 2.0, 560, 18, 20, 3.2, 55],
    2: [4.8, 7.4, 1.15, 0.26, 2.8, 700, 28, 26, 4.2, 40],
    3: [3.2, 9.5, 1.70, 0.36, 3.8, 820, 35, 32, 5.5, 28],
    4: [1.8, 12.0, 2.60, 0.45, 5.0, 880, 30, 42, 8.0, 22],
}
POINT_LEVEL = {
    "LDH-01": 0.3, "LDH-02": 0.5, "LDH-03": 0.8, "LDH-04": 1.0, "LDH-05": 1.3, "LDH-06": 1.2,
    "LDH-07": 1.4, "LDH-08": 1.0, "XLH-01": 0.6, "XLH-02": 0.8,
    "LHT-01": 0.7, "LHT-02": 1.0, "LHT-03": 1.5, "LHT-04": 1.3, "LQH-01": 1.8, "LQH-02": 1.6,
    "PLH-01": -0.6, "PLH-02": 0.9, "PLH-03": 1.6, "PLH-04": 1.4,
    "LLH-01": 2.5, "LLH-02": 3.6, "LLH-03": 3.0, "LLH-04": 2.4,
    "XYH-01": 0.5, "XYH-02": 1.2, "XYH-03": 1.6, "XYH-04": 1.3, "XYB-01": 2.2, "XYB-02": 2.0,
    "CLH-01": -0.8, "CLH-02": 0.6, "CLH-03": 0.7,
}
assert set(POINT_LEVEL) == set(POINTS)


def base(pid):
    """Mean values of PARAMS at a point, interpolated between LEVELS."""
    lv = POINT_LEVEL[pid]
    lo = math.floor(lv)
    t = lv - lo
    a, b = LEVELS[lo], LEVELS[min(lo + 1, 4)]
    return {k: a[i] + t * (b[i] - a[i]) for i, k in enumerate(PARAMS)}


def diurnal(hour, peak=15):
    """+1 at the afternoon peak (photosynthesis, warming), -1 twelve hours later."""
    return math.cos(2 * math.pi * (hour - peak) / 24.0)


def hourly_values(pid, when, rng, water_temp=21.0, event=0.0):
    """One hour of automatic-station readings (canonical units) at a point.

    `event` in 0..1 scales a sewage-like pulse: NH3-N, TP, TN, CODMn and conductivity up, DO down.
    """
    b = base(pid)
    d = diurnal(when.hour)
    n = lambda s: rng.gauss(0.0, s)  # noqa: E731
    v = {
        "temp": water_temp + 0.6 * d + n(0.1),
        "do": b["do"] + 0.7 * d + n(0.12) - 1.6 * event,
        "ph": 7.45 + 0.18 * d - 0.05 * (POINT_LEVEL[pid] - 1) + n(0.03) - 0.1 * event,
        "cond": b["cond"] * (1 + n(0.015)) + 90 * event,
        "turb": max(1.0, b["turb"] * (1 + n(0.12))),
        "codmn": b["codmn"] * (1 + n(0.04)) + 2.2 * event,
        "nh3n": max(0.03, b["nh3n"] * (1 + n(0.06)) - 0.05 * d + 1.1 * event),
        "tp": max(0.01, b["tp"] * (1 + n(0.06)) + 0.13 * event),
        "tn": b["tn"] * (1 + n(0.04)) + 1.6 * event,
    }
    return v


# GB 3838-2002 Table 1, rivers (used only for the platform's 水质类别 column).
CLASS_LIMITS = {  # I..V
    "do": [7.5, 6, 5, 3, 2],
    "codmn": [2, 4, 6, 10, 15],
    "nh3n": [0.15, 0.5, 1.0, 1.5, 2.0],
    "tp": [0.02, 0.1, 0.2, 0.3, 0.4],
}
ROMAN = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"]  # as the national platform writes them (U+2160..)


def water_class(v):
    worst = 0
    for k, lim in CLASS_LIMITS.items():
        x = v[k]
        c = next((i for i, l in enumerate(lim) if (x >= l if k == "do" else x <= l)), 5)
        worst = max(worst, c)
    return ROMAN[worst]


def write(name, rows, encoding="utf-8", newline="\n", delimiter=",", bom=False):
    """rows: list of lists of str (already formatted), or str for a raw line."""
    lines = []
    for r in rows:
        if isinstance(r, str):
            lines.append(r)
        else:
            for cell in r:
                assert delimiter not in cell and '"' not in cell and "\n" not in cell, cell
            lines.append(delimiter.join(r))
    text = newline.join(lines) + newline
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    print(f"wrote {name}: {len(lines) - 1} data rows, {len(data)} bytes")


def f1(x): return f"{x:.1f}"
def f2(x): return f"{x:.2f}"
def f3(x): return f"{x:.3f}"


# ---------------------------------------------------------------------------
# a) hourly automatic-station export, wide, GB18030, CRLF
# ---------------------------------------------------------------------------
def make_auto():
    rng = random.Random(2026100101)
    header = ["断面名称", "监测时间", "水温(℃)", "pH(无量纲)", "溶解氧(mg/L)", "电导率(μS/cm)",
              "浊度(NTU)", "高锰酸盐指数(mg/L)", "氨氮(mg/L)", "总磷(mg/L)", "总氮(mg/L)", "站点情况"]
    # LDH-04 above the 盘龙河 confluence (km 5.4), PLH-04 the 盘龙河 mouth, LDH-05 below it.
    pids = ["LDH-04", "PLH-04", "LDH-05"]
    start = dt.datetime(2026, 10, 1, 0, 0)
    # A modest sewage-like pulse from 盘龙泵站 (SRC-14, PLH km 5.0): at PLH-04 10-01 21:00..10-02 02:00,
    # at LDH-05 one hour later and diluted (x0.45).  LDH-04 is upstream and does not see it.
    pulse = [0.3, 0.7, 1.0, 1.0, 0.6, 0.3]
    pulse_start = dt.datetime(2026, 10, 1, 21, 0)

    def event(pid, when):
        if pid == "LDH-04":
            return 0.0
        lag, scale = (0, 1.0) if pid == "PLH-04" else (1, 0.45)
        i = int((when - pulse_start).total_seconds() // 3600) - lag
        return scale * pulse[i] if 0 <= i < len(pulse) else 0.0

    # (point, time) -> {column index: marker}, and maintenance hours
    missing = {
        ("LDH-04", dt.datetime(2026, 10, 1, 9)): {9: "--"},
        ("LDH-04", dt.datetime(2026, 10, 2, 17)): {6: "*"},
        ("PLH-04", dt.datetime(2026, 10, 2, 14)): {7: "*"},
        ("PLH-04", dt.datetime(2026, 10, 1, 6)): {10: "--"},
    }
    maintenance = {("LDH-05", dt.datetime(2026, 10, 2, 10)), ("LDH-05", dt.datetime(2026, 10, 2, 11))}
    rows = [header]
    for pid in pids:
        for h in range(48):
            when = start + dt.timedelta(hours=h)
            temp = 21.2 - 0.3 * (h / 24.0)  # slow autumn cooling
            v = hourly_values(pid, when, rng, water_temp=temp, event=event(pid, when))
            row = [NAME[pid], when.strftime("%Y-%m-%d %H:%M:%S"), f1(v["temp"]), f2(v["ph"]), f2(v["do"]),
                   f1(v["cond"]), f1(v["turb"]), f1(v["codmn"]), f3(v["nh3n"]), f3(v["tp"]), f2(v["tn"]), "正常"]
            for col, marker in missing.get((pid, when), {}).items():
                row[col] = marker
            if (pid, when) in maintenance:
                for col in (7, 8, 9, 10):  # wet-chemistry analysers offline, multi-parameter probe still running
                    row[col] = "--"
                row[11] = "维护"
            rows.append(row)
    write("auto_202610_GB18030.csv", rows, encoding="gb18030", newline="\r\n")


# ---------------------------------------------------------------------------
# b) national public platform copy, wide, UTF-8 BOM, full-width brackets, no year in 监测时间
# ---------------------------------------------------------------------------
def make_platform():
    rng = random.Random(2026100302)
    header = ["省份", "流域", "断面名称", "监测时间", "水质类别", "水温（℃）", "pH（无量纲）", "溶解氧（mg/L）",
              "电导率（μS/cm）", "浊度（NTU）", "高锰酸盐指数（mg/L）", "氨氮（mg/L）", "总磷（mg/L）",
              "总氮（mg/L）", "叶绿素α（mg/L）", "藻密度（cells/L）", "站点情况"]
    rows = [header]
    for pid in ["LDH-08", "CLH-03"]:
        for h in range(0, 24, 4):
            when = dt.datetime(2026, 10, 3, h, 0)
            v = hourly_values(pid, when, rng, water_temp=20.8)
            chla = 0.008 + 0.004 * (diurnal(h) + 1) + rng.gauss(0, 0.0008)
            algae = "--" if pid == "CLH-03" else str(int(round(2.1e6 * (1 + 0.2 * diurnal(h)), -4)))
            row = ["江苏省", "长江流域", NAME[pid], when.strftime("%m-%d %H:%M"), water_class(v), f1(v["temp"]),
                   f2(v["ph"]), f2(v["do"]), f1(v["cond"]), f1(v["turb"]), f1(v["codmn"]), f3(v["nh3n"]),
                   f3(v["tp"]), f2(v["tn"]), f3(chla), algae, "正常"]
            if pid == "CLH-03" and h == 8:
                row[14] = "*"
            if pid == "LDH-08" and h == 12:
                row[12] = "--"
            rows.append(row)
    write("platform_2026-10-03.csv", rows, bom=True)


# ---------------------------------------------------------------------------
# c) long layout with units and HJ 212 data flags
# ---------------------------------------------------------------------------
def make_long():
    rng = random.Random(2026100503)
    order = ["do", "nh3n", "tp", "codmn", "cond", "ph", "temp", "turb"]
    rows = [["point_id", "time", "parameter", "value", "unit", "flag"]]
    for pid in ["XYH-04", "LLH-04"]:
        for h in range(24):
            when = dt.datetime(2026, 10, 5, h, 0)
            v = hourly_values(pid, when, rng, water_temp=20.4)
            flags = {k: "N" for k in order}
            if pid == "XYH-04":
                if h == 6:  # nh3n analyser calibration: reads the 2.000 mg/L standard
                    v["nh3n"], flags["nh3n"] = 2.0, "C"
                if h in (10, 11):  # routine maintenance of the wet-chemistry analysers
                    for k in ("nh3n", "tp", "codmn"):
                        flags[k] = "M"
            else:
                if h in (3, 4, 5):  # DO probe fault: reads (nearly) zero
                    v["do"], flags["do"] = [0.00, 0.02, 0.01][h - 3], "D"
                # a stormwater flush from 玲珑景观河雨水排口 (SRC-16) after a shower:
                # turbidity saturates the sensor (0-1000 NTU) at 15:00 -> T
                flush = {13: 45.0, 14: 160.0, 15: 1000.0, 16: 240.0, 17: 90.0, 18: 50.0}
                if h in flush:
                    v["turb"] = flush[h]
                    v["tp"] += {13: 0.02, 14: 0.08, 15: 0.15, 16: 0.09, 17: 0.04, 18: 0.02}[h]
                if h == 15:
                    flags["turb"] = "T"
            for k in order:
                x = v[k]
                if k == "tp":
                    val, unit = (str(int(round(x * 1000))), "µg/L") if pid == "XYH-04" else (f3(x), "mg/L")
                elif k == "cond":
                    val, unit = (f1(x), "µS/cm") if pid == "XYH-04" else (f3(x / 1000.0), "mS/cm")
                elif k == "ph":
                    val, unit = f2(x), ""
                elif k == "temp":
                    val, unit = f1(x), "℃"
                elif k == "turb":
                    val, unit = f1(x), "NTU"
                elif k == "nh3n":
                    val, unit = f3(x), "mg/L"
                else:
                    val, unit = f2(x), "mg/L"
                rows.append([pid, when.strftime("%Y-%m-%dT%H:%M:%S+08:00"), k, val, unit, flags[k]])
    write("long_202610_flags.csv", rows)


# ---------------------------------------------------------------------------
# d) monthly manual lab sheet: semicolon, BOM, CRLF, censored values
# ---------------------------------------------------------------------------
def make_manual():
    rng = random.Random(2026100804)
    header = ["点位编号", "采样时间", "水温(℃)", "pH", "溶解氧(mg/L)", "高锰酸盐指数(mg/L)", "化学需氧量(mg/L)",
              "五日生化需氧量(mg/L)", "氨氮(mg/L)", "总磷(mg/L)", "总氮(mg/L)", "透明度(cm)"]
    censored = {  # point -> {column index: reported text}
        "PLH-01": {7: "<2", 8: "<0.025", 9: "0.01L"},
        "CLH-01": {7: "<2", 8: "未检出", 9: "ND"},
        "LHT-01": {7: "<2"},
    }
    blanks = {"LDH-06": (11,)}  # transparency not measured (bridge works)
    rows = [header]
    day1 = ["LDH-03", "LDH-06", "XLH-01", "LHT-01", "LHT-02", "LHT-03", "LQH-01", "LQH-02",
            "PLH-01", "PLH-02", "PLH-03"]
    assert set(day1) <= set(MANUAL)
    t = {1: dt.datetime(2026, 10, 8, 8, 40), 2: dt.datetime(2026, 10, 9, 8, 50)}
    for pid in MANUAL:
        day = 1 if pid in day1 else 2
        when = t[day]
        t[day] = when + dt.timedelta(minutes=25 + rng.randrange(0, 4) * 5)
        b = base(pid)
        j = lambda s: 1 + rng.gauss(0, s)  # noqa: E731
        codmn = b["codmn"] * j(0.05)
        row = [
            pid,
            f"{when.year}/{when.month}/{when.day} {when.hour}:{when.minute:02d}",
            f1(19.6 + 0.15 * (when.hour - 8) - 0.3 * (day - 1) + rng.gauss(0, 0.15)),
            f2(7.5 - 0.06 * (POINT_LEVEL[pid] - 1) + rng.gauss(0, 0.06)),
            f1(b["do"] * j(0.04)),
            f1(codmn),
            str(int(round(b["cod"] * j(0.06)))),
            f1(b["bod5"] * j(0.08)),
            f3(b["nh3n"] * j(0.06)),
            f2(b["tp"] * j(0.06)),
            f2(b["tn"] * j(0.05)),
            str(int(round(b["sd"] * j(0.08)))),
        ]
        for col, text in censored.get(pid, {}).items():
            row[col] = text
        for col in blanks.get(pid, ()):
            row[col] = ""
        rows.append(row)
    assert len(rows) == 1 + 21
    write("manual_202610_lab.csv", rows, delimiter=";", newline="\r\n", bom=True)


# ---------------------------------------------------------------------------
# e) long layout with one deliberate error per bad line
# ---------------------------------------------------------------------------
# line number (1 = header) -> what is wrong; README.md lists the same table.
BAD_LINES = {
    5: "unknown point id XXX-99",
    8: "unknown parameter lead_total",
    10: "unknown unit 'furlongs' for nh3n",
    12: "unparseable time 2026-13-45 25:00",
    14: "unparseable value abc",
    16: "too few fields (3 of 6)",
    18: "too many fields (7 of 6)",
    20: "instrument sentinel value -999",
    22: "blank value",
}


def make_errors():
    rng = random.Random(2026100605)
    T = lambda h: f"2026-10-06T{h:02d}:00:00+08:00"  # noqa: E731
    pid = "LDH-02"
    good = []
    for h in range(5):
        v = hourly_values(pid, dt.datetime(2026, 10, 6, h), rng, water_temp=20.2)
        good += [[pid, T(h), "do", f2(v["do"]), "mg/L", "N"],
                 [pid, T(h), "nh3n", f3(v["nh3n"]), "mg/L", "N"],
                 [pid, T(h), "tp", f3(v["tp"]), "mg/L", "N"]]
    bad = {
        5: ["XXX-99", T(0), "do", "6.80", "mg/L", "N"],
        8: [pid, T(1), "lead_total", "0.004", "mg/L", "N"],
        10: [pid, T(5), "nh3n", "0.412", "furlongs", "N"],
        12: [pid, "2026-13-45 25:00", "do", "6.90", "mg/L", "N"],
        14: [pid, T(2), "cond", "abc", "µS/cm", "N"],
        16: f"{pid},{T(2)},ph",
        18: f"{pid},{T(3)},temp,20.3,℃,N,extra",
        20: [pid, T(3), "codmn", "-999", "mg/L", "N"],
        22: [pid, T(3), "turb", "", "NTU", "N"],
    }
    rows = [["point_id", "time", "parameter", "value", "unit", "flag"]]
    g = iter(good)
    for line in range(2, 2 + len(good) + len(bad)):
        rows.append(bad[line] if line in bad else next(g))
    assert next(g, None) is None and set(bad) == set(BAD_LINES)
    write("errors_202610.csv", rows)


if __name__ == "__main__":
    make_auto()
    make_platform()
    make_long()
    make_manual()
    make_errors()
