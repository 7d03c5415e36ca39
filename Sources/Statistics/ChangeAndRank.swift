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
