import Foundation

/// The trend method of China's evaluation method (《地表水环境质量评价办法（试行）》): Spearman's rank correlation r_s
/// between time order and concentration, significant when |r_s| ≥ W_p, the one-tailed critical value at n.
public struct SpearmanTrendResult: Sendable, Codable, Equatable {
    public var rs: Double
    public var n: Int
    /// Values that share their value with another (average ranks); with ties r_s is the Pearson correlation of the
    /// ranks (Siegel & Castellan's correction), and the table's critical values are approximate.
    public var tiedValues: Int
    /// The critical values used: W_p at one-tailed α = 0.05, and at 0.01 (nil where no r_s reaches it: n = 4).
    public var critical05: Double
    public var critical01: Double?
    /// Where the critical values come from: ``SpearmanTrend/CriticalSource``.
    public var criticalSource: SpearmanTrend.CriticalSource
    public var significant05: Bool
    public var significant01: Bool
    /// `increasing`, `decreasing` or `no trend` (significant at α = 0.05, as the critical value decides). For DO,
    /// increasing is improving.
    public var trend: TrendDirection

    enum CodingKeys: String, CodingKey {
        case rs, n, trend
        case tiedValues = "tied_values"
        case critical05 = "critical_0_05"
        case critical01 = "critical_0_01"
        case criticalSource = "critical_source"
        case significant05 = "significant_0_05"
        case significant01 = "significant_0_01"
    }
}

/// Spearman's rank correlation of a series against time, with the published critical values.
public enum SpearmanTrend {
    /// The origin of a critical value.
    public enum CriticalSource: String, Sendable, Codable {
        /// Zar (1972), *JASA* 67:578–580, as Table B.20 of Zar, *Biostatistical Analysis* (one-tailed α), n = 4…50:
        /// every value checked against the exact permutation distribution (n ≤ 18) and the Edgeworth series of
        /// AS 89 / Ramsey (1989) (n ≤ 50) by `scripts/spearman_critical_values.py`.
        case zar1972 = "zar_1972"
        /// Above n = 50: the normal approximation W_p = z_{1−α} / √(n − 1) (at n = 50 it gives 0.235 and 0.332
        /// where the table has 0.235 and 0.329: on the safe side).
        case normalApproximation = "normal_approximation"

        /// The source in words, for output.
        public var citation: String {
            switch self {
            case .zar1972: "Zar (1972) table, one-tailed"
            case .normalApproximation: "normal approximation z/√(n−1), one-tailed"
            }
        }
    }

    /// W_p at one-tailed α = 0.05 and 0.01 for n = 4…50 (index n − 4): Zar (1972; *Biostatistical Analysis*,
    /// Table B.20), "as close as possible to but not exceeding" α. The copy in the evaluation method's reference
    /// differs from n = 12 on (0.497 for 0.503 at n = 12, 0.703 for 0.678 at 0.01): docs/methods.md lists where.
    static let table: [(alpha05: Double, alpha01: Double?)] = [
        (1.000, nil), (0.900, 1.000), (0.829, 0.943), (0.714, 0.893), (0.643, 0.833), (0.600, 0.783),  // n = 4…9
        (0.564, 0.745), (0.536, 0.709), (0.503, 0.678), (0.484, 0.648), (0.464, 0.626),                // 10…14
        (0.446, 0.604), (0.429, 0.582), (0.414, 0.566), (0.401, 0.550), (0.391, 0.535),                // 15…19
        (0.380, 0.522), (0.370, 0.509), (0.361, 0.497), (0.353, 0.486), (0.344, 0.476),                // 20…24
        (0.337, 0.466), (0.331, 0.457), (0.324, 0.449), (0.318, 0.441), (0.312, 0.433),                // 25…29
        (0.306, 0.425), (0.301, 0.419), (0.296, 0.412), (0.291, 0.405), (0.287, 0.400),                // 30…34
        (0.283, 0.394), (0.279, 0.388), (0.275, 0.383), (0.271, 0.378), (0.267, 0.373),                // 35…39
        (0.264, 0.368), (0.261, 0.364), (0.257, 0.359), (0.254, 0.355), (0.251, 0.351),                // 40…44
        (0.248, 0.347), (0.246, 0.343), (0.243, 0.340), (0.240, 0.336), (0.238, 0.333),                // 45…49
        (0.235, 0.329),                                                                                // 50
    ]

