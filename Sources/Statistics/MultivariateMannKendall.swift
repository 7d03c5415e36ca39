import Foundation

/// Mann-Kendall tests over several columns: regional / multivariate (Hirsch & Slack 1984), their correlated
/// versions (Libiseller & Grimvall 2002) and the partial test with a covariate, as pyMannKendall 1.4.3.
/// A matrix is given as rows of equal length (a row per time, a column per site or season); nil is missing.
extension MannKendall {
    /// Multivariate (regional) test: S and Var(S) summed over the columns, each over its present values.
    public static func regional(_ rows: [[Double?]], alpha: Double = 0.05) throws -> TrendTestResult {
        let columns = rows.first?.count ?? 0
        guard columns >= 1 else { throw TrendTestError.notAssessed(.tooFewCompleteRows(found: rows.count, columns: 0)) }
        guard columns >= 2 else { return try original(rows.map { $0[0] }, alpha: alpha) }
        // The same arithmetic as the seasonal test with one season per column.
        return try seasonal(rows.flatMap { $0 }, period: columns, alpha: alpha)
    }

    /// Correlated multivariate test: Var(S) from the covariances between the columns' S (rows with any missing
    /// value are left out), z without continuity correction.
    public static func correlatedMultivariate(_ rows: [[Double?]], alpha: Double = 0.05) throws -> TrendTestResult {
        let columns = rows.first?.count ?? 0
        let complete = rows.filter { row in row.allSatisfy { $0.map { !$0.isNaN } ?? false } }.map { $0.map { $0! } }
        // Each column contributes pairs of rows: two complete rows make the statistic defined.
        guard complete.count >= 2, columns >= 2, complete.count * columns >= 4 else {
            throw TrendTestError.notAssessed(.tooFewCompleteRows(found: complete.count, columns: columns))
        }
        let n = complete.count
        let data = (0..<columns).map { c in complete.map { $0[c] } }
        var s = 0.0
        for column in data { s += score(column) }
        var variance = 0.0
        let r = data.map(rankScores)
        for i in 0..<columns {
            for j in 0..<columns {
                variance += covariance(data[i], data[j], r[i], r[j], n)
            }
        }
        guard variance > 0 else { throw TrendTestError.notAssessed(.varianceNotPositive) }
        let z = s / variance.squareRoot()
        let (slope, intercept) = SensSlope.seasonal(rows.flatMap { $0 }, period: columns)
        let dn = Double(n)
        return try decided(z: z, s: s, variance: variance, tau: s / (Double(columns) * 0.5 * dn * (dn - 1)), alpha: alpha,
                           slope: slope, intercept: intercept)
    }

    /// Correlated seasonal test: the correlated multivariate test on the seasons as columns.
    public static func correlatedSeasonal(_ values: [Double?], period: Int = 12, alpha: Double = 0.05) throws -> TrendTestResult {
        var padded = values
        if padded.count % period != 0 { padded += Array(repeating: nil, count: period - padded.count % period) }
        let rows = stride(from: 0, to: padded.count, by: period).map { Array(padded[$0..<($0 + period)]) }
        return try correlatedMultivariate(rows, alpha: alpha)
    }

    /// Partial Mann-Kendall test (Libiseller & Grimvall 2002): the trend in `values` given the covariate's,
    /// rows with either missing left out. Slope from the values alone.
    public static func partial(_ values: [Double?], covariate: [Double?], alpha: Double = 0.05) throws -> TrendTestResult {
        let pairs = zip(values, covariate).compactMap { a, b -> (Double, Double)? in
            guard let a, let b, !a.isNaN, !b.isNaN else { return nil }
            return (a, b)
        }
        guard pairs.count >= 4 else { throw TrendTestError.notAssessed(.tooFewValues(found: pairs.count, needed: 4)) }
        let x = pairs.map(\.0), y = pairs.map(\.1)
        let n = x.count
        let dn = Double(n)
        let sx = score(x), sy = score(y)
        let sigma = covariance(x, y, rankScores(x), rankScores(y), n)
        let rho = sigma / (dn * (dn - 1) * (2 * dn + 5) / 18)
        let s = sx - rho * sy
        let variance = (1 - rho * rho) * (dn * (dn - 1) * (2 * dn + 5)) / 18
        guard variance > 0 else { throw TrendTestError.notAssessed(.covariateExplainsSeries) }
        let (slope, intercept) = SensSlope.estimate(values)
        return try decided(z: s / variance.squareRoot(), s: s, variance: variance, tau: sx / (0.5 * dn * (dn - 1)),
                           alpha: alpha, slope: slope, intercept: intercept)
    }

