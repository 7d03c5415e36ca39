#!/usr/bin/env python3
"""Scores `analyze --json` trends[] against a simulation's truth.json trends[].

- found: injected trends reported as significant (BH-adjusted p < 0.05) with the right sign;
- false trends: significant trends on assessed point x parameter series without an injected trend, as a share
  of those series (the issue's target: at most 5 %).

Usage: score_trends.py --truth DIR/truth.json --analysis analysis.json
"""
import argparse
import json
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--truth", required=True)
    parser.add_argument("--analysis", required=True)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    truth = json.load(open(args.truth))
    analysis = json.load(open(args.analysis))
    injected = {(t["point_id"], t["parameter"]): t["percent_per_year"] for t in truth["trends"]}
    reported = {(t["point_id"], t["parameter"]): t for t in analysis["trends"]}

    found, lines = 0, []
    for key, rate in sorted(injected.items()):
        trend = reported.get(key)
        want = "increasing" if rate > 0 else "decreasing"
        ok = trend is not None and trend.get("trend") == want
        found += ok
        lines.append(f"injected {key[0]} {key[1]} {rate:+} %/yr: "
                     + (f"{trend.get('trend')} {trend.get('percent_per_year', 0):+.1f} %/yr, p_adj {trend.get('p_adjusted')}"
                        if trend and trend["assessed"] else f"not assessed ({trend and trend.get('reason')})")
                     + (" ✓" if ok else " ✗"))
    others = [t for k, t in reported.items() if k not in injected and t["assessed"]]
    false = [t for t in others if t.get("trend") in ("increasing", "decreasing")]
    for t in false:
        lines.append(f"false: {t['point_id']} {t['parameter']} {t['trend']} {t.get('percent_per_year', 0):+.1f} %/yr, "
                     f"p_adj {t['p_adjusted']:.3g}")
    figures = {
        "injected": len(injected),
        "found_with_right_sign": found,
        "assessed_without_injected_trend": len(others),
        "false_trends": len(false),
        "false_trend_rate": len(false) / max(1, len(others)),
        "not_assessed": sum(1 for t in analysis["trends"] if not t["assessed"]),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {round(value, 4) if isinstance(value, float) else value}")
        for line in lines:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
