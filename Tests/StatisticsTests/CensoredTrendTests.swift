import Foundation
@testable import Statistics
import Testing

@Suite("censored trend test (Akritas–Theil–Sen) and its censored Kendall S")
struct CensoredTrendTests {
    private func series(_ n: Int, seed: UInt64) -> [Double?] {
        var random = SplitMix64(seed: seed)
        return (0..<n).map { i -> Double? in
            if random.below(20) == 0 { return nil }
            return (Double(random.below(40)) / 10 + 0.01 * Double(i)).rounded(toPlaces: 1)
        }
    }

    @Test("with nothing censored, S, Var(S) and p are the Mann-Kendall test's and the ATS slope is Sen's to the bit",
          arguments: [12, 61, 200, 333])
    func uncensoredIsMannKendall(n: Int) throws {
        let values = series(n, seed: UInt64(n))
        let kept = values.indices.filter { values[$0] != nil }
        let result = try CensoredTrend.test(times: kept.map(Double.init), values: kept.map { values[$0]! },
                                            censored: Array(repeating: false, count: kept.count))
        let reference = try MannKendall.original(values)
        #expect(result.s == reference.s)
        #expect(result.varS == reference.varS)
        #expect(result.p == reference.p && result.z == reference.z && result.tau == reference.tau)
        #expect(result.slope.bitPattern == SensSlope.estimate(values).slope.bitPattern)
    }

    @Test("seasonal, nothing censored: the seasonal Kendall S and Var(S), and the seasonal Sen slope per cycle")
    func uncensoredSeasonal() throws {
        let values = series(12 * 9, seed: 99)
        let kept = values.indices.filter { values[$0] != nil }
        let result = try CensoredTrend.seasonal(times: kept.map { Double($0 / 12) }, values: kept.map { values[$0]! },
                                                censored: Array(repeating: false, count: kept.count),
                                                seasons: kept.map { $0 % 12 })
        let reference = try MannKendall.seasonal(values, period: 12)
        #expect(result.s == reference.s && result.varS == reference.varS && result.tau == reference.tau)
        #expect(result.slope.bitPattern == SensSlope.seasonal(values, period: 12).slope.bitPattern)
    }

    // Hand-worked: t = 1…5, values <1, 2, <1, 3, 0.5.
    // Pairs (i<j): (1,2) <1→2 +1; (1,3) <1,<1 0; (1,4) <1→3 +1; (1,5) <1 vs 0.5 uncertain 0; (2,3) 2→<1 −1
    // (2 ≥ 1); (2,4) +1; (2,5) −1; (3,4) <1→3 +1; (3,5) <1 vs 0.5 0; (4,5) −1.  S = 1.
    // Var(S) = [5·4·15 − 2·1·9 (the two <1 tied)]/18 = 282/18; z = (S − 1)/√Var = 0, p = 1; Tau = 1/10.
    // Breakpoints: detected pairs 0.5, −0.5, −2.5; certain-above (<DL earlier) 1, 2/3, −0.125, 2, −0.25;
    // certain-below (<DL later) −1. S(β) = 1 on (−0.125, 0.5), 0 at 0.5, −1 on (0.5, 2/3): ATS slope 0.5.
    // Residuals v − 0.5t (censored at their limit): 0.5, 1, −0.5, 1, −2 → median 0.5.
    @Test("a hand-worked censored example: S 1, Var(S) 282/18, ATS slope 0.5, intercept 0.5")
    func handWorked() throws {
        let result = try CensoredTrend.test(times: [1, 2, 3, 4, 5], values: [1, 2, 1, 3, 0.5],
                                            censored: [true, false, true, false, false])
        #expect(result.s == 1)
        #expect(abs(result.varS - 282.0 / 18) < 1e-12)
        #expect(result.z == 0 && result.p == 1 && result.tau == 0.1)
        #expect(result.slope == 0.5 && result.intercept == 0.5)
        #expect(result.n == 5 && result.censored == 2 && result.trend == .noTrend)
    }

    @Test("a rise from nondetects to detections is an increasing trend")
    func risingFromNondetects() throws {
        let values: [Double] = [0.05, 0.05, 0.05, 0.05, 0.06, 0.08, 0.07, 0.09, 0.11, 0.10, 0.12, 0.14, 0.13, 0.15]
        let censored = values.indices.map { $0 < 4 }
        let result = try CensoredTrend.test(times: values.indices.map(Double.init), values: values, censored: censored)
        #expect(result.trend == .increasing && result.slope > 0)
    }

    @Test("too few detected values, or more than 80 % censored, is not assessed", arguments: [
        ([1.0, 2, 1, 1, 1, 1, 3], [true, false, true, true, true, true, false]),
        ([1.0, 2, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [false, false, false] + Array(repeating: true, count: 13)),
    ])
    func notAssessed(values: [Double], censored: [Bool]) {
        #expect(throws: TrendTestError.self) {
            try CensoredTrend.test(times: values.indices.map(Double.init), values: values, censored: censored)
        }
    }
}

private extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
