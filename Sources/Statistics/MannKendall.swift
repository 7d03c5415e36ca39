import Foundation

/// The outcome of a Mann-Kendall-family test, with the fields pyMannKendall reports.
public struct TrendTestResult: Sendable, Codable, Equatable {
    /// `increasing`, `decreasing` or `no trend`.
    public var trend: TrendDirection
    /// Significant at the chosen α.
    public var h: Bool
    public var p: Double
    public var z: Double
    public var tau: Double
    public var s: Double
    public var varS: Double
    /// Theil–Sen slope per time step (index-based, as pyMannKendall).
    public var slope: Double
    public var intercept: Double

    enum CodingKeys: String, CodingKey {
        case trend, h, p, z, tau = "Tau", s, slope, intercept
        case varS = "var_s"
    }
}

extension TrendTestResult {
    /// Whether every number is finite (what `result` guarantees before returning).
    var isFinite: Bool {
        [p, z, tau, s, varS, slope, intercept].allSatisfy(\.isFinite)
    }
}

/// Why a test was not run.
public enum TrendTestError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The data cannot give a meaningful result (too few values, all equal, a degenerate variance…): the test
    /// reports this instead of a NaN or an infinity.
    case notAssessed(NotAssessedReason)

    /// The reason, with its stable code and its English and Chinese messages.
    public var reason: NotAssessedReason {
        switch self {
        case .notAssessed(let reason): reason
        }
    }

    public var description: String { "not assessed: \(reason.english)" }
}

/// Mann-Kendall trend tests: the original and its modifications for serial correlation, as pyMannKendall 1.4.3
/// computes them (Hussain & Mahmud 2019), so the numbers agree to rounding.
///
/// Missing values (nil) are skipped for S and its variance; Sen's slope keeps the original positions.
/// References: Mann (1945); Kendall (1975); Gilbert (1987); Hamed & Rao (1998); Yue & Wang (2002, 2004).
public enum MannKendall {
    /// Original Mann-Kendall test.
    public static func original(_ values: [Double?], alpha: Double = 0.05) throws -> TrendTestResult {
        let x = try present(values)
        let s = score(x)
        let variance = varianceS(x)
        let (slope, intercept) = SensSlope.estimate(values)
        return try result(s: s, variance: variance, n: x.count, alpha: alpha, slope: slope, intercept: intercept)
    }

    /// Modified test with the variance corrected by the significant autocorrelations of the detrended ranks
    /// (Hamed & Rao 1998). `lag`: the number of lags considered (nil: all).
    public static func hamedRao(_ values: [Double?], alpha: Double = 0.05, lag: Int? = nil) throws -> TrendTestResult {
        try corrected(values, alpha: alpha, lag: lag, method: .hamedRao) { detrended, n, lags in
            guard let acf = autocorrelation(ranks(detrended), lags: lags - 1) else { return nil }
            let bound = StandardNormal.quantile(1 - alpha / 2) / Double(n).squareRoot()
            var sum = 0.0
            for i in 1..<max(1, lags) where i < acf.count && (acf[i] > bound || acf[i] < -bound) {
                let m = Double(n - i)
                sum += m * (m - 1) * (m - 2) * acf[i]
            }
            let dn = Double(n)
            return 1 + 2 / (dn * (dn - 1) * (dn - 2)) * sum
        }
    }

    /// Modified test with the variance corrected by the autocorrelations of the detrended series
    /// (Yue & Wang 2004). `lag`: the number of lags considered (nil: all).
    public static func yueWang(_ values: [Double?], alpha: Double = 0.05, lag: Int? = nil) throws -> TrendTestResult {
        try corrected(values, alpha: alpha, lag: lag, method: .yueWang) { detrended, n, lags in
            guard let acf = autocorrelation(detrended, lags: lags - 1) else { return nil }
            var sum = 0.0
            for i in 1..<max(1, lags) where i < acf.count { sum += (1 - Double(i) / Double(n)) * acf[i] }
            return 1 + 2 * sum
        }
    }