    /// (K + 4 Σ R_i R_j − n(n + 1)²) / 3: the covariance of two columns' S (Dietz & Killeen 1981).
    private static func covariance(_ x: [Double], _ z: [Double], _ rx: [Double], _ rz: [Double], _ n: Int) -> Double {
        let k = concordance(x, z)
        var sum = 0.0
        for index in 0..<n { sum += rx[index] * rz[index] }
        let dn = Double(n)
        return (k + 4 * sum - dn * (dn + 1) * (dn + 1)) / 3
    }

    /// K = Σ_{i<j} sign((x_j − x_i)(z_j − z_i)) in O(n log n) (Knight 1966): all pairs, less those tied in x or
    /// in z (tied in both added back once), less twice the discordant pairs, counted as the strict inversions
    /// of z once the rows are sorted by x (and by z within equal x, so that ties in x are not inversions).
    /// An integer, as the pairwise sum of ±1 is; the sign of a product of two differences that underflows to 0
    /// (differences below 1e-154) would have counted 0 there.
    static func concordance(_ x: [Double], _ z: [Double]) -> Double {
        let n = x.count
        let order = x.indices.sorted { x[$0] != x[$1] ? x[$0] < x[$1] : z[$0] < z[$1] }
        func tiedPairs(_ equal: (Int, Int) -> Bool) -> Int {
            var pairs = 0, run = 1
            for position in 1..<max(1, n) {
                if equal(position - 1, position) {
                    pairs += run
                    run += 1
                } else {
                    run = 1
                }
            }
            return pairs
        }
        let tiedX = tiedPairs { x[order[$0]] == x[order[$1]] }
        let tiedBoth = tiedPairs { x[order[$0]] == x[order[$1]] && z[order[$0]] == z[order[$1]] }
        var zInXOrder = order.map { z[$0] }
        let discordant = SlopeBlock.sortCountingInversions(&zInXOrder)
        let tiedZ = tiedPairs { zInXOrder[$0] == zInXOrder[$1] }
        return Double(n * (n - 1) / 2 - tiedX - tiedZ + tiedBoth - 2 * discordant)
    }

    /// R_j = (n + 1 + Σ_i sign(x_j − x_i)) / 2, which is x_j's average rank: (n + 1 + less − greater) / 2 =
    /// less + (ties + 1) / 2. Half-integers, exact either way.
    static func rankScores(_ x: [Double]) -> [Double] {
        ranks(x)
    }

    /// - Throws: ``NotAssessedReason/nonFiniteResult`` when a number overflowed.
    private static func decided(z: Double, s: Double, variance: Double, tau: Double, alpha: Double, slope: Double,
                                intercept: Double) throws -> TrendTestResult {
        let p = 2 * (1 - StandardNormal.cdf(abs(z)))
        let h = abs(z) > StandardNormal.quantile(1 - alpha / 2)
        let result = TrendTestResult(trend: TrendDirection(significant: h, statistic: z), h: h, p: p, z: z,
                                     tau: tau, s: s, varS: variance, slope: slope, intercept: intercept)
        guard result.isFinite else { throw TrendTestError.notAssessed(.nonFiniteResult) }
        return result
    }
}
