import Foundation

/// A trend test on left-censored data (values reported as "<DL"): Kendall's S with censored comparisons and the
/// Akritas–Theil–Sen slope.
public struct CensoredTrendResult: Sendable, Codable, Equatable {
    /// `increasing`, `decreasing` or `no trend`.
    public var trend: TrendDirection
    /// Significant at the chosen α.
    public var h: Bool
    public var p: Double
    public var z: Double
    /// S / (n(n−1)/2) (tau-a; summed over seasons for the seasonal test).
    public var tau: Double
    public var s: Double
    public var varS: Double
    /// Akritas–Theil–Sen slope per unit of time.
    public var slope: Double
    /// Median residual v − slope·t (censored residuals at their limit, see ``CensoredTrend``).
    public var intercept: Double
    public var n: Int
    public var censored: Int

    enum CodingKeys: String, CodingKey {
        case trend, h, p, z, tau = "Tau", s, slope, intercept, n, censored
        case varS = "var_s"
    }
}

/// Mann-Kendall test and Akritas–Theil–Sen (ATS) slope for left-censored data (Akritas, Murphy & LaValley 1995;
/// Helsel 2012, *Statistics for Censored Environmental Data*, ch. 12; as NADA's `cenken` and NADA2's `censeaken`).
///
/// A censored value `<DL` means "somewhere below DL". Two values compare only when the order is certain: a
/// detected 10 is above `<1`, but `<1` against a detected 0.5, or `<1` against `<5`, is a tie (contributes 0).
/// The ATS slope is the β at which S of the residuals v − βt against t crosses zero; with nothing censored
/// that is exactly the Theil–Sen median of the pair slopes. Var(S) is Kendall's with ties in t and in the
/// values (Kendall 1975, eq. 4.4); censored values at one detection limit form one tie group. With several
/// limits, pairs across limits are ties in S but not in Var(S): the variance is then slightly too large,
/// the p-value conservative. z has the continuity correction of the Mann-Kendall test, so that with nothing
/// censored S, Var(S), z and p are those of ``MannKendall/original(_:alpha:)``.
///
/// The intercept is the median of the residuals v − βt, censored ones taken at their limit DL − βt: simpler
/// than NADA's Turnbull estimate, and the same when the median residual is a detected one.
public enum CensoredTrend {
    /// More censored than this share: not assessed.
    public static let maximumCensoredShare = 0.8

    /// The test on one series. `times`: the time of each value (positions, or decimal years; equal times do not
    /// form pairs); `censored[i]`: `values[i]` is a detection limit ("<values[i]"). NaN values are left out.
    /// - Throws: ``TrendTestError/notAssessed(_:)`` with fewer than 4 values or 3 detected ones, more than
    ///   ``maximumCensoredShare`` censored, or no definite comparison at all.
    public static func test(times: [Double], values: [Double], censored: [Bool], alpha: Double = 0.05) throws -> CensoredTrendResult {
        try seasonal(times: times, values: values, censored: censored, seasons: Array(repeating: 0, count: values.count),
                     alpha: alpha)
    }

