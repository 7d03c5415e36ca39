#!/usr/bin/env python3
"""Check rivertrace's critical values of Spearman's r_s (Sources/Statistics/SpearmanTrend.swift) against the null
distribution of r_s: exact for small n, the Edgeworth series for the rest.

    python3 scripts/spearman_critical_values.py [--exact-up-to 18] [--show]

The critical value W_p at one-tailed level a is the smallest attainable r_s with P(r_s >= W_p) <= a under
independence (all n! orders equally likely). r_s = 1 - 6 D / (n^3 - n) with D = sum of d^2, an even integer, so
P(r_s >= r) = P(D <= (1 - r)(n^3 - n)/6).

* Exact, n <= --exact-up-to (default 18, as far as Ramsey 1989 takes the exact distribution): the counts of D over
  all n! permutations, by dynamic programming over the set of ranks already placed (2^n states, D truncated at the
  tail that matters); n = 18 takes about a minute and 1 GB.
* Above: the Edgeworth series of Best & Roberts (1975), Applied Statistics algorithm AS 89 (the one R's cor.test
  uses), with its continuity correction; Ramsey (1989), J. Educational Statistics 14:245-253, built his table for
  19 <= n <= 100 from the same series. The script also reports how far the series is from the exact tail where
  both are computed.

Each value of rivertrace's table must be W_p rounded to three decimals (where the series is used, within one
attainable step of it, the series' own error); exit 1 otherwise. rivertrace reads the table as it is printed:
|r_s| rounded to three decimals >= the value (compared unrounded, the exact W_p = 0.82857 at n = 6 would fail the
printed 0.829). That reproduces the exact decision for every attainable r_s unless the attainable value just below
W_p rounds to the same three decimals, which happens from n = 20 or so, where attainable values lie closer than
0.001; the script counts those cases and prints the largest probability of that one extra value.
"""
import argparse, math, os, re, sys
import numpy as np
from scipy.stats import norm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALPHAS = (0.05, 0.01)

# The copy in ../shared/reference/standards.md (the evaluation method's table as Chinese textbooks print it).
REFERENCE_COPY = {5: (0.900, None), 6: (0.829, 0.943), 7: (0.714, 0.893), 8: (0.643, 0.833), 9: (0.600, 0.783),
                  10: (0.564, 0.745), 12: (0.497, 0.703), 14: (0.457, 0.646), 16: (0.425, 0.601), 18: (0.399, 0.564),
                  20: (0.377, 0.534), 22: (0.359, 0.508), 24: (0.343, 0.485), 26: (0.329, 0.465), 28: (0.317, 0.448),
                  30: (0.305, 0.432)}


def exact_lower_counts(n, cap):
    """counts[D] = number of permutations of 1..n with sum (i - p(i))^2 == D, for D <= cap."""
    lookup = np.full(1 << n, -1, dtype=np.int64)
    states = np.array([0], dtype=np.int64)
    table = np.zeros((1, cap + 1), dtype=np.int64)
    table[0, 0] = 1
    for position in range(n):
        following = np.unique(np.concatenate([states[(states & (1 << j)) == 0] | (1 << j) for j in range(n)]))
        lookup[following] = np.arange(len(following))
        new = np.zeros((len(following), cap + 1), dtype=np.int64)
        for j in range(n):
            shift = (position - j) ** 2
            if shift > cap:
                continue
            rows = np.nonzero((states & (1 << j)) == 0)[0]
            if len(rows):
                # Each state gains rank j at most once, so the targets are distinct: plain fancy-index addition.
                new[lookup[states[rows] | (1 << j)], shift:] += table[rows, :cap + 1 - shift]
        states, table = following, new
    return table[0]


# AS 89 (Best & Roberts 1975): P(D >= s) by the Edgeworth series.
C = (0.2274, 0.2531, 0.1745, 0.0758, 0.1033, 0.3932, 0.0879, 0.0151, 0.0072, 0.0831, 0.0131, 4.6e-4)


def edgeworth_upper(n, s):
    c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12 = C
    b = 1.0 / n
    x = (6 * (s - 1) * b / (n * n - 1) - 1) * math.sqrt(1 / b - 1)
    y = x * x
    u = x * b * (c1 + b * (c2 + c3 * b) + y * (-c4 + b * (c5 + c6 * b)
                 - y * b * (c7 + c8 * b - y * (c9 - c10 * b + y * b * (c11 - c12 * y)))))
    return min(1.0, max(0.0, u / math.exp(y / 2) + norm.sf(x)))