    /// The original S with Var(S) multiplied by `factor(detrended series, n, lags)`: the shared frame of the
    /// Hamed-Rao and Yue-Wang corrections (the series detrended by Sen's slope per index, as pyMannKendall).
    /// - Throws: ``NotAssessedReason/autocorrelationUndefined(method:)`` when `factor` finds the detrended series
    ///   constant (nil), ``NotAssessedReason/correctedVarianceNotPositive(method:factor:)`` when the factor is ≤ 0:
    ///   pyMannKendall then prints NaN (or ±inf for a factor of exactly 0); a variance cannot be negative, so the
    ///   correction, not the data, has failed.
    private static func corrected(_ values: [Double?], alpha: Double, lag: Int?, method: NotAssessedReason.SerialCorrection,
                                  factor: ([Double], Int, Int) -> Double?) throws -> TrendTestResult {
        let x = try present(values)
        let n = x.count
        let (slope, intercept) = SensSlope.estimate(values)
        let detrended = x.enumerated().map { $1 - Double($0 + 1) * slope }
        guard !isConstantToRounding(detrended, slope: slope, values: x),
              let correction = factor(detrended, n, lag.map { $0 + 1 } ?? n) else {
            throw TrendTestError.notAssessed(.autocorrelationUndefined(method: method))
        }
        guard correction > 0 else {
            throw TrendTestError.notAssessed(.correctedVarianceNotPositive(method: method, factor: correction))
        }
        return try result(s: score(x), variance: varianceS(x) * correction, n: n, alpha: alpha, slope: slope,
                          intercept: intercept)
    }

    /// Pre-whitening: the test on x[t] − r₁·x[t−1] (Yue & Wang 2002).
    public static func preWhitening(_ values: [Double?], alpha: Double = 0.05) throws -> TrendTestResult {
        let x = try present(values)
        // `present` refused a constant series, so the lag-1 autocorrelation is defined.
        let r1 = autocorrelation(x, lags: 1)![1]
        let whitened = (1..<x.count).map { x[$0] - x[$0 - 1] * r1 }
        let (slope, intercept) = SensSlope.estimate(values)
        return try result(s: score(whitened), variance: varianceS(whitened), n: whitened.count, alpha: alpha,
                      slope: slope, intercept: intercept)
    }

    /// Trend-free pre-whitening: remove the Sen trend, pre-whiten, put the trend back (Yue et al. 2002).
    public static func trendFreePreWhitening(_ values: [Double?], alpha: Double = 0.05) throws -> TrendTestResult {
        let x = try present(values)
        let (slope, intercept) = SensSlope.estimate(values)
        let detrended = x.enumerated().map { $1 - Double($0 + 1) * slope }
        // An exactly linear series leaves nothing to whiten: r₁ is 0/0 there, and pyMannKendall's NaN with it.
        guard !isConstantToRounding(detrended, slope: slope, values: x),
              let r1 = autocorrelation(detrended, lags: 1)?[1] else {
            throw TrendTestError.notAssessed(.autocorrelationUndefined(method: .trendFreePreWhitening))
        }
        let whitened = (1..<x.count).enumerated().map { offset, index in
            detrended[index] - detrended[index - 1] * r1 + Double(offset + 1) * slope
        }
        return try result(s: score(whitened), variance: varianceS(whitened), n: whitened.count, alpha: alpha,
                      slope: slope, intercept: intercept)
    }

