import Foundation
import Statistics
import Testing

/// Zar (1972), *JASA* 67:578–580, as printed in Zar, *Biostatistical Analysis*, Table B.20 ("critical values of the
/// Spearman rank correlation coefficient"), one-tailed α = 0.05 and 0.01, n = 4…50; typed here from the table, not
/// from the code. scripts/spearman_critical_values.py checks each against the exact distribution (n ≤ 18) and the
/// Edgeworth series (n ≤ 50).
private let zar: [Int: (Double, Double?)] = [
    4: (1.000, nil), 5: (0.900, 1.000), 6: (0.829, 0.943), 7: (0.714, 0.893), 8: (0.643, 0.833), 9: (0.600, 0.783),
    10: (0.564, 0.745), 11: (0.536, 0.709), 12: (0.503, 0.678), 13: (0.484, 0.648), 14: (0.464, 0.626),
    15: (0.446, 0.604), 16: (0.429, 0.582), 17: (0.414, 0.566), 18: (0.401, 0.550), 19: (0.391, 0.535),
    20: (0.380, 0.522), 21: (0.370, 0.509), 22: (0.361, 0.497), 23: (0.353, 0.486), 24: (0.344, 0.476),
    25: (0.337, 0.466), 26: (0.331, 0.457), 27: (0.324, 0.449), 28: (0.318, 0.441), 29: (0.312, 0.433),
    30: (0.306, 0.425), 31: (0.301, 0.419), 32: (0.296, 0.412), 33: (0.291, 0.405), 34: (0.287, 0.400),
    35: (0.283, 0.394), 36: (0.279, 0.388), 37: (0.275, 0.383), 38: (0.271, 0.378), 39: (0.267, 0.373),
    40: (0.264, 0.368), 41: (0.261, 0.364), 42: (0.257, 0.359), 43: (0.254, 0.355), 44: (0.251, 0.351),
    45: (0.248, 0.347), 46: (0.246, 0.343), 47: (0.243, 0.340), 48: (0.240, 0.336), 49: (0.238, 0.333),
    50: (0.235, 0.329),
]

/// Every permutation of 0..<n (Heap's algorithm).
private func forEachPermutation(_ n: Int, _ body: ([Int]) -> Void) {
    var a = Array(0..<n), c = [Int](repeating: 0, count: n)
    body(a)
    var i = 0
    while i < n {
        if c[i] < i {
            a.swapAt(i % 2 == 0 ? 0 : c[i], i)
            body(a)
            c[i] += 1
            i = 0
        } else {
            c[i] = 0
            i += 1
        }
    }
}

@Suite("Spearman's r_s, the evaluation method's trend test")
struct SpearmanTests {
    @Test("the critical values for n = 4…50 are Zar's table, and name it", arguments: Array(4...50))
    func criticalValuesAreZar(n: Int) throws {
        let (w05, w01, source) = SpearmanTrend.criticalValues(n: n)
        let expected = try #require(zar[n])
        #expect(w05 == expected.0)
        #expect(w01 == expected.1)
        #expect(source == .zar1972)
    }

    // Independent of any table: all n! orders of 1…n are equally likely under no trend, so P(r_s ≥ r) is a count.
    // W_p is the smallest attainable r_s with P ≤ α, rounded to three decimals as tables print it.
    @Test("for n = 4…9 the table is the exact permutation distribution's critical value", arguments: Array(4...9))
    func exactDistribution(n: Int) throws {
        var counts: [Int: Int] = [:]
        forEachPermutation(n) { order in
            counts[order.enumerated().reduce(0) { $0 + ($1.offset - $1.element) * ($1.offset - $1.element) }, default: 0] += 1
        }
        let total = Double(counts.values.reduce(0, +))
        let n3 = Double(n * n * n - n)
        func critical(_ alpha: Double) -> Double? {
            var cumulative = 0, best: Int?
            for d in counts.keys.sorted() {
                cumulative += counts[d]!
                guard Double(cumulative) / total <= alpha else { break }
                best = d
            }
            return best.map { ((1 - 6 * Double($0) / n3) * 1000).rounded() / 1000 }
        }
        let (w05, w01, _) = SpearmanTrend.criticalValues(n: n)
        #expect(critical(0.05) == w05)
        #expect(critical(0.01) == w01)
    }