def tail_function(n, exact):
    """P(D <= d) for even d, exact or by the series (D is symmetric about (n^3 - n)/6)."""
    total = (n ** 3 - n) // 3
    if exact:
        cap = int(0.85 * (n ** 3 - n) / 6)
        cumulative = np.cumsum(exact_lower_counts(n, cap)) / math.factorial(n)
        return lambda d: float(cumulative[d])
    return lambda d: edgeworth_upper(n, total - d)


def critical(n, alpha, tail):
    """(W_p, the attainable r_s below it, P(r_s >= W_p)); W_p None when even r_s = 1 is not rare enough."""
    n3 = n ** 3 - n
    best = None
    for d in range(0, n3 // 3 + 1, 2):
        if tail(d) <= alpha:
            best = d
        else:
            break
    if best is None:
        return None, None, tail(0)
    return 1 - 6 * best / n3, 1 - 6 * (best + 2) / n3, tail(best)


def round3(r):
    """r rounded to three decimals, halves away from zero (as Swift's rounded()), on the integer scale."""
    return math.floor(r * 1000 + 0.5) / 1000


def rivertrace_table():
    text = open(os.path.join(ROOT, "Sources", "Statistics", "SpearmanTrend.swift")).read()
    body = text[text.index("static let table"):]
    body = body[:body.index("]\n")]
    rows = re.findall(r"\((\d\.\d+), (nil|\d\.\d+)\)", body)
    return {4 + i: (float(a), None if b == "nil" else float(b)) for i, (a, b) in enumerate(rows)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exact-up-to", type=int, default=18)
    parser.add_argument("--show", action="store_true", help="print the computed table")
    args = parser.parse_args()
    ours = rivertrace_table()
    if sorted(ours) != list(range(4, 51)):
        print(f"rivertrace's table covers n = {sorted(ours)}, expected 4..50")
        return 1
    failures = 0
    one_step = 0
    largest_step = 0.0
    series_error = {}
    for n in range(10, min(args.exact_up_to, 16) + 1):
        exact, series = tail_function(n, True), tail_function(n, False)
        worst = 0.0
        for d in range(0, (n ** 3 - n) // 3 + 1, 2):
            if exact(d) > 0.2:
                break
            worst = max(worst, abs(exact(d) - series(d)))
        series_error[n] = worst
    print("Edgeworth series (AS 89) against the exact tail P <= 0.2: largest error "
          + ", ".join(f"n={n} {e:.1e}" for n, e in series_error.items()))
    for n in range(4, 51):
        exact = n <= args.exact_up_to
        tail = tail_function(n, exact)
        line = []
        for column, alpha in enumerate(ALPHAS):
            w, below, p = critical(n, alpha, tail)
            table = ours[n][column]
            if w is None:
                ok = table is None
                line.append(f"a={alpha}: none (P(r_s=1)={p:.4f}); table {table}")
            else:
                step = w - below
                # The table prints W_p to three decimals; where the series is used, W_p itself may be off by one
                # attainable step (its error in P is ~1e-5 at n = 16 and falls with n).
                ok = table is not None and (round(w, 3) == table or (not exact and abs(table - w) <= 0.0005 + step))
                # rivertrace reads the table as it is printed: r_s rounded to three decimals against the value.
                if ok and not (round3(w) >= table and round3(below) < table):
                    one_step += 1
                    d = round((1 - w) * (n ** 3 - n) / 6)
                    largest_step = max(largest_step, tail(d + 2) - tail(d))
                line.append(f"a={alpha}: W_p={w:.5f} (next {below:.5f}, P={p:.4f}); table {table}")
            if not ok:
                failures += 1
                print(f"MISMATCH n={n} {'exact' if exact else 'series'}: " + line[-1])
            copy = REFERENCE_COPY.get(n)
            if copy and copy[column] != table:
                line[-1] += f"; standards.md copy {copy[column]}"
        if args.show:
            print(f"n={n:2d} {'exact ' if exact else 'series'} " + " | ".join(line))
    print(f"n = 4..50, a = 0.05 and 0.01: {failures} table values that are not W_p to three decimals "
          f"({'exact for n <= %d, ' % args.exact_up_to}Edgeworth series above); {one_step} where the third decimal's "
          f"rounding lets one more attainable r_s through (of probability at most {largest_step:.1e})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