    /// Seasonal Kendall test (Hirsch, Slack & Smith 1982): S and Var(S) summed over the seasons, each season
    /// the values at positions season, season + period, …; slope from ``SensSlope/seasonal(_:period:)``.
    public static func seasonal(_ values: [Double?], period: Int = 12, alpha: Double = 0.05) throws -> TrendTestResult {
        _ = try present(values)
        precondition(period >= 2, "a season needs a period of 2 or more")
        var s = 0.0, variance = 0.0, pairs = 0.0
        for season in 0..<period {
            let column = stride(from: season, to: values.count, by: period).compactMap { values[$0] }.filter { !$0.isNaN }
            s += score(column)
            variance += varianceS(column)
            pairs += 0.5 * Double(column.count) * Double(column.count - 1)
        }
        guard pairs > 0 else { throw TrendTestError.notAssessed(.noSeasonWithTwoValues) }
        let (slope, intercept) = SensSlope.seasonal(values, period: period)
        var result = try result(s: s, variance: variance, n: 2, alpha: alpha, slope: slope, intercept: intercept)
        result.tau = s / pairs
        return result
    }

    // MARK: pieces

    /// The present values (nil and NaN are missing), at least 4 and not all equal.
    static func present(_ values: [Double?]) throws -> [Double] {
        let x = values.compactMap { $0 }.filter { !$0.isNaN }
        guard x.count >= 4 else { throw TrendTestError.notAssessed(.tooFewValues(found: x.count, needed: 4)) }
        guard x.contains(where: { $0 != x[0] }) else { throw TrendTestError.notAssessed(.allValuesEqual) }
        guard x.allSatisfy(\.isFinite) else { throw TrendTestError.notAssessed(.nonFiniteResult) }
        return x
    }

    /// The decision from S and Var(S), as pyMannKendall's `__z_score` and `__p_value`.
    /// - Throws: ``NotAssessedReason/varianceNotPositive`` when Var(S) ≤ 0 (every value tied after pre-whitening,
    ///   say), where pyMannKendall divides by zero or reports p = 1 from a zero variance; and
    ///   ``NotAssessedReason/nonFiniteResult`` when a number overflowed: no NaN or infinity leaves this function.
    static func result(s: Double, variance: Double, n: Int, alpha: Double, slope: Double, intercept: Double) throws -> TrendTestResult {
        guard variance > 0 else { throw TrendTestError.notAssessed(.varianceNotPositive) }
        let z: Double = s > 0 ? (s - 1) / variance.squareRoot() : s < 0 ? (s + 1) / variance.squareRoot() : 0
        // 2(1 − Φ(|z|)) written as SciPy evaluates it, so tiny p-values round the same way.
        let p = 2 * (1 - StandardNormal.cdf(abs(z)))
        let h = abs(z) > StandardNormal.quantile(1 - alpha / 2)
        let trend = TrendDirection(significant: h, statistic: z)
        let dn = Double(n)
        let result = TrendTestResult(trend: trend, h: h, p: p, z: z, tau: s / (0.5 * dn * (dn - 1)), s: s, varS: variance,
                                     slope: slope, intercept: intercept)
        guard result.isFinite else { throw TrendTestError.notAssessed(.nonFiniteResult) }
        return result
    }

    /// S = Σ_{i<j} sign(x_j − x_i) in O(n log n): all pairs minus tied pairs minus twice the strict inversions
    /// (counted by merge sort, as for Kendall's τ — Knight 1966).
    public static func score(_ x: [Double]) -> Double {
        let n = x.count
        var values = x
        let inversions = SlopeBlock.sortCountingInversions(&values)
        var tiedPairs = 0
        var run = 1
        for index in 1..<max(1, n) {
            if values[index] == values[index - 1] {
                run += 1
            } else {
                tiedPairs += run * (run - 1) / 2
                run = 1
            }
        }
        tiedPairs += run * (run - 1) / 2
        let pairs = n * (n - 1) / 2
        return Double(pairs - tiedPairs - 2 * inversions)
    }