    // n = 6, values 2, 1, 4, 3, 6, 5: Σd² = 6, r_s = 1 − 36/210 = 29/35 = 0.82857; exactly P(r_s ≥ 29/35) = 7/240 =
    // 0.029 (the exact distribution), significant at 0.05. Zar's table prints this W_p as 0.829, so the comparison
    // is of r_s to three decimals, as the table is read.
    @Test("an r_s equal to the critical value is significant: 29/35 at n = 6 against the printed 0.829")
    func equalToCriticalValue() throws {
        let result = try SpearmanTrend.test([2, 1, 4, 3, 6, 5])
        #expect(abs(result.rs - 29.0 / 35) < 1e-15)
        #expect(result.critical05 == 0.829)
        #expect(result.significant05 && !result.significant01)
        #expect(result.trend == .increasing)
    }

    // n = 12, the first n where the evaluation method's reference copy (0.497) and Zar (0.503) differ. Swapping the
    // values at positions i and j of 1…12 adds 2(j − i)² to Σd². Swaps 1↔7 and 2↔8: Σd² = 2(36 + 36) = 144, r_s =
    // 1 − 6·144/1716 = 0.49650 (exactly P = 0.0521 > 0.05). Swaps 1↔7, 3↔8, 9↔12, 4↔5: Σd² = 2(36 + 25 + 9 + 1) = 142,
    // r_s = 0.50350 = the exact W_p (P = 0.0495). 0.497 would call the first significant.
    @Test("at n = 12 the critical value is Zar's 0.503 (exact W_p 0.50350), not the reference copy's 0.497")
    func twelve() throws {
        #expect(SpearmanTrend.criticalValues(n: 12).alpha05 == 0.503)
        let below = try SpearmanTrend.test([7, 8, 3, 4, 5, 6, 1, 2, 9, 10, 11, 12])
        let at = try SpearmanTrend.test([7, 2, 8, 5, 4, 6, 1, 3, 12, 10, 11, 9])
        #expect(abs(below.rs - (1 - 6 * 144.0 / 1716)) < 1e-12 && !below.significant05)
        #expect(abs(at.rs - (1 - 6 * 142.0 / 1716)) < 1e-12 && at.significant05)
    }

    // Values 1, 2, 2, 4, 5: average ranks 1, 2.5, 2.5, 4, 5; d = 0, −0.5, 0.5, 0, 0, Σd² = 0.5. T = (125 − 5)/12 = 10,
    // T_v = 10 − (8 − 2)/12 = 9.5: r_s = (10 + 9.5 − 0.5)/(2√95) = 19/(2√95) = 0.9746794344808963 — SciPy's
    // spearmanr (the Pearson correlation of the ranks) gives the same; 1 − 6Σd²/(n³ − n) would give 0.975.
    @Test("ties take average ranks and r_s is then the Pearson correlation of the ranks (19/(2√95) by hand)")
    func ties() throws {
        let result = try SpearmanTrend.test([1, 2, 2, 4, 5])
        #expect(abs(result.rs - 19 / (2 * 95.0.squareRoot())) < 1e-15)
        #expect(result.tiedValues == 2)
        #expect(result.significant05 && !result.significant01)
    }

    @Test("gaps do not change the time ranks; fewer than 4 values are not assessed")
    func gapsAndShortSeries() throws {
        #expect(try SpearmanTrend.test([2, nil, 1, 4, nil, 3, 6, 5]).rs == SpearmanTrend.test([2, 1, 4, 3, 6, 5]).rs)
        #expect(throws: TrendTestError.notAssessed(.tooFewValues(found: 3, needed: 4))) {
            try SpearmanTrend.test([1, nil, 2, 3])
        }
    }

    @Test("above n = 50 the normal approximation z/√(n − 1), and the output says so")
    func beyondTheTable() throws {
        let result = try SpearmanTrend.test((0..<60).map { Double($0 % 7) + Double($0) / 10 })
        #expect(result.criticalSource == .normalApproximation)
        #expect(abs(result.critical05 - 1.6448536269514722 / 59.0.squareRoot()) < 1e-12)
    }
}