    /// Seasonal version (Hirsch, Slack & Smith 1982 with censored comparisons, as NADA2's `censeaken`): S and
    /// Var(S) summed over the seasons, pairs only within a season; the slope is the β that makes the summed S of
    /// the residuals zero. `seasons[i]`: any label of value i's season.
    public static func seasonal(times: [Double], values: [Double], censored: [Bool], seasons: [Int],
                                alpha: Double = 0.05) throws -> CensoredTrendResult {
        precondition(times.count == values.count && censored.count == values.count && seasons.count == values.count,
                     "one time, censoring flag and season per value")
        let kept = values.indices.filter { !values[$0].isNaN && !times[$0].isNaN }
        let observations = kept.map { Observation(time: times[$0], value: values[$0], censored: censored[$0]) }
        let censoredCount = observations.filter(\.censored).count
        let detected = observations.count - censoredCount
        guard observations.count >= 4 else { throw TrendTestError.notAssessed(.tooFewValues(found: observations.count, needed: 4)) }
        guard detected >= 3 else { throw TrendTestError.notAssessed(.tooFewDetected(found: detected, needed: 3)) }
        let share = Double(censoredCount) / Double(observations.count)
        guard share <= maximumCensoredShare else {
            throw TrendTestError.notAssessed(.tooManyCensored(censored: censoredCount, of: observations.count,
                                                              maximumShare: maximumCensoredShare))
        }
        var groups: [Int: [Observation]] = [:]
        for (offset, index) in kept.enumerated() { groups[seasons[index], default: []].append(observations[offset]) }
        let seasonGroups = groups.keys.sorted().map { groups[$0]!.sorted { $0.time < $1.time } }

        var s = 0, variance = 0.0, pairs = 0.0
        for group in seasonGroups {
            s += score(group)
            variance += varianceS(group)
            pairs += 0.5 * Double(group.count) * Double(group.count - 1)
        }
        guard variance > 0 else { throw TrendTestError.notAssessed(.noSeasonWithTwoValues) }
        let slope = try atsSlope(seasonGroups)
        let residuals = observations.map { $0.value - slope * $0.time }
        let intercept = SensSlope.median(residuals)
        let ds = Double(s)
        let z: Double = s > 0 ? (ds - 1) / variance.squareRoot() : s < 0 ? (ds + 1) / variance.squareRoot() : 0
        let p = 2 * (1 - StandardNormal.cdf(abs(z)))
        let h = abs(z) > StandardNormal.quantile(1 - alpha / 2)
        let result = CensoredTrendResult(trend: TrendDirection(significant: h, statistic: z), h: h, p: p, z: z,
                                         tau: ds / pairs, s: ds, varS: variance, slope: slope, intercept: intercept,
                                         n: observations.count, censored: censoredCount)
        guard [p, z, result.tau, variance, slope, intercept].allSatisfy(\.isFinite) else {
            throw TrendTestError.notAssessed(.nonFiniteResult)
        }
        return result
    }

    struct Observation {
        var time: Double
        var value: Double
        var censored: Bool
    }

    /// +1 when b is certainly above a, −1 when certainly below, 0 when equal or uncertain. A detected value
    /// equal to a detection limit is above the censored value ("<1" is below a detected 1).
    static func order(_ a: Observation, _ b: Observation) -> Int {
        switch (a.censored, b.censored) {
        case (false, false): b.value > a.value ? 1 : b.value < a.value ? -1 : 0
        case (true, false): b.value >= a.value ? 1 : 0
        case (false, true): a.value >= b.value ? -1 : 0
        case (true, true): 0
        }
    }

    /// S = Σ_{i<j, t_i<t_j} order(i, j) for one season sorted by time. O(n²): censored series are lab series of
    /// tens to hundreds of values.
    static func score(_ group: [Observation]) -> Int {
        var s = 0
        for i in group.indices {
            for j in (i + 1)..<group.count where group[j].time > group[i].time { s += order(group[i], group[j]) }
        }
        return s
    }

    /// Kendall's Var(S) with ties in both variables (Kendall 1975, eq. 4.4): t the runs of equal times, u the
    /// groups of equal values (detected values equal to each other; censored values at the same limit).
    static func varianceS(_ group: [Observation]) -> Double {
        let n = Double(group.count)
        guard group.count >= 2 else { return 0 }
        func sizes<Key: Hashable>(_ key: (Observation) -> Key) -> [Double] {
            var counts: [Key: Int] = [:]
            for observation in group { counts[key(observation), default: 0] += 1 }
            return counts.values.filter { $0 > 1 }.map(Double.init).sorted()
        }
        struct ValueKey: Hashable { var value: Double; var censored: Bool }
        let t = sizes { $0.time }
        let u = sizes { ValueKey(value: $0.value, censored: $0.censored) }
        func sum(_ sizes: [Double], _ term: (Double) -> Double) -> Double { sizes.reduce(0) { $0 + term($1) } }
        var variance = (n * (n - 1) * (2 * n + 5) - sum(t) { $0 * ($0 - 1) * (2 * $0 + 5) }
            - sum(u) { $0 * ($0 - 1) * (2 * $0 + 5) }) / 18
        if n > 2 {
            variance += sum(t) { $0 * ($0 - 1) * ($0 - 2) } * sum(u) { $0 * ($0 - 1) * ($0 - 2) } / (9 * n * (n - 1) * (n - 2))
        }
        variance += sum(t) { $0 * ($0 - 1) } * sum(u) { $0 * ($0 - 1) } / (2 * n * (n - 1))
        return variance
    }