    /// Var(S) with the tie correction: [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18.
    static func varianceS(_ x: [Double]) -> Double {
        let n = Double(x.count)
        // Tie groups as runs of the sorted values: no hashing, and the sum is of integers (exact in any order).
        let sorted = x.sorted()
        var ties = 0.0
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count && sorted[end] == sorted[start] { end += 1 }
            let t = Double(end - start)
            ties += t * (t - 1) * (2 * t + 5)
            start = end
        }
        return (n * (n - 1) * (2 * n + 5) - ties) / 18
    }

    /// Whether a Sen-detrended series x_i − (i + 1)·slope is constant but for the rounding of that subtraction: an
    /// exactly linear series such as 0.1, 0.2, 0.3, 0.4 leaves differences of a few ulps, whose "autocorrelation"
    /// (and ranks) would be noise. The bound is 4n ulps of the largest term: real data spread far more.
    static func isConstantToRounding(_ detrended: [Double], slope: Double, values: [Double]) -> Bool {
        guard let low = detrended.min(), let high = detrended.max() else { return true }
        let scale = values.indices.reduce(0.0) { max($0, abs(values[$1]), abs(Double($1 + 1) * slope)) }
        return high - low <= 4 * Double(values.count) * scale.ulp
    }

    /// Sample autocorrelation at lags 0…`lags`, with the 1/n autocovariance (as NumPy's correlate / n); nil for a
    /// constant series, whose autocorrelation is 0/0.
    static func autocorrelation(_ x: [Double], lags: Int) -> [Double]? {
        let n = x.count
        let mean = x.reduce(0, +) / Double(n)
        let y = x.map { $0 - mean }
        var out: [Double] = []
        for lag in 0...max(0, min(lags, n - 1)) {
            var sum = 0.0
            for index in 0..<(n - lag) { sum += y[index] * y[index + lag] }
            out.append(sum / Double(n))
        }
        let zero = out[0]
        guard zero > 0 else { return nil }
        return out.map { $0 / zero }
    }

    /// Average ranks, 1-based (SciPy's rankdata).
    static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var out = [Double](repeating: 0, count: x.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && x[order[end + 1]] == x[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for position in start...end { out[order[position]] = rank }
            start = end + 1
        }
        return out
    }
}

/// Theil–Sen slope per index step and the Conover intercept, as pyMannKendall's `sens_slope`.
public enum SensSlope {
    /// Median of (x_j − x_i)/(j − i) over the pairs of present values, positions kept; intercept
    /// median(x) − median(positions) × slope. Exact (the same double as the median of all pair slopes) in
    /// O(n log n) time and O(n) memory for long series: see ``SlopeSelection``.
    public static func estimate(_ values: [Double?]) -> (slope: Double, intercept: Double) {
        var positions: [Int] = []
        var present: [Double] = []
        for (index, value) in values.enumerated() {
            if let value, !value.isNaN {
                positions.append(index)
                present.append(value)
            }
        }
        let block = SlopeBlock(points: zip(positions, present).map { (Double($0), $1) }, perYear: false)
        let slope = SlopeSelection.median(of: [block])
        return (slope, median(present) - median(positions.map(Double.init)) * slope)
    }

    /// Seasonal Sen slope (Hipel & McLeod 1994): the median of the within-season slopes per cycle; intercept
    /// median(x) − median(positions) / period × slope, as pyMannKendall's `seasonal_sens_slope`. The seasons'
    /// slopes are pooled and selected exactly, as for ``estimate(_:)``.
    public static func seasonal(_ values: [Double?], period: Int) -> (slope: Double, intercept: Double) {
        let blocks = (0..<period).map { season in
            let points = stride(from: season, to: values.count, by: period).enumerated().compactMap { cycle, index in
                values[index].flatMap { $0.isNaN ? nil : (Double(cycle), $0) }
            }
            return SlopeBlock(points: points, perYear: false)
        }
        let slope = SlopeSelection.median(of: blocks)
        let positions = values.indices.filter { values[$0].map { !$0.isNaN } ?? false }
        let present = positions.map { values[$0]! }
        return (slope, median(present) - median(positions.map(Double.init)) / Double(period) * slope)
    }

