import Foundation
import Standards
import Statistics
import Testing

@Suite("Monthly trends and change points")
struct MonthlyTrendTests {
    /// Four years of monthly values: a season (+1 in summer) plus 0.12 a year; every calendar month rises
    /// strictly from year to year.
    let rising: [Double?] = (0..<48).map { (index: Int) -> Double? in
        let summer: Double = (5...8).contains(index % 12) ? 1 : 0
        return 2 + summer + 0.12 * Double(index / 12)
    }

    @Test("every month rising each year: S = 12 × C(4,2) = 72 by hand, increasing, slope 0.12 a year")
    func risingEveryMonth() {
        let (trend, _) = MonthlyTrend.assess(pointID: "P", parameter: .totalPhosphorus, values: rising, firstYear: 2022)
        #expect(trend.assessed)
        #expect(trend.trend == .increasing)
        #expect(trend.s == 72)
        #expect(abs((trend.slopePerYear ?? 0) - 0.12) < 1e-12)
        #expect(trend.firstMonth == "2022-01")
        #expect(trend.lastMonth == "2025-12")
    }

    @Test("a first year below the detection limit switches to the censored test: every pair still ordered, S = 72 by hand")
    func censoredFirstYear() {
        // Year 1 reported "<1.5" (below every later value); years 2–4 as before.
        let values: [Double?] = rising.indices.map { $0 < 12 ? 1.5 : rising[$0] }
        let censored = rising.indices.map { $0 < 12 }
        let (trend, _) = MonthlyTrend.assess(pointID: "P", parameter: .totalPhosphorus, values: values, censored: censored, firstYear: 2022)
        #expect(trend.method == .censoredSeasonalKendall)
        #expect(trend.trend == .increasing)
        #expect(trend.s == 72)
    }

    @Test("two years of data are not assessed, and the reason says how many years are needed")
    func shortSeriesNotAssessed() {
        let (trend, shift) = MonthlyTrend.assess(pointID: "P", parameter: .totalPhosphorus, values: Array(rising.prefix(24)), firstYear: 2022)
        #expect(!trend.assessed)
        #expect(trend.p == nil)
        #expect(trend.reason?.contains("3 needed") == true)
        #expect(shift == nil)
    }

    @Test("a step down after a sewage fix in month 25 is a change point there, seasons notwithstanding")
    func stepIsAChangePoint() throws {
        let step: [Double?] = (0..<48).map { (index: Int) -> Double? in
            let summer: Double = (5...8).contains(index % 12) ? 1.5 : 1.0
            let fixed: Double = index >= 24 ? -0.6 : 0
            return summer + fixed + 0.01 * Double(index % 5)
        }
        let (_, shift) = MonthlyTrend.assess(pointID: "P", parameter: .ammoniaNitrogen, values: step, firstYear: 2022)
        let found = try #require(shift)
        #expect(found.month == "2024-01")
        #expect(found.after < found.before)
    }
}
