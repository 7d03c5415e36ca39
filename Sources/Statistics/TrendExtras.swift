import Foundation

/// Sen's slope in units per year from real timestamps (irregular sampling), with Gilbert's confidence interval.
public struct AnnualSlope: Sendable, Codable, Equatable {
    /// Median of (x_j − x_i)/(t_j − t_i), per year of 365.25 days.
    public var perYear: Double
    /// Lower and upper bounds of the (1 − α) interval (Gilbert 1987, §16.5).
    public var lower: Double
    public var upper: Double
    public var pairs: Int

    enum CodingKeys: String, CodingKey {
        case pairs
        case perYear = "slope_per_year"
        case lower = "lower_per_year"
        case upper = "upper_per_year"
    }
}

/// Sen's slope per year from real timestamps, with Gilbert's confidence interval.
public enum AnnualSenSlope {
    /// Slopes between every pair of readings at different times; CI from the ranks
    /// M1 = (N − C)/2, M2 = (N + C)/2 with C = z_{1−α/2} √Var(S) (Gilbert 1987). NaN values are left out.
    /// The median and the ranks are selected exactly without listing the pairs (``SlopeSelection``), so long
    /// series need O(n) memory; the result is the same as sorting all N slopes.
    public static func estimate(times: [Date], values: [Double], alpha: Double = 0.05) throws -> AnnualSlope {
        precondition(times.count == values.count, "one time per value")
        let kept = values.indices.filter { !values[$0].isNaN }
        guard kept.count >= 4 else { throw TrendTestError.notAssessed(.tooFewValues(found: kept.count, needed: 4)) }
        let block = SlopeBlock(points: kept.map { (times[$0].timeIntervalSinceReferenceDate, values[$0]) }, perYear: true)
        guard block.pairs >= 2 else { throw TrendTestError.notAssessed(.tooFewPairsAtDifferentTimes) }
        let pairs = block.pairs
        let count = Double(pairs)
        let c = StandardNormal.quantile(1 - alpha / 2) * MannKendall.varianceS(kept.map { values[$0] }).squareRoot()
        let m1 = (count - c) / 2
        let m2 = (count + c) / 2
        // Ranks are 1-based; a fractional rank interpolates between neighbours.
        func neighbours(_ rank: Double) -> (low: Int, high: Int, fraction: Double) {
            let clamped = min(max(rank, 1), count)
            let low = Int(clamped.rounded(.down)) - 1
            return (low, min(low + 1, pairs - 1), clamped - clamped.rounded(.down))
        }
        let lower = neighbours(m1), upper = neighbours(m2 + 1)
        let middle = pairs % 2 == 1 ? [pairs / 2] : [pairs / 2 - 1, pairs / 2]
        let ranks = [lower.low, lower.high, upper.low, upper.high] + middle
        let found = SlopeSelection.values(atRanks: ranks, of: [block])
        let median = middle.count == 1 ? found[4] : (found[4] + found[5]) / 2
        let slope = AnnualSlope(perYear: median, lower: found[0] + (found[1] - found[0]) * lower.fraction,
                                upper: found[2] + (found[3] - found[2]) * upper.fraction, pairs: pairs)
        guard slope.perYear.isFinite, slope.lower.isFinite, slope.upper.isFinite else {
            throw TrendTestError.notAssessed(.nonFiniteResult)
        }
        return slope
    }
}

/// Benjamini–Hochberg adjusted p-values (1995): controls the false discovery rate over the many point ×
/// parameter tests of a report. Input order is kept.
public enum BenjaminiHochberg {
    public static func adjust(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        guard m > 0 else { return [] }
        let order = pValues.indices.sorted { pValues[$0] > pValues[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 1.0
        for (offset, index) in order.enumerated() {
            let rank = Double(m - offset)
            running = min(running, pValues[index] * Double(m) / rank)
            adjusted[index] = min(1, running)
        }
        return adjusted
    }
}

/// Whether a series is long and complete enough for a trend to mean something.
public struct TrendSufficiency: Sendable, Codable, Equatable {
    public var assessed: Bool
    /// Why not, in words (empty when assessed).
    public var reason: String
}

public enum TrendGate {
    /// LAWA practice (`../shared/reference/standards.md`): at least `minimumYears` years, each with ≥ 90 % of the
    /// expected samples, and at most 30 % censored values.
    public static func check(times: [Date], censored: [Bool], expectedPerYear: Int, minimumYears: Int = 5,
                             calendar: Calendar = Calendar(identifier: .gregorian)) -> TrendSufficiency {
        guard !times.isEmpty else { return TrendSufficiency(assessed: false, reason: "no data") }
        var perYear: [Int: Int] = [:]
        for time in times { perYear[calendar.component(.year, from: time), default: 0] += 1 }
        let full = perYear.values.filter { Double($0) >= 0.9 * Double(expectedPerYear) }.count
        if full < minimumYears {
            return TrendSufficiency(assessed: false,
                                    reason: "\(full) year(s) with at least 90 % of \(expectedPerYear) samples; \(minimumYears) needed")
        }
        let share = Double(censored.filter { $0 }.count) / Double(max(1, censored.count))
        if share > 0.3 {
            return TrendSufficiency(assessed: false, reason: String(format: "%.0f %% of values censored; at most 30 %%", share * 100))
        }
        return TrendSufficiency(assessed: true, reason: "")
    }
}