    /// The median (mean of the two middle values for an even count), by selection rather than sorting.
    public static func median(_ values: [Double]) -> Double {
        var work = values
        return median(reordering: &work)
    }

    /// ``median(_:)`` of `work`, which it reorders instead of copying.
    static func median(reordering work: inout [Double]) -> Double {
        median(reordering: &work, in: work.indices)
    }

    /// ``median(_:)`` of `work[range]`, which it reorders in place (the rest of `work` untouched): one work buffer can
    /// hold several samples side by side.
    static func median(reordering work: inout [Double], in range: Range<Int>) -> Double {
        guard !range.isEmpty else { return .nan }
        let middle = range.lowerBound + range.count / 2
        let upper = select(&work, middle, in: range)
        guard range.count % 2 == 0 else { return upper }
        // After selecting the middle, the lower half holds the next-smaller value: its maximum.
        let lower = work[range.lowerBound..<middle].max()!
        return (lower + upper) / 2
    }

    /// ``median(_:)`` of `values` when its middle order statistics lie within `low`…`high`, nil when they do not.
    /// Counts the values below `low` and selects among those inside only: where a bracket is known (a MAD lies
    /// between the one-sided MADs), a fraction of the values. `scratch` must hold `values.count`; it is overwritten.
    /// - Precondition: no NaN in `values`.
    static func median(of values: [Double], between low: Double, and high: Double, scratch: inout [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        precondition(scratch.count >= values.count, "room for every value")
        let upperRank = values.count / 2
        let lowerRank = values.count % 2 == 0 ? upperRank - 1 : upperRank
        var less = 0, inside = 0
        for value in values {
            if value < low {
                less += 1
            } else if value <= high {
                scratch[inside] = value
                inside += 1
            }
        }
        guard less <= lowerRank, upperRank < less + inside else { return nil }
        let upper = select(&scratch, upperRank - less, in: 0..<inside)
        guard values.count % 2 == 0 else { return upper }
        // The next-smaller order statistic is inside too (lowerRank ≥ less): the largest left of the selected one.
        let lower = scratch[0..<(upperRank - less)].max()!
        return (lower + upper) / 2
    }

    /// The k-th smallest (0-based) by quickselect with median-of-three pivots: O(n) on average, against
    /// O(n log n) for sorting the n(n−1)/2 pair slopes. Leaves smaller values before k, larger after.
    static func select(_ values: inout [Double], _ k: Int) -> Double {
        select(&values, k, in: values.indices)
    }

    /// ``select(_:_:)`` within `values[range]`: the value that would stand at index `k` (in `range`) were that part
    /// sorted; it leaves smaller values of the part before `k`, larger after.
    static func select(_ values: inout [Double], _ k: Int, in range: Range<Int>) -> Double {
        precondition(range.contains(k) && range.upperBound <= values.count, "k inside the range")
        // On the buffer: the array's bounds and uniqueness checks on every swap were most of the time of the
        // detection's medians (docs/performance.md). The median-of-three pivots keep both scans inside the range.
        return values.withUnsafeMutableBufferPointer { values in
            var low = range.lowerBound
            var high = range.upperBound - 1
            while low < high {
                let mid = low + (high - low) / 2
                if values[mid] < values[low] { values.swapAt(mid, low) }
                if values[high] < values[low] { values.swapAt(high, low) }
                if values[high] < values[mid] { values.swapAt(high, mid) }
                let pivot = values[mid]
                var i = low
                var j = high
                while i <= j {
                    while values[i] < pivot { i += 1 }
                    while values[j] > pivot { j -= 1 }
                    if i <= j {
                        values.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if k <= j {
                    high = j
                } else if k >= i {
                    low = i
                } else {
                    return values[k]
                }
            }
            return values[k]
        }
    }
}
