import Foundation

/// Pettitt's test for a single shift in the median (Pettitt 1979), as pyhomogeneity computes it without
/// simulation: U_t = 2 Σ_{i≤t} r_i − t(n + 1) with average ranks r, K = max |U_t|, p ≈ 2 exp(−6K²/(n³ + n²)),
/// capped at 1.
public struct PettittResult: Sendable, Codable, Equatable {
    /// Significant at α.
    public var h: Bool
    /// 1-based position in the input (gaps counted) of the last value before the shift: pyhomogeneity's `cp`.
    public var changePoint: Int
    /// The same counted among the present values only.
    public var valuesBefore: Int
    /// The approximate p-value, at most 1.
    public var p: Double
    /// K = max |U_t|.
    public var u: Double
    public var meanBefore: Double
    public var meanAfter: Double

    enum CodingKeys: String, CodingKey {
        case h, p, u = "U"
        case changePoint = "cp"
        case valuesBefore = "values_before"
        case meanBefore = "mean_before"
        case meanAfter = "mean_after"
    }
}

public enum Pettitt {
    /// The test on the present values (nil and NaN are missing; the change point counts them as positions).
    /// - Throws: ``TrendTestError/notAssessed(_:)`` with fewer than 4 values, all values equal, or values too large
    ///   for the arithmetic.
    public static func test(_ values: [Double?], alpha: Double = 0.05) throws -> PettittResult {
        let positions = values.indices.filter { values[$0].map { !$0.isNaN } ?? false }
        let x = positions.map { values[$0]! }
        guard x.count >= 4 else { throw TrendTestError.notAssessed(.tooFewValues(found: x.count, needed: 4)) }
        guard Set(x).count > 1 else { throw TrendTestError.notAssessed(.allValuesEqual) }
        let n = x.count
        let r = MannKendall.ranks(x)
        var cumulative = 0.0
        var best = -1.0
        var at = 0
        for t in 0..<(n - 1) {
            cumulative += r[t]
            let u = abs(2 * cumulative - Double(t + 1) * Double(n + 1))
            if u > best {
                best = u
                at = t + 1
            }
        }
        let dn = Double(n)
        // Pettitt (1979) gives 2·exp(…) as an approximation for the small p-values that matter; for a weak shift it
        // exceeds 1 (x = 1, 3, 2, 4: K = 3, 2·exp(−54/80) = 1.018), and a probability is at most 1.
        let p = min(1, 2 * exp(-6 * best * best / (dn * dn * dn + dn * dn)))
        let before = x[..<at].reduce(0, +) / Double(at)
        let after = x[at...].reduce(0, +) / Double(n - at)
        guard before.isFinite, after.isFinite else { throw TrendTestError.notAssessed(.nonFiniteResult) }
        return PettittResult(h: alpha > p, changePoint: positions[at - 1] + 1, valuesBefore: at, p: p, u: best,
                             meanBefore: before, meanAfter: after)
    }
}

/// The trend method of China's evaluation method: Spearman rank correlation between time order and
/// concentration, significant when |r_s| ≥ W_p (one-tailed critical values; `../shared/reference/standards.md`).
public struct SpearmanTrendResult: Sendable, Codable, Equatable {
    public var rs: Double
    public var n: Int
    /// The critical value used at α = 0.05 (and 0.01, nil where the table has none).
    public var critical05: Double
    public var critical01: Double?
    public var significant05: Bool
    public var significant01: Bool
    /// `rising`, `falling` or `no significant trend` (at α = 0.05). For DO, rising is improving.
    public var trend: String

    enum CodingKeys: String, CodingKey {
        case rs, n, trend
        case critical05 = "critical_0_05"
        case critical01 = "critical_0_01"
        case significant05 = "significant_0_05"
        case significant01 = "significant_0_01"
    }
}

public enum SpearmanTrend {
    /// W_p at α = 0.05 and 0.01 (one-tailed) for the n the table lists.
    static let table: [Int: (Double, Double?)] = [
        5: (0.900, nil), 6: (0.829, 0.943), 7: (0.714, 0.893), 8: (0.643, 0.833), 9: (0.600, 0.783), 10: (0.564, 0.745),
        12: (0.497, 0.703), 14: (0.457, 0.646), 16: (0.425, 0.601), 18: (0.399, 0.564), 20: (0.377, 0.534),
        22: (0.359, 0.508), 24: (0.343, 0.485), 26: (0.329, 0.465), 28: (0.317, 0.448), 30: (0.305, 0.432),
    ]

    /// r_s = 1 − 6 Σ d² / (n(n² − 1)), d the difference between the time rank and the (average) value rank.
    /// For an n between the table's entries the next smaller n's value is used (stricter); above 30,
    /// W_p ≈ z_{1−α} / √(n − 1).
    public static func test(_ values: [Double?]) throws -> SpearmanTrendResult {
        let x = values.compactMap { $0 }.filter { !$0.isNaN }
        guard x.count >= 5 else { throw TrendTestError.notAssessed(.tooFewValues(found: x.count, needed: 5)) }
        guard Set(x).count > 1 else { throw TrendTestError.notAssessed(.allValuesEqual) }
        let n = x.count
        let r = MannKendall.ranks(x)
        let d2 = r.enumerated().reduce(0.0) { sum, item in
            let d = Double(item.offset + 1) - item.element
            return sum + d * d
        }
        let dn = Double(n)
        let rs = 1 - 6 * d2 / (dn * (dn * dn - 1))
        let (w05, w01): (Double, Double?)
        if n > 30 {
            w05 = StandardNormal.quantile(0.95) / (dn - 1).squareRoot()
            w01 = StandardNormal.quantile(0.99) / (dn - 1).squareRoot()
        } else {
            let key = table.keys.filter { $0 <= n }.max()!
            (w05, w01) = table[key]!
        }
        let significant05 = abs(rs) >= w05
        return SpearmanTrendResult(rs: rs, n: n, critical05: w05, critical01: w01, significant05: significant05,
                                   significant01: w01.map { abs(rs) >= $0 } ?? false,
                                   trend: significant05 ? (rs > 0 ? "rising" : "falling") : "no significant trend")
    }
}
