import Foundation
@testable import Statistics
import Testing

// The reference everywhere is the brute force written here, independently of the library: every pair slope
// computed as pyMannKendall computes it ((x_j − x_i)/(j − i)), sorted, the median read off (np.median).

private func bruteSlopes(_ values: [Double?]) -> [Double] {
    var slopes: [Double] = []
    for i in values.indices {
        guard let a = values[i], !a.isNaN else { continue }
        for j in (i + 1)..<max(i + 1, values.count) {
            guard let b = values[j], !b.isNaN else { continue }
            slopes.append((b - a) / Double(j - i))
        }
    }
    return slopes.sorted()
}

private func sortedMedian(_ sorted: [Double]) -> Double {
    let n = sorted.count
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}

/// The kinds of series that make slope selection hard: ties, gaps, magnitudes, near-collinear points.
enum SeriesShape: String, CaseIterable, CustomTestStringConvertible {
    case noisyTrend, roundedWithTies, flatRounded, largeMagnitude, tinyMagnitude, nearlyCollinear, constant, steps

    var testDescription: String { rawValue }

    func values(_ n: Int, seed: UInt64, gaps: Bool) -> [Double?] {
        var random = SplitMix64(seed: seed)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        func normal() -> Double { (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * .pi * uniform()) }
        return (0..<n).map { i -> Double? in
            if gaps && uniform() < 0.05 { return uniform() < 0.5 ? nil : .nan }
            let t = Double(i)
            switch self {
            case .noisyTrend: return 3 + 0.002 * t + normal()
            case .roundedWithTies: return ((5 + 0.0005 * t + 0.8 * normal()) * 10).rounded() / 10
            case .flatRounded: return (2 + 0.3 * normal()).rounded()
            case .largeMagnitude: return 1e7 + 0.01 * t + 3 * normal()
            case .tinyMagnitude: return 1e-12 * (1 + 1e-4 * t + normal())
            case .nearlyCollinear: return 0.1 + 0.37 * t + 1e-13 * normal()
            case .constant: return 4.25
            case .steps: return Double(Int(t) / 97 % 5) + (uniform() < 0.1 ? 0.5 : 0)
            }
        }
    }
}

@Suite("Sen's slope by exact selection, against the brute-force median of all pair slopes")
struct SlopeSelectionTests {
    // The selection is taken only past SlopeSelection.bruteForcePairs (2¹⁹ = 524,288 pairs, n ≥ 1,025), so every
    // series here is just past that bound: each shape once, with or without gaps (nil and NaN, about 5 %), and an
    // even pair count (the median is the mean of the two middle slopes) as often as an odd one. The series this
    // test had before (n 2,500 to 3,500) took the same path with six times the pairs, a minute of the suite.
    @Test("the median of just over 2¹⁹ pair slopes is the same double as the brute force", arguments: [
        (SeriesShape.noisyTrend, 1_025, false),  // the smallest n past the bound: 524,800 pairs, even
        (.roundedWithTies, 1_103, false),        // ties at the median: 607,753 pairs, odd
        (.flatRounded, 1_150, true),             // nearly every slope exactly 0, with gaps: 598,965 pairs, odd
        (.largeMagnitude, 1_140, true),          // values near 1e7, differences lose digits; gaps: 584,821, odd
        (.tinyMagnitude, 1_072, false),          // values near 1e-12: 574,056 pairs, even
        (.nearlyCollinear, 1_060, false),        // slopes equal to 12 digits: 561,270 pairs, even
        (.constant, 1_160, true),                // every slope 0, with gaps: 611,065 pairs, odd
        (.steps, 1_200, false),                  // plateaus of 97 values: 719,400 pairs, even
    ])
    func longSeriesMedian(shape: SeriesShape, n: Int, gaps: Bool) {
        let values = shape.values(n, seed: UInt64(n) &* 7919, gaps: gaps)
        let expected = sortedMedian(bruteSlopes(values))
        let slope = SensSlope.estimate(values).slope
        #expect(slope.bitPattern == expected.bitPattern, "\(shape) n \(n): \(slope) vs brute force \(expected)")
        // The public path took the selection, not its brute-force fallback.
        let points = values.enumerated().compactMap { i, v in v.flatMap { $0.isNaN ? nil : (Double(i), $0) } }
        let block = SlopeBlock(points: points, perYear: false)
        #expect(block.pairs > SlopeSelection.bruteForcePairs)
        let middle = block.pairs % 2 == 1 ? [block.pairs / 2] : [block.pairs / 2 - 1, block.pairs / 2]
        #expect(SlopeSelection.exactSelection(middle, [block]) != nil)
    }

