#!/usr/bin/env python3
"""Probe (issue 16, offline, not the product): are the night releases the product missed visible when their episode's
nights are folded together?

For each night-discharge episode (`simulate --night-discharges`, truth ids N<episode>-<night>) with an undetected night
(scripts/decompose_misses.py's class), at the first station its plume reaches: a z-score per hourly reading of
conductivity and CODMn (the value less the median of the same clock hour over ±14 days, over 1.4826 × the MAD of those
residuals over ±14 days: an approximation of the product's baseline), the mean z over 3 readings from each night's
arrival (start + travel), averaged over both parameters, then over the episode's nights × √nights ("folded"). The
null: the same statistic at the same station with every night shifted by one random whole number of days (20–300)
and hours, 200 times. Prints per episode the missed nights' own z, the folded statistic and the null's 95th and 99th
percentiles.

Usage: probe_folded_nights.py SET_DIR [RUNS]   (SET_DIR of KEEP=1 runs with store.sqlite, truth.json, analysis.json)
"""
import json, sqlite3, sys, glob, math, random, statistics
from collections import defaultdict
sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from decompose_misses import classify
from sim_truth import TraceMatcher, automatic_points, when
import datetime as dt

PARAMS = ['cond', 'codmn']
POINTS = 'data/network/points.csv'

def series(db, point, param):
    rows = db.execute("SELECT r.time, r.value FROM reading r JOIN series s ON s.id=r.series_id WHERE s.point_id=? AND s.parameter=? AND r.value IS NOT NULL ORDER BY r.time", (point, param)).fetchall()
    return {t: v for t, v in rows}

def zscores(values):
    """z per hourly time: (value - median of the same clock hour over +-14 days) / (1.4826 MAD of those residuals over +-14 days)."""
    times = sorted(values)
    out = {}
    for t in times:
        same = [values.get(t + d * 86400) for d in range(-14, 15) if d != 0]
        same = [v for v in same if v is not None]
        if len(same) < 10: continue
        out[t] = values[t] - statistics.median(same)
    # scale: MAD of residuals in a +-14 day window, computed per day for speed
    res_by_day = defaultdict(list)
    for t, r in out.items(): res_by_day[t // 86400].append(r)
    scale = {}
    for day in res_by_day:
        pool = [r for d in range(day - 14, day + 15) for r in res_by_day.get(d, [])]
        med = statistics.median(pool)
        scale[day] = max(1e-9, 1.4826 * statistics.median([abs(r - med) for r in pool]))
    return {t: r / scale[t // 86400] for t, r in out.items()}

def episode_stat(z, starts, hours):
    """Mean over the episode's nights of the mean z over `hours` readings from each start (arrival)."""
    vals = []
    for s in starts:
        night = [z.get(s + h * 3600) for h in range(hours)]
        night = [v for v in night if v is not None]
        if night: vals.append(sum(night) / len(night))
    return vals

for run in sorted(glob.glob(sys.argv[1] + '/v*'))[:int(sys.argv[2]) if len(sys.argv) > 2 else 99]:
    truth = json.load(open(run + '/truth.json')); a = json.load(open(run + '/analysis.json'))
    m = TraceMatcher(truth, automatic_points(truth, POINTS), when(a['period']['start']), when(a['period']['end']))
    eps = defaultdict(list)
    for s, cl in zip(m.sources, classify(truth, a, POINTS)):
        if s['id'].startswith('N'): eps[s['id'].split('-')[0]].append((s, cl))
    db = sqlite3.connect(run + '/store.sqlite')
    cache = {}
    for e, rel in eps.items():
        missed = [s for s, c in rel if c == 'undetected']
        if not missed: continue
        first = min(rel[0][0]['impacts'], key=lambda i: i['travel_hours'])
        p = first['point_id']
        for param in PARAMS:
            if (p, param) not in cache: cache[(p, param)] = zscores(series(db, p, param))
        arr = lambda s: int((when(s['start']).timestamp() + first['travel_hours'] * 3600) // 3600 * 3600)
        hours = 3
        per = {param: episode_stat(cache[(p, param)], [arr(s) for s, _ in rel], hours) for param in PARAMS}
        permissed = {param: episode_stat(cache[(p, param)], [arr(s) for s in missed], hours) for param in PARAMS}
        n = len(rel)
        comb = [(x + y) / 2 for x, y in zip(per['cond'], per['codmn'])]
        folded = sum(comb) / len(comb) * math.sqrt(len(comb)) if comb else float('nan')
        # null: the same statistic at the same station, the same nights shifted by a random whole number of days and hours
        null = []
        rnd = random.Random(1)
        for _ in range(200):
            shift = rnd.randint(20, 300) * 86400 * rnd.choice([-1, 1]) + rnd.randint(0, 23) * 3600
            c = [(x + y) / 2 for x, y in zip(*[episode_stat(cache[(p, q)], [arr(s) + shift for s, _ in rel], hours) for q in PARAMS])]
            if c: null.append(sum(c) / len(c) * math.sqrt(len(c)))
        null.sort()
        rank = sum(1 for v in null if v >= folded) / max(1, len(null))
        print(f"{run[-5:]} {e} {p} dil={first['dilution']:.3f} nights={n} missed={len(missed)} "
              f"missed-night z(cond,codmn)={[round(v,1) for v in permissed['cond']]},{[round(v,1) for v in permissed['codmn']]} "
              f"folded={folded:.1f} null95={null[int(0.95*len(null))]:.1f} null99={null[int(0.99*len(null))]:.1f} p={rank:.3f}")