    /// S of the residuals v − βt as a step function of β, from each pair's breakpoint. For detected values the
    /// breakpoint is the pair's slope, computed as Sen's slope computes it, so that without censoring the zero
    /// crossing is the Theil–Sen median to the bit. A detected value above a censored earlier one stays above
    /// while β ≤ (v_j − DL_i)/(t_j − t_i) and is uncertain beyond; symmetrically for a censored later value.
    struct Breakpoint {
        enum Kind { case detected, certainAbove, certainBelow }
        var beta: Double
        var kind: Kind

        /// The pair's contribution to S(β).
        @inline(__always)
        func contribution(_ b: Double) -> Int {
            switch kind {
            case .detected: beta > b ? 1 : beta < b ? -1 : 0
            case .certainAbove: b <= beta ? 1 : 0
            case .certainBelow: b >= beta ? -1 : 0
            }
        }
    }

    static func breakpoints(_ groups: [[Observation]]) -> [Breakpoint] {
        var out: [Breakpoint] = []
        for group in groups {
            for i in group.indices {
                for j in (i + 1)..<group.count where group[j].time > group[i].time {
                    let a = group[i], b = group[j]
                    let slope = (b.value - a.value) / (b.time - a.time)
                    switch (a.censored, b.censored) {
                    case (false, false): out.append(Breakpoint(beta: slope, kind: .detected))
                    case (true, false): out.append(Breakpoint(beta: slope, kind: .certainAbove))
                    case (false, true): out.append(Breakpoint(beta: slope, kind: .certainBelow))
                    case (true, true): break
                    }
                }
            }
        }
        return out
    }

    /// The ATS slope: the midpoint of inf{β: S(β) ≤ 0} and sup{β: S(β) ≥ 0}, found by bisection over the
    /// sorted breakpoints (S is non-increasing and changes only there).
    static func atsSlope(_ groups: [[Observation]]) throws -> Double {
        let points = breakpoints(groups)
        let candidates = points.map(\.beta).sorted()
        guard !candidates.isEmpty else { throw TrendTestError.notAssessed(.noCertainComparison) }
        func s(_ beta: Double) -> Int { points.reduce(0) { $0 + $1.contribution(beta) } }
        // S on the open interval after candidates[index] (index −1: below all), where it is constant: each
        // breakpoint lies either at or above the interval's upper end, or at or below its lower end. Exact even
        // when the two ends are neighbouring doubles and no double lies between them.
        func between(_ index: Int) -> Int {
            points.reduce(0) { sum, point in
                let above = index + 1 < candidates.count && point.beta >= candidates[index + 1]
                switch point.kind {
                case .detected: return sum + (above ? 1 : -1)
                case .certainAbove: return sum + (above ? 1 : 0)
                case .certainBelow: return sum + (above ? 0 : -1)
                }
            }
        }
        // The first breakpoint index with S ≤ 0 (count if none), by bisection.
        var low = 0, high = candidates.count
        while low < high {
            let middle = (low + high) / 2
            if s(candidates[middle]) <= 0 { high = middle } else { low = middle + 1 }
        }
        let lowerEnd: Double
        if low == candidates.count {
            guard between(candidates.count - 1) <= 0 else { throw TrendTestError.notAssessed(.slopeUnbounded) }
            lowerEnd = candidates[candidates.count - 1]
        } else {
            lowerEnd = low > 0 && between(low - 1) <= 0 ? candidates[low - 1] : candidates[low]
        }
        // The last breakpoint index with S ≥ 0 (−1 if none).
        low = -1
        high = candidates.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if s(candidates[middle]) >= 0 { low = middle } else { high = middle - 1 }
        }
        let upperEnd: Double
        if low == -1 {
            guard between(-1) >= 0 else { throw TrendTestError.notAssessed(.slopeUnbounded) }
            upperEnd = candidates[0]
        } else {
            upperEnd = low < candidates.count - 1 && between(low) >= 0 ? candidates[low + 1] : candidates[low]
        }
        return (lowerEnd + upperEnd) / 2
    }
}