    /// The smallest n with a critical value.
    public static let minimumCount = 4

    /// The critical values W_p (one-tailed α = 0.05 and 0.01) used for a series of n values, and their source.
    public static func criticalValues(n: Int) -> (alpha05: Double, alpha01: Double?, source: CriticalSource) {
        precondition(n >= minimumCount, "Spearman critical values start at n = \(minimumCount)")
        if n - minimumCount < table.count {
            let row = table[n - minimumCount]
            return (row.alpha05, row.alpha01, .zar1972)
        }
        let scale = (Double(n) - 1).squareRoot()
        return (StandardNormal.quantile(0.95) / scale, StandardNormal.quantile(0.99) / scale, .normalApproximation)
    }

    /// r_s between the time order of the present values (nil and NaN are missing; gaps do not change the time
    /// ranks) and their average ranks. Without ties r_s = 1 − 6Σd²/(n(n² − 1)), d = time rank − value rank, the
    /// method's formula; with ties the same expression corrected for them (Siegel & Castellan 1988):
    /// r_s = (T + T_v − Σd²) / (2√(T·T_v)), T = (n³ − n)/12, T_v = T − Σ(t³ − t)/12 over groups of t equal values,
    /// which is the Pearson correlation of the ranks.
    /// - Throws: ``TrendTestError/notAssessed(_:)`` with fewer than 4 values or all values equal.
    public static func test(_ values: [Double?]) throws -> SpearmanTrendResult {
        let x = values.compactMap { $0 }.filter { !$0.isNaN }
        guard x.count >= minimumCount else {
            throw TrendTestError.notAssessed(.tooFewValues(found: x.count, needed: minimumCount))
        }
        guard Set(x).count > 1 else { throw TrendTestError.notAssessed(.allValuesEqual) }
        let n = x.count
        let ranks = MannKendall.ranks(x)
        // Average ranks are whole or half numbers, so Σd² and the tie sums are exact in a double.
        var d2 = 0.0
        for (index, rank) in ranks.enumerated() {
            let d = Double(index + 1) - rank
            d2 += d * d
        }
        var tieSum = 0.0, tied = 0
        var counts: [Double: Int] = [:]
        for value in x { counts[value, default: 0] += 1 }
        for t in counts.values where t > 1 {
            tieSum += Double(t * t * t - t)
            tied += t
        }
        let dn = Double(n)
        let timeSum = (dn * dn * dn - dn) / 12
        let valueSum = timeSum - tieSum / 12
        let rs = tied == 0 ? 1 - 6 * d2 / (dn * (dn * dn - 1)) : (timeSum + valueSum - d2) / (2 * (timeSum * valueSum).squareRoot())
        guard rs.isFinite else { throw TrendTestError.notAssessed(.nonFiniteResult) }
        let (w05, w01, source) = criticalValues(n: n)
        // The table is read as printed: |r_s| to three decimals against the three-decimal value. Compared unrounded,
        // the exact W_p = 0.82857 at n = 6 (29/35, P = 0.029) would fail the printed 0.829. The approximation above
        // n = 50 is not rounded, and neither is r_s against it.
        func reaches(_ critical: Double) -> Bool {
            guard source == .zar1972 else { return abs(rs) >= critical }
            return (abs(rs) * 1000).rounded() >= (critical * 1000).rounded()
        }
        let significant05 = reaches(w05)
        return SpearmanTrendResult(rs: rs, n: n, tiedValues: tied, critical05: w05, critical01: w01, criticalSource: source,
                                   significant05: significant05,
                                   significant01: w01.map(reaches) ?? false,
                                   trend: TrendDirection(significant: significant05, statistic: rs))
    }
}