    @Test("every rank of small sets selected through the bracket path equals the sorted slopes")
    func everyRankSmall() {
        for trial in 0..<120 {
            let shape = SeriesShape.allCases[trial % SeriesShape.allCases.count]
            let n = 8 + (trial * 37) % 260
            let values = shape.values(n, seed: UInt64(trial), gaps: trial % 3 == 0)
            let points = values.enumerated().compactMap { i, v in v.flatMap { $0.isNaN ? nil : (Double(i), $0) } }
            // Every fourth set split into three blocks (x still the position): the pooled path of the seasonal slope.
            let split = trial % 4 == 1
            let parts = split ? 3 : 1
            let blocks = (0..<parts).map { part in
                SlopeBlock(points: points.filter { Int($0.0) * parts / n == part }, perYear: false)
            }
            var slopes: [Double] = []
            for part in 0..<parts {
                let masked: [Double?] = values.indices.map { Int($0) * parts / n == part ? values[$0] : nil }
                slopes += bruteSlopes(masked)
            }
            let sorted = slopes.sorted()
            guard !sorted.isEmpty else { continue }
            let ranks = [0, sorted.count / 3, (sorted.count - 1) / 2, sorted.count / 2, sorted.count - 1]
            let found = SlopeSelection.exactSelection(ranks, blocks) ?? []
            #expect(found.count == ranks.count, "\(shape) n \(n): the selection gave up")
            for (rank, value) in zip(ranks, found) {
                #expect(value.bitPattern == sorted[rank].bitPattern, "\(shape) n \(n) rank \(rank): \(value) vs \(sorted[rank])")
            }
        }
    }

    @Test("too few values: no pairs give NaN; one pair gives its slope")
    func tiny() {
        #expect(SensSlope.estimate([]).slope.isNaN)
        #expect(SensSlope.estimate([nil, 3]).slope.isNaN)
        #expect(SensSlope.estimate([1, nil, 4]).slope == 1.5)
    }

    @Test("the seasonal slope pools the seasons' slopes exactly (12 seasons × 320 cycles)")
    func seasonal() {
        let values = SeriesShape.roundedWithTies.values(12 * 320, seed: 12, gaps: true)
        var slopes: [Double] = []
        for season in 0..<12 {
            let column = stride(from: season, to: values.count, by: 12).map { values[$0] }
            slopes += bruteSlopes(column)
        }
        #expect(slopes.count > SlopeSelection.bruteForcePairs)
        let expected = sortedMedian(slopes.sorted())
        #expect(SensSlope.seasonal(values, period: 12).slope.bitPattern == expected.bitPattern)
    }

    @Test("Sen's slope per year from timestamps: median and Gilbert's interval equal sorting all slopes (n 1,100, repeated times)")
    func annual() throws {
        var random = SplitMix64(seed: 2025)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        var times: [Date] = []
        var values: [Double] = []
        var t = 1_500_000_000.0
        // Just past the brute-force bound, as above (n 2,500 took the same path at five times the cost).
        for i in 0..<1_100 {
            // Irregular sampling; one time in twenty repeated (two readings at the same time give no slope).
            if i == 0 || uniform() >= 0.05 { t += 3_600 * (1 + 60 * uniform()) }
            times.append(Date(timeIntervalSince1970: t))
            values.append(((8 + 0.4 * Double(i) / 1_000 + uniform()) * 100).rounded() / 100)
        }
        let estimate = try AnnualSenSlope.estimate(times: times, values: values)
        // The brute force of the original implementation: all slopes sorted, ranks interpolated.
        let order = times.indices.sorted { times[$0] < times[$1] }
        var slopes: [Double] = []
        for a in 0..<order.count {
            for b in (a + 1)..<order.count {
                let dt = times[order[b]].timeIntervalSince(times[order[a]]) / (365.25 * 86_400)
                if dt > 0 { slopes.append((values[order[b]] - values[order[a]]) / dt) }
            }
        }
        slopes.sort()
        let count = Double(slopes.count)
        let c = StandardNormal.quantile(0.975) * MannKendall.varianceS(values).squareRoot()
        func at(_ rank: Double) -> Double {
            let clamped = min(max(rank, 1), count)
            let low = Int(clamped.rounded(.down)) - 1
            let high = min(low + 1, slopes.count - 1)
            return slopes[low] + (slopes[high] - slopes[low]) * (clamped - clamped.rounded(.down))
        }
        #expect(estimate.pairs == slopes.count && slopes.count > SlopeSelection.bruteForcePairs)
        #expect(estimate.perYear.bitPattern == sortedMedian(slopes).bitPattern)
        #expect(estimate.lower.bitPattern == at((count - c) / 2).bitPattern)
        #expect(estimate.upper.bitPattern == at((count + c) / 2 + 1).bitPattern)
    }
}
